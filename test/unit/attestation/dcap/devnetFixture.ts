// Shared fixtures for tests of the devnet DCAP platform: fixed times, enclave and TD identities,
// and dcap-qvl's verdict as plain data (status and advisories, or the message it refused with).
import { QuoteVerifier } from "@phala/dcap-qvl";
import type { DcapCollateral } from "../../../../src/attestation/dcap/collateral.ts";
import type { SgxEnclaveIdentity, TdIdentity } from "../../../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";

/** When the devnet PKI is created and its platforms provisioned. */
export const ISSUED_AT = new Date("2026-01-01T00:00:00Z");
/** When collateral is issued and quotes are verified in most tests. */
export const NOW = new Date("2026-02-20T00:00:00Z");
export const REPORT_DATA = Uint8Array.from({ length: 64 }, (_, index) => index + 1);

export function sgxEnclave(overrides: Partial<SgxEnclaveIdentity> = {}): SgxEnclaveIdentity {
  return {
    mrEnclave: new Uint8Array(32).fill(0xe1),
    mrSigner: new Uint8Array(32).fill(0x51),
    isvProdId: 7,
    isvSvn: 3,
    debug: false,
    ...overrides,
  };
}

export function trustDomain(overrides: Partial<TdIdentity> = {}): TdIdentity {
  return {
    mrTd: new Uint8Array(48).fill(0x7d),
    rtmr: [new Uint8Array(48).fill(1), new Uint8Array(48).fill(2), new Uint8Array(48).fill(3), new Uint8Array(48)],
    debug: false,
    ...overrides,
  };
}

export type ReferenceVerdict = { ok: true; status: string; advisoryIds: string[] } | { ok: false; reason: string };

/** dcap-qvl's verdict with `rootDer` as its trusted root, as of `now`. */
export function referenceVerdict(rootDer: Uint8Array, quote: Uint8Array, collateral: DcapCollateral, now: Date): ReferenceVerdict {
  try {
    const report = QuoteVerifier.newWithRootCa(Buffer.from(rootDer)).verify(quote, collateral, Math.floor(now.getTime() / 1000));
    return { ok: true, status: report.status, advisoryIds: [...report.advisory_ids].sort() };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
