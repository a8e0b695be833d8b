// The thread behind SignerRecoveryPool: recovers the signers of one batch at a time.
import { parentPort } from "node:worker_threads";
import { recoverSigner } from "./recoverSigner.ts";

export type RecoveryJob = { id: number; digests: Uint8Array[]; signatures: string[] };
export type RecoveryAnswer = { id: number; signers: (string | null)[] };

parentPort?.on("message", (job: RecoveryJob) => {
  const signers = job.signatures.map((signature, index) => recoverSigner(job.digests[index]!, signature) ?? null);
  parentPort!.postMessage({ id: job.id, signers } satisfies RecoveryAnswer);
});
