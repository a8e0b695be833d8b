// Public API of the enclave runtime used by workers: run one task, the SMS client contract, the
// limits a worker sets, and the typed failures a task can end with.
export { runEnclaveTask, type RunEnclaveTaskOptions } from "./runEnclaveTask.ts";
export type {
  AppIsolation,
  AuthorizeEnclave,
  CompletedEnclaveTask,
  EnclaveHost,
  EnclavePhase,
  EnclaveTask,
  EnclaveTaskOutcome,
  FailedEnclaveTask,
  NetworkIsolation,
} from "./EnclaveTask.ts";
export { EnclaveError, type EnclaveErrorCode } from "./EnclaveError.ts";
export type { ReleasedSecrets, SecretsClient, SecretsSessionRequest, StageKey, StageKeys } from "./SecretsClient.ts";
export type { WorkerLimits } from "./limits.ts";
export {
  DEFAULT_ENCLAVE_IDENTITY,
  createQuotingPlatform,
  hardwareQuotingPlatform,
  simulatedQuotingPlatform,
  type EnclaveIdentity,
  type QuotingPlatform,
} from "./quotingPlatform.ts";
export { probeSandboxCapabilities, type SandboxCapabilities } from "./sandbox/sandboxCapabilities.ts";
export { HttpSecretsClient, type HttpSecretsClientOptions } from "./HttpSecretsClient.ts";
export { offeredRuntimes, type OfferedRuntimes } from "./offeredRuntimes.ts";
export { runAppLocally, type LocalAppReport, type LocalAppRun } from "./runAppLocally.ts";
export { DEFAULT_PYTHON_INTERPRETER, type RuntimeExecutables } from "./launchers/runtimeLaunchers.ts";
