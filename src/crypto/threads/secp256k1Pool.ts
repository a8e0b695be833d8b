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

/** A job and who waits for its answer. */
type Work = { job: Secp256k1Job; settle: (answer: Secp256k1Answer) => void };

export class Secp256k1Pool {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Work>();
  #nextId = 0;
  #nextWorker = 0;
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

  /** The signer of each request (undefined where recoverSigner refuses), in request order. */
  async recoverMany(requests: readonly RecoveryRequest[]): Promise<(string | undefined)[]> {
    if (requests.length === 0) return [];
    const answer = await this.#run({
      id: this.#nextId++,
      op: "recover",
      digests: requests.map((request) => request.digest),
      signatures: requests.map((request) => request.signature),
    });
    return answer.op === "recover" ? answer.signers.map((signer) => signer ?? undefined) : [];
  }

  /**
   * A seal agreement with the enclave key `recipient` (33-byte compressed), for createEnclaveSealer.
   * Rejects with EnclaveCryptoError("BAD_ENCLAVE_KEY") where agreeWithEnclave would throw.
   */
  async agree(recipient: Uint8Array): Promise<SealAgreement> {
    const answer = await this.#run({ id: this.#nextId++, op: "agree", recipients: [recipient] });
    const agreement = answer.op === "agree" ? answer.agreements[0] : undefined;
    if (!agreement) throw new EnclaveCryptoError("BAD_ENCLAVE_KEY", "Key agreement with the enclave key failed.");
    return agreement;
  }

  /** Stops the threads; work still out is done on the calling thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#drainHere();
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  /** The job's answer from a thread, or from this one when the pool is closed or broken. */
  #run(job: Secp256k1Job): Promise<Secp256k1Answer> {
    if (this.#broken || this.#closed) return Promise.resolve(runSecp256k1Job(job));
    return new Promise((settle) => {
      this.#pending.set(job.id, { job, settle });
      this.#workers[this.#nextWorker++ % this.#workers.length]!.postMessage(job);
    });
  }

  #settle(answer: Secp256k1Answer): void {
    const work = this.#pending.get(answer.id);
    if (!work) return;
    this.#pending.delete(answer.id);
    work.settle(answer);
  }

  #fail(): void {
    this.#broken = true;
    this.#drainHere();
  }

  #drainHere(): void {
    for (const [id, work] of this.#pending) {
      this.#pending.delete(id);
      work.settle(runSecp256k1Job(work.job));
    }
  }
}
