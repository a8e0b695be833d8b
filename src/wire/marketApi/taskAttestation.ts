// GET /v1/deals/{dealId}/tasks/{index}/attestation as clients read it: the completed task, the
// attestation bundle its result names, and where both are stored. The market relays the bundle; it
// vouches for nothing: `continuum result verify` checks it against the chain and the trusted root.
import type { ResultAttestation } from "../attestation/resultAttestation.ts";

export type TaskAttestationRecord = {
  dealId: string;
  index: string;
  taskId: string;
  /** The enclave key the chain accepted the result from. */
  enclave: string;
  resultCid: string;
  /** The CID the result's envelope names; the bundle's bytes hash to it. */
  attestationCid: string;
  attestation: ResultAttestation;
};
