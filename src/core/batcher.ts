// Group commit for any bulk operation: calls made while one batch runs are gathered and run
// together as the next batch, so concurrent callers share one database round trip instead of
// queueing for one each. A call is never answered from a batch that started before it was made,
// so a read sees everything committed before it was asked and a write is durable when it resolves.
// A failed batch is run again one input at a time, so a poisoned input fails alone.

export type BatchRunner<I, O> = (inputs: readonly I[]) => Promise<readonly O[]>;

export type BatcherOptions = {
  /** Most inputs per batch; the rest wait for the next one (default 256). */
  maxBatch?: number;
};

type Pending<I, O> = { input: I; resolve: (output: O) => void; reject: (error: unknown) => void };

export class Batcher<I, O> {
  readonly #run: BatchRunner<I, O>;
  readonly #maxBatch: number;
  #queue: Pending<I, O>[] = [];
  #running = false;
  #scheduled = false;

  /** `run` receives the inputs of one batch and answers one output per input, in order. */
  constructor(run: BatchRunner<I, O>, options: BatcherOptions = {}) {
    const maxBatch = options.maxBatch ?? 256;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new RangeError("maxBatch must be a positive integer");
    this.#run = run;
    this.#maxBatch = maxBatch;
  }

  /** Runs `input` in the next batch; resolves with its own output or rejects with the batch's error. */
  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  /** Starts a batch after the current turn of the event loop, so calls made in it share the batch. */
  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        await this.#runBatch(batch);
      }
    } finally {
      this.#running = false;
    }
  }

  /**
   * Runs one batch; when it fails, runs each of its inputs alone, in order, so that one bad input
   * (a value the database refuses, say) fails only its own call and never its neighbours'.
   */
  async #runBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.#runInputs(batch);
      batch.forEach((pending, index) => pending.resolve(outputs[index]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const pending of batch) {
        await this.#runInputs([pending]).then(
          ([output]) => pending.resolve(output),
          (alone: unknown) => pending.reject(alone),
        );
      }
    }
  }

  async #runInputs(batch: readonly Pending<I, O>[]): Promise<readonly O[]> {
    const outputs = await this.#run(batch.map((pending) => pending.input));
    if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} inputs answered ${outputs.length} outputs`);
    return outputs;
  }
}
