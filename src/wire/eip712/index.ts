// Every EIP-712 message of Continuum, the one TypeScript copy: the four orders, task
// authorizations, results and the SMS's EnclaveAttested and TaskFailure verdicts (mirroring
// contracts/libraries), the market's Unpublish and PipelineSubmission, and the SMS's SecretPush and AuditQuery; with
// digests, signing, recovery and deal / task ids.
export * from "./types.ts";
export * from "./signing.ts";
export * from "./signedOrder.ts";
export * from "./unpublish.ts";
export * from "./pipelineSubmission.ts";
export * from "./smsMessages.ts";
export * from "./deadline.ts";
