// secp256k1 work on other threads: a service that checks many signatures (the market's order
// intake) or seals to many enclaves (the SMS) hands it to worker threads and does its database
// and chain work meanwhile. Answers are exactly those of recoverSigner and agreeWithEnclave. If
// a thread dies, its work and all later work is done on the calling thread instead, so a pool
// failure costs speed, never an answer.
import { Worker } from "node:worker_threads";
import { EnclaveCryptoError } from "../enclave/EnclaveCryptoError.ts";
import type { SealAgreement } from "../enclave/sealToEnclave.ts";
import { runSecp256k1Job, type Secp256k1Answer, type Secp256k1Job } from "./secp256k1Jobs.ts";

export type RecoveryRequest = { digest: Uint8Array; signature: string };

/** One caller's request and how its share of a job's answer reaches it. */
type Request =
  | { op: "recover"; digest: Uint8Array; signature: string; settle: (signer: string | null) => void }
  | { op: "agree"; recipient: Uint8Array; settle: (agreement: SealAgreement | null) => void };

/** A job on its way to a thread, and the requests it answers, in order. */
type Work = { job: Secp256k1Job; requests: Request[] };

export class Secp256k1Pool {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Work>();
  /** Requests made in this turn of the event loop: they leave together, one message per kind. */
  #gathering: Request[] = [];
  #nextId = 0;
  #nextWorker = 0;
  #jobsSent = 0;
  #broken = false;
  #closed = false;

  /** Starts `threads` worker threads (at least 1). */
  constructor(options: { threads: number }) {
    const threads = Math.max(1, Math.floor(options.threads));
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL("./secp256k1Worker.ts", import.meta.url));
      worker.unref();
      worker.on("message", (answer: Secp256k1Answer) => this.#settle(answer));
      worker.on("error", () => this.#fail());
      worker.on("exit", () => {
        if (!this.#closed) this.#fail();
      });
      this.#workers.push(worker);
    }
  }

  /** Jobs posted to the threads so far (requests of one kind made in one turn share one). */
  get jobsSent(): number {
    return this.#jobsSent;
  }

  /** The signer of each request (undefined where recoverSigner refuses), in request order. */
  recoverMany(requests: readonly RecoveryRequest[]): Promise<(string | undefined)[]> {
    return Promise.all(
      requests.map(
        ({ digest, signature }) =>
          new Promise<string | undefined>((resolve) => this.#submit({ op: "recover", digest, signature, settle: (signer) => resolve(signer ?? undefined) })),
      ),
    );
  }

  /**
   * A seal agreement with the enclave key `recipient` (33-byte compressed), for createEnclaveSealer.
   * Rejects with EnclaveCryptoError("BAD_ENCLAVE_KEY") where agreeWithEnclave would throw.
   */
  agree(recipient: Uint8Array): Promise<SealAgreement> {
    return new Promise((resolve, reject) =>
      this.#submit({
        op: "agree",
        recipient,
        settle: (agreement) =>
          agreement ? resolve(agreement) : reject(new EnclaveCryptoError("BAD_ENCLAVE_KEY", "Key agreement with the enclave key failed.")),
      }),
    );
  }

  /** Stops the threads; work still out is done on the calling thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#flush();
    this.#drainHere();
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  /**
   * Requests wait for the end of the current turn of the event loop, then go out as one job per
   * kind: a message costs about as much as a recovery, so a job per request would eat the gain.
   */
  #submit(request: Request): void {
    this.#gathering.push(request);
    if (this.#gathering.length === 1) setImmediate(() => this.#flush());
  }

  /** Posts the gathered requests to a thread, or computes them here once the pool is broken or closed. */
  #flush(): void {
    const gathered = this.#gathering;
    if (gathered.length === 0) return;
    this.#gathering = [];
    for (const requests of [gathered.filter((request) => request.op === "recover"), gathered.filter((request) => request.op === "agree")]) {
      if (requests.length === 0) continue;
      const job = jobOf(this.#nextId++, requests);
      if (this.#broken || this.#closed) {
        answer(requests, runSecp256k1Job(job));
        continue;
      }
      this.#pending.set(job.id, { job, requests });
      this.#workers[this.#nextWorker++ % this.#workers.length]!.postMessage(job);
      this.#jobsSent++;
    }
  }

  #settle(result: Secp256k1Answer): void {
    const work = this.#pending.get(result.id);
    if (!work) return;
    this.#pending.delete(result.id);
    answer(work.requests, result);
  }

  #fail(): void {
    this.#broken = true;
    this.#drainHere();
  }

  #drainHere(): void {
    for (const [id, work] of this.#pending) {
      this.#pending.delete(id);
      answer(work.requests, runSecp256k1Job(work.job));
    }
  }
}

/** The job computing `requests`, all of one kind. */
function jobOf(id: number, requests: Request[]): Secp256k1Job {
  if (requests[0]!.op === "recover") {
    const recoveries = requests as Extract<Request, { op: "recover" }>[];
    return { id, op: "recover", digests: recoveries.map((request) => request.digest), signatures: recoveries.map((request) => request.signature) };
  }
  return { id, op: "agree", recipients: (requests as Extract<Request, { op: "agree" }>[]).map((request) => request.recipient) };
}

/** Hands each request its own entry of the job's answer. */
function answer(requests: Request[], result: Secp256k1Answer): void {
  requests.forEach((request, index) => {
    if (request.op === "recover" && result.op === "recover") request.settle(result.signers[index] ?? null);
    else if (request.op === "agree" && result.op === "agree") request.settle(result.agreements[index] ?? null);
  });
}
