// Signer recovery on other threads: a service that checks many signatures (the market's order
// intake) hands each batch to a worker thread and does its database and chain work meanwhile.
// Answers are exactly recoverSigner's. If a thread dies, its batches and every later one are
// recovered on the calling thread instead, so a pool failure costs speed, never an answer.
import { Worker } from "node:worker_threads";
import { recoverSigner } from "./recoverSigner.ts";
import type { RecoveryAnswer, RecoveryJob } from "./recoveryWorker.ts";

export type RecoveryRequest = { digest: Uint8Array; signature: string };

type Pending = { requests: readonly RecoveryRequest[]; resolve: (signers: (string | undefined)[]) => void };

export class SignerRecoveryPool {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #nextWorker = 0;
  #broken = false;
  #closed = false;

  /** Starts `threads` worker threads (at least 1). */
  constructor(options: { threads: number }) {
    const threads = Math.max(1, Math.floor(options.threads));
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL("./recoveryWorker.ts", import.meta.url));
      worker.unref();
      worker.on("message", (answer: RecoveryAnswer) => this.#settle(answer));
      worker.on("error", () => this.#fail());
      worker.on("exit", () => {
        if (!this.#closed) this.#fail();
      });
      this.#workers.push(worker);
    }
  }

  /** The signer of each request (undefined where recoverSigner refuses), in request order. */
  recoverMany(requests: readonly RecoveryRequest[]): Promise<(string | undefined)[]> {
    if (requests.length === 0) return Promise.resolve([]);
    if (this.#broken || this.#closed) return Promise.resolve(recoverHere(requests));
    const id = this.#nextId++;
    const worker = this.#workers[this.#nextWorker++ % this.#workers.length]!;
    return new Promise((resolve) => {
      this.#pending.set(id, { requests, resolve });
      const job: RecoveryJob = { id, digests: requests.map((request) => request.digest), signatures: requests.map((request) => request.signature) };
      worker.postMessage(job);
    });
  }

  /** Stops the threads; batches still out are recovered on the calling thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#drainHere();
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #settle(answer: RecoveryAnswer): void {
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    pending.resolve(answer.signers.map((signer) => signer ?? undefined));
  }

  #fail(): void {
    this.#broken = true;
    this.#drainHere();
  }

  #drainHere(): void {
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.resolve(recoverHere(pending.requests));
    }
  }
}

function recoverHere(requests: readonly RecoveryRequest[]): (string | undefined)[] {
  return requests.map((request) => recoverSigner(request.digest, request.signature));
}
