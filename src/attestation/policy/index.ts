// Public API of the relying party's attestation policy: measurement documents (what an app's
// on-chain measurement stands for) and the judgement of a DCAP-accepted quote against the policy.
export {
  MEASUREMENT_DOCUMENT_FORMAT,
  canonicalMeasurementDocument,
  measurementOfDocument,
  parseMeasurementDocument,
  type MeasurementDocument,
  type SgxMeasurementDocument,
  type TdxMeasurementDocument,
} from "./measurementDocument.ts";
export {
  DEFAULT_ATTESTATION_POLICY,
  POLICY_CHECKS,
  acceptableTcbStatuses,
  judgeAttestation,
  type AttestationPolicy,
  type ExpectedEnclave,
  type PolicyCheck,
  type PolicyJudgement,
} from "./judgeAttestation.ts";
