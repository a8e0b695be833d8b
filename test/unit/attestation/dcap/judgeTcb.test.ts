// Specification of Intel's TCB level matching as the verifier applies it: level selection by SGX
// components, PCESVN and TEE TCB SVN, the TDX module identity, and status convergence with advisories.
import { expect } from "chai";
import { judgeEnclaveIdentity, parseEnclaveIdentity, type EnclaveIdentityTcbLevel } from "../../../../src/attestation/dcap/enclaveIdentity.ts";
import { judgeSgxTcb, judgeTdxTcb } from "../../../../src/attestation/dcap/judgeTcb.ts";
import { parseQuote } from "../../../../src/attestation/dcap/parseQuote.ts";
import type { TdReportBody } from "../../../../src/attestation/dcap/quoteLayout.ts";
import type { SgxPckExtension } from "../../../../src/attestation/dcap/sgxExtension.ts";
import type { TcbInfo, TcbLevel } from "../../../../src/attestation/dcap/tcbInfo.ts";
import { convergeStatus, TCB_STATUSES, type TcbStatus } from "../../../../src/attestation/dcap/tcbStatus.ts";
import { loadVector } from "./dcapVectors.ts";

const UP_TO_DATE_QE: EnclaveIdentityTcbLevel = { isvSvn: 8, tcbDate: "2024-03-13T00:00:00Z", status: "UpToDate", advisoryIds: [] };

function components(...leading: number[]): number[] {
  return [...leading, ...Array<number>(16 - leading.length).fill(0)];
}

function level(sgx: number[], pceSvn: number, status: TcbStatus, advisoryIds: string[] = [], tdx?: number[]): TcbLevel {
  return { sgxComponents: sgx, pceSvn, tdxComponents: tdx, tcbDate: "2024-01-01T00:00:00Z", status, advisoryIds };
}

function pck(cpuSvnComponents: number[], pceSvn: number): SgxPckExtension {
  return {
    ppid: new Uint8Array(16),
    cpuSvnComponents,
    pceSvn,
    cpuSvn: Uint8Array.from(cpuSvnComponents),
    pceId: new Uint8Array(2),
    fmspc: new Uint8Array(6),
    sgxType: 0,
  };
}

const SGX_INFO: TcbInfo = {
  id: "SGX",
  version: 3,
  issueDate: 0,
  nextUpdate: 0,
  fmspc: "000000000000",
  pceId: "0000",
  tcbType: 0,
  tcbEvaluationDataNumber: 17,
  tcbLevels: [
    level(components(5, 5, 2), 13, "UpToDate"),
    level(components(5, 5, 0), 13, "ConfigurationNeeded", ["INTEL-SA-1"]),
    level(components(4, 4, 0), 11, "OutOfDate", ["INTEL-SA-2", "INTEL-SA-1"]),
    level(components(1), 1, "Revoked", ["INTEL-SA-3"]),
  ],
};

describe("TCB level matching", function () {
  describe("SGX", function () {
    it("selects the first level every component and the PCESVN reach", function () {
      expect(judgeSgxTcb(SGX_INFO, pck(components(5, 5, 2), 13), UP_TO_DATE_QE)).to.deep.include({ ok: true, status: "UpToDate" });
      expect(judgeSgxTcb(SGX_INFO, pck(components(9, 9, 9), 20), UP_TO_DATE_QE)).to.deep.include({ ok: true, status: "UpToDate" });
      expect(judgeSgxTcb(SGX_INFO, pck(components(5, 5, 1), 13), UP_TO_DATE_QE)).to.deep.include({ status: "ConfigurationNeeded", advisoryIds: ["INTEL-SA-1"] });
      expect(judgeSgxTcb(SGX_INFO, pck(components(5, 5, 2), 12), UP_TO_DATE_QE)).to.deep.include({ status: "OutOfDate" });
      expect(judgeSgxTcb(SGX_INFO, pck(components(9, 4, 9), 13), UP_TO_DATE_QE)).to.deep.include({ status: "OutOfDate" });
    });

    it("compares each of the 16 components, not just the first ones", function () {
      const info: TcbInfo = { ...SGX_INFO, tcbLevels: [level(components(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 1, "UpToDate"), level(components(), 0, "OutOfDate")] };
      expect(judgeSgxTcb(info, pck(components(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 1), UP_TO_DATE_QE)).to.deep.include({ status: "UpToDate" });
      expect(judgeSgxTcb(info, pck(components(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0), 1), UP_TO_DATE_QE)).to.deep.include({ status: "OutOfDate" });
    });

    it("refuses a platform below every level, and a revoked level", function () {
      expect(judgeSgxTcb(SGX_INFO, pck(components(0), 0), UP_TO_DATE_QE)).to.deep.include({ ok: false, check: "TCB_STATUS" });
      expect(judgeSgxTcb(SGX_INFO, pck(components(1), 1), UP_TO_DATE_QE)).to.deep.include({
        ok: false,
        check: "TCB_REVOKED",
        detail: "the platform's TCB level is revoked (advisories: INTEL-SA-3)",
      });
    });

    it("converges with the QE's level and merges advisories, platform first, each once", function () {
      const outdatedQe: EnclaveIdentityTcbLevel = { ...UP_TO_DATE_QE, status: "OutOfDate", advisoryIds: ["INTEL-SA-1", "INTEL-SA-9"] };
      expect(judgeSgxTcb(SGX_INFO, pck(components(5, 5, 2), 13), outdatedQe)).to.deep.include({ status: "OutOfDate", advisoryIds: ["INTEL-SA-1", "INTEL-SA-9"] });
      expect(judgeSgxTcb(SGX_INFO, pck(components(5, 5, 0), 13), outdatedQe)).to.deep.include({
        status: "OutOfDateConfigurationNeeded",
        advisoryIds: ["INTEL-SA-1", "INTEL-SA-9"],
      });
      expect(judgeSgxTcb(SGX_INFO, pck(components(4, 4, 0), 11), outdatedQe)).to.deep.include({ advisoryIds: ["INTEL-SA-2", "INTEL-SA-1", "INTEL-SA-9"] });
      expect(judgeSgxTcb(SGX_INFO, pck(components(5, 5, 2), 13), { ...UP_TO_DATE_QE, status: "Revoked" })).to.deep.include({ ok: false, check: "TCB_REVOKED" });
    });
  });

  describe("convergeStatus", function () {
    it("follows Intel's table for an out-of-date or revoked component", function () {
      const expected: Record<TcbStatus, TcbStatus> = {
        UpToDate: "OutOfDate",
        SWHardeningNeeded: "OutOfDate",
        ConfigurationNeeded: "OutOfDateConfigurationNeeded",
        ConfigurationAndSWHardeningNeeded: "OutOfDateConfigurationNeeded",
        OutOfDate: "OutOfDate",
        OutOfDateConfigurationNeeded: "OutOfDateConfigurationNeeded",
        Revoked: "Revoked",
      };
      for (const status of TCB_STATUSES) {
        expect(convergeStatus(status, "OutOfDate"), status).to.equal(expected[status]);
        expect(convergeStatus(status, "UpToDate"), status).to.equal(status);
        expect(convergeStatus(status, "Revoked"), status).to.equal("Revoked");
      }
    });
  });

  describe("TDX", function () {
    const tdx = parseQuote(loadVector("tdx").quote);
    if (tdx.body.teeType !== "TDX") throw new Error("the TDX vector is not a TD quote");
    const report = tdx.body.report;
    const withTeeTcbSvn = (svn: number[]): TdReportBody => ({ ...report, teeTcbSvn: Uint8Array.from(components(...svn)) });
    const platform = pck(components(2, 2, 2, 2, 3, 1, 0, 5), 11);
    const moduleLevels = [
      { isvSvn: 4, tcbDate: "2024-03-13T00:00:00Z", status: "UpToDate" as const, advisoryIds: [] },
      { isvSvn: 2, tcbDate: "2023-08-09T00:00:00Z", status: "OutOfDate" as const, advisoryIds: ["INTEL-SA-M"] },
    ];
    const zero48 = new Uint8Array(48);
    const zero8 = new Uint8Array(8);
    const ones8 = new Uint8Array(8).fill(0xff);
    const info: TcbInfo = {
      ...SGX_INFO,
      id: "TDX",
      tdxModule: { mrSigner: zero48, attributes: zero8, attributesMask: ones8 },
      tdxModuleIdentities: [{ id: "TDX_01", mrSigner: zero48, attributes: zero8, attributesMask: ones8, tcbLevels: moduleLevels }],
      tcbLevels: [
        level(components(2, 2, 2, 2, 3, 1, 0, 5), 11, "UpToDate", [], components(5, 0, 3)),
        level(components(2, 2, 2, 2, 3, 1, 0, 5), 11, "OutOfDate", ["INTEL-SA-T"], components(0, 0, 2)),
        level(components(), 0, "OutOfDate", ["INTEL-SA-O"], components()),
      ],
    };

    it("judges Intel's TD quote UpToDate with module TDX_01 (TEE TCB SVN 06 01 03)", function () {
      expect(judgeTdxTcb(info, platform, report, UP_TO_DATE_QE)).to.deep.include({ ok: true, status: "UpToDate", advisoryIds: [] });
    });

    it("skips the module's two bytes when its major version is above 0, and judges them by the module identity", function () {
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([0xff, 1, 3]), UP_TO_DATE_QE)).to.deep.include({ status: "UpToDate" });
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([3, 1, 3]), UP_TO_DATE_QE)).to.deep.include({ status: "OutOfDate", advisoryIds: ["INTEL-SA-M"] });
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([1, 1, 3]), UP_TO_DATE_QE)).to.deep.include({ ok: false, check: "TCB_STATUS" });
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([6, 1, 2]), UP_TO_DATE_QE)).to.deep.include({ status: "OutOfDate", advisoryIds: ["INTEL-SA-T"] });
    });

    it("compares every TEE TCB SVN byte with the module at version 0, whose identity is the TCB info's tdxModule", function () {
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([5, 0, 3]), UP_TO_DATE_QE)).to.deep.include({ status: "UpToDate" });
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([4, 0, 3]), UP_TO_DATE_QE)).to.deep.include({ status: "OutOfDate" });
    });

    it("refuses a module version the TCB info has no identity for, another module signer, or SEAM attributes", function () {
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([6, 2, 3]), UP_TO_DATE_QE)).to.deep.include({ ok: false, check: "TDX_MODULE" });
      const signer = Uint8Array.from(zero48);
      signer[47] = 1;
      expect(judgeTdxTcb(info, platform, { ...report, mrSignerSeam: signer }, UP_TO_DATE_QE)).to.deep.include({ ok: false, check: "TDX_MODULE" });
      expect(judgeTdxTcb(info, platform, { ...report, seamAttributes: Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0) }, UP_TO_DATE_QE)).to.deep.include({
        ok: false,
        check: "TDX_MODULE",
      });
    });

    it("needs the SGX components too, and converges module and QE levels into the TD's status", function () {
      expect(judgeTdxTcb(info, pck(components(2, 2, 2, 2, 3, 1, 0, 4), 11), report, UP_TO_DATE_QE)).to.deep.include({ status: "OutOfDate", advisoryIds: ["INTEL-SA-O"] });
      const revokedModule = { ...info, tdxModuleIdentities: [{ ...info.tdxModuleIdentities![0]!, tcbLevels: [{ ...moduleLevels[0]!, status: "Revoked" as const }] }] };
      expect(judgeTdxTcb(revokedModule, platform, report, UP_TO_DATE_QE)).to.deep.include({ ok: false, check: "TCB_REVOKED" });
      const outdatedQe: EnclaveIdentityTcbLevel = { ...UP_TO_DATE_QE, status: "OutOfDate", advisoryIds: ["INTEL-SA-Q"] };
      expect(judgeTdxTcb(info, platform, withTeeTcbSvn([3, 1, 3]), outdatedQe)).to.deep.include({ status: "OutOfDate", advisoryIds: ["INTEL-SA-M", "INTEL-SA-Q"] });
    });
  });

  describe("QE identity", function () {
    const sgx = loadVector("sgx");
    const identity = parseEnclaveIdentity(sgx.collateral.qe_identity);
    const qeReport = parseQuote(sgx.quote).qe.qeReport;

    it("matches Intel's QE at its ISVSVN level", function () {
      expect(judgeEnclaveIdentity(identity, qeReport)).to.deep.include({ ok: true });
      expect(judgeEnclaveIdentity(identity, { ...qeReport, isvSvn: 7 })).to.deep.include({ ok: true, level: identity.tcbLevels[1] });
      expect(judgeEnclaveIdentity(identity, { ...qeReport, isvSvn: 0 })).to.deep.include({ ok: false, mismatch: "ISVSVN" });
    });

    it("refuses another signer, product, MISCSELECT or a masked attribute such as DEBUG", function () {
      const mrSigner = Uint8Array.from(qeReport.mrSigner);
      mrSigner[0] ^= 1;
      expect(judgeEnclaveIdentity(identity, { ...qeReport, mrSigner })).to.deep.include({ mismatch: "MRSIGNER" });
      expect(judgeEnclaveIdentity(identity, { ...qeReport, isvProdId: qeReport.isvProdId + 1 })).to.deep.include({ mismatch: "ISVPRODID" });
      expect(judgeEnclaveIdentity(identity, { ...qeReport, miscSelect: 1 })).to.deep.include({ mismatch: "MISCSELECT" });
      const debug = Uint8Array.from(qeReport.attributes);
      debug[0] |= 0x02;
      expect(judgeEnclaveIdentity(identity, { ...qeReport, attributes: debug })).to.deep.include({ mismatch: "ATTRIBUTES" });
      const unmasked = Uint8Array.from(qeReport.attributes);
      unmasked[15] ^= 0xff;
      expect(judgeEnclaveIdentity(identity, { ...qeReport, attributes: unmasked })).to.deep.include({ ok: true });
    });
  });
});
