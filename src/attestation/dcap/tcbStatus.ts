// TCB statuses and how Intel's QVL converges them: the platform level's status with the TDX
// module's and then with the quoting enclave's, and the advisory IDs of every matched level.

export const TCB_STATUSES = [
  "UpToDate",
  "SWHardeningNeeded",
  "ConfigurationNeeded",
  "ConfigurationAndSWHardeningNeeded",
  "OutOfDate",
  "OutOfDateConfigurationNeeded",
  "Revoked",
] as const;
export type TcbStatus = (typeof TCB_STATUSES)[number];

/**
 * The status after a component (the TDX module, or the QE) at `componentStatus`: an out-of-date
 * component makes an up-to-date or hardening-only platform OutOfDate and a configuration-needing
 * one OutOfDateConfigurationNeeded; a revoked component revokes everything; otherwise the
 * platform's status stands.
 */
export function convergeStatus(platformStatus: TcbStatus, componentStatus: TcbStatus): TcbStatus {
  if (componentStatus === "Revoked") return "Revoked";
  if (componentStatus === "OutOfDate" || componentStatus === "OutOfDateConfigurationNeeded") {
    if (platformStatus === "UpToDate" || platformStatus === "SWHardeningNeeded") return "OutOfDate";
    if (platformStatus === "ConfigurationNeeded" || platformStatus === "ConfigurationAndSWHardeningNeeded") {
      return "OutOfDateConfigurationNeeded";
    }
  }
  return platformStatus;
}

/** Advisory IDs of the matched levels, platform first, each once. */
export function mergeAdvisoryIds(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}
