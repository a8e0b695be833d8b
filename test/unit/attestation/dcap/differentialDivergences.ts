// Known, reported divergences between our verifier and dcap-qvl 0.3.9 (see MISMATCHES.md in the
// worktree, items D1 to D17; D16 is resolved). Each names the mutations it arises from and the
// exact pair of verdicts seen there; any other disagreement fails the differential test. An entry
// is removed once one side changes, so the test then demands agreement on those cases too.
import { TD_REPORT_10_LENGTH } from "../../../../src/attestation/dcap/index.ts";
import type { ReferenceVerdict } from "./devnetFixture.ts";
import type { Verdict } from "./differentialHarness.ts";
import type { DifferentialCase, Mutation } from "./differentialMutations.ts";

export interface Divergence {
  id: string;
  summary: string;
  applies(testCase: DifferentialCase, tee: "sgx" | "tdx", ours: Verdict, theirs: ReferenceVerdict): boolean;
}

type Kind = Mutation["kind"];
const is = <K extends Kind>(mutation: Mutation, kind: K): mutation is Extract<Mutation, { kind: K }> => mutation.kind === kind;
function oursRefused(ours: Verdict, ...checks: string[]): ours is Extract<Verdict, { ok: false }> {
  return !ours.ok && checks.includes(ours.check);
}
const editPath = (mutation: Mutation): string =>
  is(mutation, "tcbInfo") || is(mutation, "qeIdentity") ? mutation.edit.path.filter((key) => typeof key === "string").join(".") : "";

/** Regions of a TD report that only the TDX module identity check reads: TEE_TCB_SVN, MRSIGNERSEAM, SEAM attributes. */
function touchesTdxModuleFields(mutation: Mutation): boolean {
  if (is(mutation, "field")) return mutation.target === "body" && [0, 64, 112].includes(mutation.offset);
  return is(mutation, "flip") && mutation.region === "body" && mutation.resign;
}

export const KNOWN_DIVERGENCES: readonly Divergence[] = [
  {
    id: "D1-D3",
    summary: "CRL signature, issuer, validity window and encoding: checked by ours, not by dcap-qvl",
    applies: ({ mutation }, _tee, ours, theirs) =>
      is(mutation, "crl") &&
      !("revoke" in mutation.change) &&
      theirs.ok &&
      oursRefused(ours, "ROOT_CA_CRL", "PCK_CRL", "ROOT_CA_CRL_EXPIRED", "PCK_CRL_EXPIRED", "MALFORMED_COLLATERAL"),
  },
  {
    id: "D4",
    summary: "revocation scope: dcap-qvl matches every chain certificate's serial against every CRL",
    applies: ({ mutation }, _tee, ours, theirs) =>
      is(mutation, "crl") &&
      "revoke" in mutation.change &&
      ours.ok &&
      !theirs.ok &&
      theirs.reason === "Certificate is revoked",
  },
  {
    id: "D5-D6",
    summary: "bytes outside the structures: trailing quote bytes, certification data types and sizes, text around the PEM chain",
    applies: ({ mutation }, _tee, ours, theirs) =>
      theirs.ok &&
      oursRefused(ours, "MALFORMED_QUOTE", "PCK_CHAIN") &&
      (is(mutation, "length") ||
        (is(mutation, "flip") && ["outerCertificationHeader", "pckCertificationHeader", "pckChain"].includes(mutation.region))),
  },
  {
    id: "D7",
    summary: "QE vendor ID: ours requires Intel's, dcap-qvl does not read it",
    applies: ({ mutation }, _tee, ours, theirs) =>
      theirs.ok &&
      oursRefused(ours, "MALFORMED_QUOTE") &&
      ours.reason.includes("QE vendor ID") &&
      ((is(mutation, "field") && mutation.target === "header") || (is(mutation, "flip") && mutation.region === "header")),
  },
  {
    id: "D8",
    summary: "QE report data: ours requires its last 32 bytes to be zero, dcap-qvl compares the first 32 only",
    applies: ({ mutation }, _tee, ours, theirs) =>
      theirs.ok &&
      oursRefused(ours, "QE_REPORT_DATA") &&
      ((is(mutation, "flip") && mutation.region === "qeReport") || (is(mutation, "field") && mutation.target === "qeReport")),
  },
  {
    id: "D9",
    summary: "TDX module identity (tdxModule, tdxModuleIdentities): applied by ours, ignored by dcap-qvl",
    applies: ({ mutation }, tee, ours, theirs) => {
      if (tee !== "tdx" || !(editPath(mutation).startsWith("tdxModule") || touchesTdxModuleFields(mutation))) return false;
      // MALFORMED_COLLATERAL: an unknown status in a module level (D13 on a part dcap-qvl never reads).
      if (theirs.ok && oursRefused(ours, "TDX_MODULE", "TCB_REVOKED", "MALFORMED_COLLATERAL")) return true;
      return ours.ok && theirs.ok && theirs.advisoryIds.every((id) => ours.advisoryIds.includes(id)) && ours.status.startsWith("OutOfDate");
    },
  },
  {
    id: "D10",
    summary: "status convergence: ConfigurationNeeded platform with an OutOfDate QE is OutOfDateConfigurationNeeded for ours, OutOfDate for dcap-qvl",
    applies: (_case, _tee, ours, theirs) =>
      ours.ok &&
      theirs.ok &&
      ours.status === "OutOfDateConfigurationNeeded" &&
      theirs.status === "OutOfDate" &&
      JSON.stringify(ours.advisoryIds) === JSON.stringify(theirs.advisoryIds),
  },
  {
    id: "D11-D14",
    summary: "collateral document shape: TCB info version and level format, pceId, unknown statuses, QE identity version",
    applies: ({ mutation }, _tee, ours, theirs) =>
      theirs.ok &&
      oursRefused(ours, "MALFORMED_COLLATERAL", "TCB_INFO_MISMATCH") &&
      ["version", "pceId", "tcbLevels.tcbStatus"].includes(editPath(mutation)),
  },
  {
    id: "D15",
    summary: "QE identity ATTRIBUTES under its mask: ours compares with the unmasked value, dcap-qvl masks both sides",
    applies: ({ mutation }, _tee, ours, theirs) =>
      theirs.ok && oursRefused(ours, "QE_IDENTITY_MISMATCH") && ["attributes", "attributesMask"].includes(editPath(mutation)),
  },
  {
    id: "D17",
    summary: "TDX level matching: ours compares TEE_TCB_SVN from byte 2 when the module version is above 0, dcap-qvl all 16 bytes",
    applies: ({ mutation }, tee, ours, theirs) =>
      tee === "tdx" &&
      // The first two TEE_TCB_SVN bytes, edited in the TCB info's levels or in the quote (signed again).
      ((is(mutation, "tcbInfo") && mutation.edit.path[3] === "tdxtcbcomponents" && (mutation.edit.path[4] === 0 || mutation.edit.path[4] === 1)) ||
        (is(mutation, "flip") && mutation.region === "body" && mutation.resign && Math.floor(mutation.position * TD_REPORT_10_LENGTH) <= 1)) &&
      ours.ok &&
      // dcap-qvl then lands on a lower level than ours, or on none: another status, a revoked level, no match.
      (theirs.ok ? theirs.status !== ours.status : theirs.reason === "No matching TCB level found" || theirs.reason === "TCB status is invalid: Revoked"),
  },
];

/** The divergence a disagreement is a known instance of, if any. */
export function knownDivergence(testCase: DifferentialCase, tee: "sgx" | "tdx", ours: Verdict, theirs: ReferenceVerdict): Divergence | undefined {
  return KNOWN_DIVERGENCES.find((divergence) => divergence.applies(testCase, tee, ours, theirs));
}
