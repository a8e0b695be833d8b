// secp256k1 work on other threads: a service that checks many signatures (the market's order
// intake) or seals to many enclaves (the SMS) hands it to worker threads and does its database
// and chain work meanwhile. Answers are exactly those of recoverSigner and agreeWithEnclave. If
// a thread dies, its work and all later work is done on the calling thread instead, so a pool
// failure costs speed, never an answer.
import { Worker } from "node:worker_threads";
import { EnclaveCryptoError } from "../enclave/EnclaveCryptoError.ts";
import { agreeWithEnclave, type SealAgreement } from "../enclave/sealToEnclave.ts";
import { recoverSigner } from "../signatures/recoverSigner.ts";
import type { Secp256k1Answer, Secp256k1Job } from "./secp256k1Worker.ts";

export type RecoveryRequest = { digest: Uint8Array; signature: string };

type Work =
  | { op: "recover"; requests: readonly RecoveryRequest[]; resolve: (signers: (string | undefined)[]) => void }
  | { op: "agree"; recipients: readonly Uint8Array[]; resolve: (agreements: (SealAgreement | null)[]) => void };

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
  recoverMany(requests: readonly RecoveryRequest[]): Promise<(string | undefined)[]> {
    if (requests.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.#dispatch({ op: "recover", requests, resolve }, (id) => ({
        id,
        op: "recover",
        digests: requests.map((request) => request.digest),
        signatures: requests.map((request) => request.signature),
      }));
    });
  }

  /**
   * A seal agreement with the enclave key `recipient` (33-byte compressed), for createEnclaveSealer.
   * Rejects with EnclaveCryptoError("BAD_ENCLAVE_KEY") where agreeWithEnclave would throw.
   */
  agree(recipient: Uint8Array): Promise<SealAgreement> {
    return new Promise<(SealAgreement | null)[]>((resolve) => {
      this.#dispatch({ op: "agree", recipients: [recipient], resolve }, (id) => ({ id, op: "agree", recipients: [recipient] }));
    }).then(([agreement]) => {
      if (!agreement) throw new EnclaveCryptoError("BAD_ENCLAVE_KEY", "Key agreement with the enclave key failed.");
      return agreement;
    });
  }

  /** Stops the threads; work still out is done on the calling thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#drainHere();
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #dispatch(work: Work, job: (id: number) => Secp256k1Job): void {
    if (this.#broken || this.#closed) {
      doHere(work);
      return;
    }
    const id = this.#nextId++;
    this.#pending.set(id, work);
    this.#workers[this.#nextWorker++ % this.#workers.length]!.postMessage(job(id));
  }

  #settle(answer: Secp256k1Answer): void {
    const work = this.#pending.get(answer.id);
    if (!work) return;
    this.#pending.delete(answer.id);
    if (work.op === "recover" && answer.op === "recover") work.resolve(answer.signers.map((signer) => signer ?? undefined));
    else if (work.op === "agree" && answer.op === "agree") work.resolve(answer.agreements);
  }

  #fail(): void {
    this.#broken = true;
    this.#drainHere();
  }

  #drainHere(): void {
    for (const [id, work] of this.#pending) {
      this.#pending.delete(id);
      doHere(work);
    }
  }
}

function doHere(work: Work): void {
  if (work.op === "recover") {
    work.resolve(work.requests.map((request) => recoverSigner(request.digest, request.signature)));
    return;
  }
  work.resolve(
    work.recipients.map((recipient) => {
      try {
        return agreeWithEnclave(recipient);
      } catch {
        return null;
      }
    }),
  );
}
