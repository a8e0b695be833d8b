// The devnet's TCB history: the TCB levels its TCB info publishes (one per Intel TCB status) and,
// for each state a devnet platform can be put in, the TCB its PCK certificate certifies.
//
// Component 0 and 1 stand for the microcode SVN, component 6 for a configuration setting
// (1 = hardened), the PCESVN for the PCE's security version. A platform matches the first level
// its TCB is at or above in every component, so each state lands on the level of that status.
import type { PlatformTcb } from "./sgxExtensionEncoding.ts";

export type TcbStatus =
  | "UpToDate"
  | "SWHardeningNeeded"
  | "ConfigurationNeeded"
  | "ConfigurationAndSWHardeningNeeded"
  | "OutOfDate"
  | "OutOfDateConfigurationNeeded"
  | "Revoked";

/** A TCB status of the levels, or below every level (no level matches: the TCB is not supported). */
export type DevnetTcbState = TcbStatus | "BelowAllLevels";
export const DEVNET_TCB_STATES: readonly DevnetTcbState[] = [
  "UpToDate",
  "SWHardeningNeeded",
  "ConfigurationNeeded",
  "ConfigurationAndSWHardeningNeeded",
  "OutOfDate",
  "OutOfDateConfigurationNeeded",
  "Revoked",
  "BelowAllLevels",
];

export interface DevnetTcbLevel {
  tcb: PlatformTcb;
  tcbDate: string;
  tcbStatus: TcbStatus;
  advisoryIDs: readonly string[];
}

const ADVISORY = {
  microcode: "DEVNET-SA-00001",
  hardening: "DEVNET-SA-00002",
  configuration: "DEVNET-SA-00003",
  revokedMicrocode: "DEVNET-SA-00000",
  quotingEnclave: "DEVNET-SA-00004",
  tdxModule: "DEVNET-SA-00005",
} as const;

/** The TCB of a platform in `state`: microcode SVN, configuration component, PCESVN. */
const PLATFORM_TCB: Record<DevnetTcbState, { microcode: number; configured: boolean; pceSvn: number }> = {
  UpToDate: { microcode: 4, configured: true, pceSvn: 13 },
  ConfigurationNeeded: { microcode: 4, configured: false, pceSvn: 13 },
  SWHardeningNeeded: { microcode: 3, configured: true, pceSvn: 13 },
  ConfigurationAndSWHardeningNeeded: { microcode: 3, configured: false, pceSvn: 13 },
  OutOfDate: { microcode: 2, configured: true, pceSvn: 12 },
  OutOfDateConfigurationNeeded: { microcode: 2, configured: false, pceSvn: 12 },
  Revoked: { microcode: 1, configured: false, pceSvn: 11 },
  BelowAllLevels: { microcode: 0, configured: false, pceSvn: 10 },
};

/** The published levels, best first, with the advisories a platform at that level is exposed to. */
const LEVELS: readonly { state: TcbStatus; tcbDate: string; advisoryIDs: readonly string[] }[] = [
  { state: "UpToDate", tcbDate: "2025-11-12T00:00:00Z", advisoryIDs: [] },
  { state: "ConfigurationNeeded", tcbDate: "2025-11-12T00:00:00Z", advisoryIDs: [ADVISORY.configuration] },
  { state: "SWHardeningNeeded", tcbDate: "2025-05-13T00:00:00Z", advisoryIDs: [ADVISORY.hardening] },
  {
    state: "ConfigurationAndSWHardeningNeeded",
    tcbDate: "2025-05-13T00:00:00Z",
    advisoryIDs: [ADVISORY.hardening, ADVISORY.configuration],
  },
  { state: "OutOfDate", tcbDate: "2024-11-12T00:00:00Z", advisoryIDs: [ADVISORY.microcode, ADVISORY.hardening] },
  {
    state: "OutOfDateConfigurationNeeded",
    tcbDate: "2024-11-12T00:00:00Z",
    advisoryIDs: [ADVISORY.microcode, ADVISORY.hardening, ADVISORY.configuration],
  },
  {
    state: "Revoked",
    tcbDate: "2024-03-12T00:00:00Z",
    advisoryIDs: [ADVISORY.revokedMicrocode, ADVISORY.microcode, ADVISORY.hardening, ADVISORY.configuration],
  },
];

/** The TCB a PCK certificate certifies for a platform in `state`. */
export function platformTcb(state: DevnetTcbState): PlatformTcb {
  const { microcode, configured, pceSvn } = PLATFORM_TCB[state];
  return { cpuSvnComponents: cpuSvnComponents(microcode, configured), pceSvn };
}

export function devnetTcbLevels(): DevnetTcbLevel[] {
  return LEVELS.map(({ state, tcbDate, advisoryIDs }) => ({ tcb: platformTcb(state), tcbDate, tcbStatus: state, advisoryIDs }));
}

function cpuSvnComponents(microcode: number, configured: boolean): number[] {
  const components = new Array<number>(16).fill(0);
  components[0] = microcode;
  components[1] = microcode;
  components.splice(2, 4, 3, 3, 1, 1);
  components[6] = configured ? 1 : 0;
  return components;
}

/**
 * TDX: the TD report's TEE_TCB_SVN (module SVN, module major version, microcode, then zeros);
 * every TDX TCB level requires exactly it, so a TD's status is its PCK's SGX TCB status.
 */
export const DEVNET_TEE_TCB_SVN: readonly number[] = [4, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** The TDX module identity levels for module major version 1 (TDX_01): ISVSVN = TEE_TCB_SVN[0]. */
export const DEVNET_TDX_MODULE_LEVELS: readonly { isvsvn: number; tcbDate: string; tcbStatus: TcbStatus; advisoryIDs: readonly string[] }[] = [
  { isvsvn: 4, tcbDate: "2025-11-12T00:00:00Z", tcbStatus: "UpToDate", advisoryIDs: [] },
  { isvsvn: 2, tcbDate: "2024-11-12T00:00:00Z", tcbStatus: "OutOfDate", advisoryIDs: [ADVISORY.tdxModule] },
];

/** Quoting enclave levels by ISVSVN, newest first. */
export const DEVNET_QE_LEVELS = {
  sgx: [
    { isvsvn: 8, tcbDate: "2025-11-12T00:00:00Z", tcbStatus: "UpToDate", advisoryIDs: [] },
    { isvsvn: 6, tcbDate: "2024-11-12T00:00:00Z", tcbStatus: "OutOfDate", advisoryIDs: [ADVISORY.quotingEnclave] },
  ],
  tdx: [{ isvsvn: 4, tcbDate: "2025-11-12T00:00:00Z", tcbStatus: "UpToDate", advisoryIDs: [] }],
} as const satisfies Record<string, readonly { isvsvn: number; tcbDate: string; tcbStatus: TcbStatus; advisoryIDs: readonly string[] }[]>;
