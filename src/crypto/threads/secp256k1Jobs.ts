// What a secp256k1 job computes, wherever it runs: on a Secp256k1Pool thread, or on the calling
// thread when the pool cannot take it. One function, so both places give the same answer.
import { agreeWithEnclave, type SealAgreement } from "../enclave/sealToEnclave.ts";
import { recoverSigner } from "../signatures/recoverSigner.ts";

export type Secp256k1Job =
  | { id: number; op: "recover"; digests: Uint8Array[]; signatures: string[] }
  | { id: number; op: "agree"; recipients: Uint8Array[] };

export type Secp256k1Answer =
  | { id: number; op: "recover"; signers: (string | null)[] }
  | { id: number; op: "agree"; agreements: (SealAgreement | null)[] };

export function runSecp256k1Job(job: Secp256k1Job): Secp256k1Answer {
  if (job.op === "recover") {
    return { id: job.id, op: "recover", signers: job.signatures.map((signature, index) => recoverSigner(job.digests[index]!, signature) ?? null) };
  }
  return { id: job.id, op: "agree", agreements: job.recipients.map(agreeOrNull) };
}

function agreeOrNull(recipient: Uint8Array): SealAgreement | null {
  try {
    return agreeWithEnclave(recipient);
  } catch {
    return null;
  }
}
