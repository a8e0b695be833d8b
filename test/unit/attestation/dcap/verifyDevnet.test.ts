// Specification of the DCAP verifier on devnet quotes under the devnet root: SGX v3 and v4 and TDX
// v4 quotes accepted with their platform's status, and the named refusal for debug enclaves and
// TDs, revoked PCKs and CAs, revoked or unknown TCB levels, and each expired collateral document.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DcapVerifier, intelSgxRoot, type DcapCollateral, type DcapVerdict } from "../../../../src/attestation/dcap/index.ts";
import { DevnetDcap } from "../../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import { loadPki } from "../../../../src/attestation/dcap/devnet/devnetDcapStore.ts";
import { DevnetPki } from "../../../../src/attestation/dcap/devnet/DevnetPki.ts";
import type { SgxEnclaveIdentity, SimulatedQuotingEnclave, TdIdentity } from "../../../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";

const ISSUED_AT = new Date("2026-01-01T00:00:00Z");
const NOW = new Date("2026-02-20T00:00:00Z");
const REPORT_DATA = Uint8Array.from({ length: 64 }, (_, index) => 255 - index);
const ENCLAVE: SgxEnclaveIdentity = { mrEnclave: new Uint8Array(32).fill(0xe1), mrSigner: new Uint8Array(32).fill(0x51), isvProdId: 7, isvSvn: 3, debug: false };
const TD: TdIdentity = { mrTd: new Uint8Array(48).fill(0x7d), rtmr: [new Uint8Array(48), new Uint8Array(48).fill(1), new Uint8Array(48), new Uint8Array(48)], debug: false };

describe("DcapVerifier on devnet quotes", function () {
  this.timeout(60_000);
  let directory: string;
  let devnet: DevnetDcap;
  let pki: DevnetPki;
  let verifier: DcapVerifier;
  let collateral: { sgx: DcapCollateral; tdx: DcapCollateral };
  let sgxPlatform: SimulatedQuotingEnclave;
  let tdxPlatform: SimulatedQuotingEnclave;

  before(async function () {
    directory = await mkdtemp(join(tmpdir(), "continuum-dcap-verify-devnet-"));
    devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT, directory });
    pki = await DevnetPki.restore(await loadPki(directory));
    verifier = new DcapVerifier({ trustedRoot: devnet.rootCertificatePem });
    sgxPlatform = await devnet.provisionPlatform({ name: "sgx-a", tee: "sgx" }, ISSUED_AT);
    tdxPlatform = await devnet.provisionPlatform({ name: "tdx-a", tee: "tdx" }, ISSUED_AT);
    collateral = { sgx: await devnet.collateral("sgx", { now: NOW }), tdx: await devnet.collateral("tdx", { now: NOW }) };
  });

  after(async function () {
    await rm(directory, { recursive: true, force: true });
  });

  function expectRefused(verdict: DcapVerdict, check: string): void {
    expect(verdict.ok, JSON.stringify(verdict)).to.equal(false);
    if (!verdict.ok) expect(verdict.check, verdict.detail).to.equal(check);
  }

  it("accepts SGX v3, SGX v4 and TDX v4 quotes with their measurement and report data", function () {
    for (const version of [3, 4] as const) {
      const verdict = verifier.verify(sgxPlatform.sgxQuote(ENCLAVE, REPORT_DATA, { version }), collateral.sgx, NOW);
      expect(verdict).to.deep.include({ ok: true, status: "UpToDate", teeType: "SGX", quoteVersion: version });
      if (verdict.ok && verdict.teeType === "SGX") expect(verdict.measurement.mrEnclave).to.equal(`0x${"e1".repeat(32)}`);
      if (verdict.ok) expect(verdict.reportData).to.equal(`0x${Buffer.from(REPORT_DATA).toString("hex")}`);
    }
    const td = verifier.verify(tdxPlatform.tdxQuote(TD, REPORT_DATA), collateral.tdx, NOW);
    expect(td).to.deep.include({ ok: true, status: "UpToDate", teeType: "TDX", quoteVersion: 4 });
    if (td.ok && td.teeType === "TDX") expect(td.measurement.rtmr1).to.equal(`0x${"01".repeat(48)}`);
  });

  it("refuses debug enclaves and debug TDs, and TDs without SEPT_VE_DISABLE", function () {
    expectRefused(verifier.verify(sgxPlatform.sgxQuote({ ...ENCLAVE, debug: true }, REPORT_DATA), collateral.sgx, NOW), "DEBUG_ENCLAVE");
    expectRefused(verifier.verify(tdxPlatform.tdxQuote({ ...TD, debug: true }, REPORT_DATA), collateral.tdx, NOW), "DEBUG_TD");
    expectRefused(verifier.verify(tdxPlatform.tdxQuote({ ...TD, tdAttributes: 0n }, REPORT_DATA), collateral.tdx, NOW), "TD_ATTRIBUTES");
  });

  it("judges each TCB state of the devnet's TCB info, and an out-of-date QE", async function () {
    const cases = [
      { tcbState: "SWHardeningNeeded", expected: { ok: true, status: "SWHardeningNeeded" } },
      { tcbState: "OutOfDateConfigurationNeeded", expected: { ok: true, status: "OutOfDateConfigurationNeeded" } },
      { tcbState: "Revoked", expected: { ok: false, check: "TCB_REVOKED" } },
      { tcbState: "BelowAllLevels", expected: { ok: false, check: "TCB_STATUS" } },
    ] as const;
    for (const { tcbState, expected } of cases) {
      for (const tee of ["sgx", "tdx"] as const) {
        const platform = await devnet.provisionPlatform({ name: `${tee}-${tcbState.toLowerCase()}`, tee, tcbState }, ISSUED_AT);
        const quote = tee === "sgx" ? platform.sgxQuote(ENCLAVE, REPORT_DATA) : platform.tdxQuote(TD, REPORT_DATA);
        expect(verifier.verify(quote, collateral[tee], NOW), `${tee} ${tcbState}`).to.deep.include(expected);
      }
    }
    const oldQe = await devnet.provisionPlatform({ name: "sgx-old-qe", tee: "sgx", qeSvn: 6 }, ISSUED_AT);
    expect(verifier.verify(oldQe.sgxQuote(ENCLAVE, REPORT_DATA), collateral.sgx, NOW)).to.deep.include({ ok: true, status: "OutOfDate" });
    const ancientQe = await devnet.provisionPlatform({ name: "sgx-ancient-qe", tee: "sgx", qeSvn: 5 }, ISSUED_AT);
    expectRefused(verifier.verify(ancientQe.sgxQuote(ENCLAVE, REPORT_DATA), collateral.sgx, NOW), "TCB_STATUS");
  });

  it("refuses a revoked PCK certificate once the PCK CRL lists it", async function () {
    const platform = await devnet.provisionPlatform({ name: "sgx-to-revoke", tee: "sgx" }, ISSUED_AT);
    const quote = platform.sgxQuote(ENCLAVE, REPORT_DATA);
    expect(verifier.verify(quote, collateral.sgx, NOW)).to.deep.include({ ok: true });
    await devnet.revokePck("sgx-to-revoke");
    expectRefused(verifier.verify(quote, await devnet.collateral("sgx", { now: NOW }), NOW), "PCK_REVOKED");
  });

  it("refuses every quote when the root CA CRL lists the PCK CA, or the root itself", async function () {
    const window = { thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 86_400_000) };
    const quote = sgxPlatform.sgxQuote(ENCLAVE, REPORT_DATA);
    for (const revoked of [pki.platformCa, pki.root]) {
      const rootCaCrl = await pki.rootCaCrl({ ...window, revokedSerials: [revoked.certificate.serialNumber] });
      const withCrl = { ...collateral.sgx, root_ca_crl: Buffer.from(rootCaCrl).toString("hex") };
      expectRefused(verifier.verify(quote, withCrl, NOW), "PCK_REVOKED");
    }
  });

  it("names the expired document when one piece of collateral is past its nextUpdate", async function () {
    const quote = tdxPlatform.tdxQuote(TD, REPORT_DATA);
    const expectedCheck = { tcbInfo: "TCB_INFO_EXPIRED", qeIdentity: "QE_IDENTITY_EXPIRED", pckCrl: "PCK_CRL_EXPIRED", rootCaCrl: "ROOT_CA_CRL_EXPIRED" } as const;
    for (const [kind, check] of Object.entries(expectedCheck) as [keyof typeof expectedCheck, string][]) {
      expectRefused(verifier.verify(quote, await devnet.collateral("tdx", { now: NOW, expired: [kind] }), NOW), check);
    }
  });

  it("refuses devnet quotes under Intel's root", function () {
    const intel = new DcapVerifier({ trustedRoot: intelSgxRoot() });
    expectRefused(intel.verify(sgxPlatform.sgxQuote(ENCLAVE, REPORT_DATA), collateral.sgx, NOW), "PCK_CHAIN");
  });
});
