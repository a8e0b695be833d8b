// Intel's TCB level matching: the platform's level in the TCB info by the PCK certificate's 16 SGX
// components and PCESVN (and for TDX the TEE TCB SVN), the TDX module's identity and level, and
// the convergence of those statuses with the quoting enclave's.
import type { EnclaveIdentityTcbLevel } from "./enclaveIdentity.ts";
import type { TdReportBody } from "./quoteLayout.ts";
import type { SgxPckExtension } from "./sgxExtension.ts";
import type { TcbInfo, TcbLevel, TdxModule, TdxModuleIdentity, TdxModuleTcbLevel } from "./tcbInfo.ts";
import { convergeStatus, mergeAdvisoryIds, type TcbStatus } from "./tcbStatus.ts";

export type TcbJudgement =
  | { ok: true; status: Exclude<TcbStatus, "Revoked">; advisoryIds: string[]; tcbDate: string }
  | { ok: false; check: "TCB_STATUS" | "TCB_REVOKED" | "TDX_MODULE"; detail: string };

/** The SGX platform's status: its TCB info level converged with the QE identity's level. */
export function judgeSgxTcb(info: TcbInfo, pck: SgxPckExtension, qeLevel: EnclaveIdentityTcbLevel): TcbJudgement {
  const level = info.tcbLevels.find((candidate) => reachesSgxLevel(pck, candidate));
  if (!level) return notSupported("the platform's TCB (PCK certificate) is below every level of the TCB info");
  return finalJudgement(convergeStatus(level.status, qeLevel.status), level, [level.advisoryIds, qeLevel.advisoryIds]);
}

/**
 * The TD platform's status: the TDX module must be the one the TCB info names (MRSIGNERSEAM, zero
 * SEAM attributes); the level must match both SGX components and TEE TCB SVN; the module's own
 * level (by its major version's identity) and the QE's level then converge into it.
 */
export function judgeTdxTcb(
  info: TcbInfo,
  pck: SgxPckExtension,
  report: TdReportBody,
  qeLevel: EnclaveIdentityTcbLevel,
): TcbJudgement {
  const moduleVersion = report.teeTcbSvn[1]!;
  const identity = moduleVersion > 0 ? findModuleIdentity(info.tdxModuleIdentities, moduleVersion) : undefined;
  if (moduleVersion > 0 && !identity) {
    return { ok: false, check: "TDX_MODULE", detail: `the TCB info has no identity for TDX module version ${moduleVersion}` };
  }
  const moduleMismatch = moduleIdentityMismatch(identity ?? info.tdxModule, report);
  if (moduleMismatch) return { ok: false, check: "TDX_MODULE", detail: moduleMismatch };

  const sgxLevels = info.tcbLevels.filter((candidate) => reachesSgxLevel(pck, candidate));
  if (sgxLevels.length === 0) return notSupported("the platform's TCB (PCK certificate) is below every level of the TCB info");
  const level = sgxLevels.find((candidate) => reachesTdxLevel(report.teeTcbSvn, candidate));
  if (!level) return notSupported("the TD's TEE TCB SVN is below every level of the TCB info");

  let moduleLevel: TdxModuleTcbLevel | undefined;
  if (identity) {
    moduleLevel = identity.tcbLevels.find((candidate) => report.teeTcbSvn[0]! >= candidate.isvSvn);
    if (!moduleLevel) return notSupported(`the TDX module's SVN ${report.teeTcbSvn[0]} is below every level of ${identity.id}`);
  }
  const withModule = moduleLevel ? convergeStatus(level.status, moduleLevel.status) : level.status;
  return finalJudgement(convergeStatus(withModule, qeLevel.status), level, [
    level.advisoryIds,
    moduleLevel?.advisoryIds ?? [],
    qeLevel.advisoryIds,
  ]);
}

function finalJudgement(status: TcbStatus, level: TcbLevel, advisories: readonly (readonly string[])[]): TcbJudgement {
  const advisoryIds = mergeAdvisoryIds(...advisories);
  if (status === "Revoked") {
    return { ok: false, check: "TCB_REVOKED", detail: `the platform's TCB level is revoked (advisories: ${advisoryIds.join(", ") || "none"})` };
  }
  return { ok: true, status, advisoryIds, tcbDate: level.tcbDate };
}

function notSupported(detail: string): TcbJudgement {
  return { ok: false, check: "TCB_STATUS", detail };
}

function reachesSgxLevel(pck: SgxPckExtension, level: TcbLevel): boolean {
  return pck.pceSvn >= level.pceSvn && level.sgxComponents.every((svn, i) => pck.cpuSvnComponents[i]! >= svn);
}

/** With a TDX module of major version above 0, its two bytes are judged by the module identity instead. */
function reachesTdxLevel(teeTcbSvn: Uint8Array, level: TcbLevel): boolean {
  const components = level.tdxComponents;
  if (!components) return false;
  const first = teeTcbSvn[1]! > 0 ? 2 : 0;
  for (let i = first; i < components.length; i++) if (teeTcbSvn[i]! < components[i]!) return false;
  return true;
}

function findModuleIdentity(identities: readonly TdxModuleIdentity[] | undefined, moduleVersion: number): TdxModuleIdentity | undefined {
  const id = `TDX_${moduleVersion.toString(16).toUpperCase().padStart(2, "0")}`;
  return identities?.find((identity) => identity.id.toUpperCase() === id);
}

function moduleIdentityMismatch(module: TdxModule | undefined, report: TdReportBody): string | undefined {
  if (!module) return "the TCB info names no TDX module";
  if (Buffer.compare(module.mrSigner, report.mrSignerSeam) !== 0) return "MRSIGNERSEAM is not the TDX module signer of the TCB info";
  for (let i = 0; i < report.seamAttributes.length; i++) {
    if (report.seamAttributes[i] !== 0 || module.attributes[i] !== 0) return "SEAM attributes are not zero";
  }
  return undefined;
}
