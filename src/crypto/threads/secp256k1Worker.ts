// The thread behind Secp256k1Pool: recovers signers and makes seal agreements, a batch at a time.
import { parentPort } from "node:worker_threads";
import { agreeWithEnclave, type SealAgreement } from "../enclave/sealToEnclave.ts";
import { recoverSigner } from "../signatures/recoverSigner.ts";

export type Secp256k1Job =
  | { id: number; op: "recover"; digests: Uint8Array[]; signatures: string[] }
  | { id: number; op: "agree"; recipients: Uint8Array[] };

export type Secp256k1Answer =
  | { id: number; op: "recover"; signers: (string | null)[] }
  | { id: number; op: "agree"; agreements: (SealAgreement | null)[] };

function agreeOrNull(recipient: Uint8Array): SealAgreement | null {
  try {
    return agreeWithEnclave(recipient);
  } catch {
    return null;
  }
}

parentPort?.on("message", (job: Secp256k1Job) => {
  const answer: Secp256k1Answer =
    job.op === "recover"
      ? { id: job.id, op: "recover", signers: job.signatures.map((signature, index) => recoverSigner(job.digests[index]!, signature) ?? null) }
      : { id: job.id, op: "agree", agreements: job.recipients.map(agreeOrNull) };
  parentPort!.postMessage(answer);
  if (answer.op === "agree") for (const agreement of answer.agreements) agreement?.sharedX.fill(0);
});
