// Specification of the report body refusals: debug SGX enclaves, debug TDs, TDs with reserved
// attribute bits or without SEPT_VE_DISABLE, and TD reports bound to a service TD.
import { expect } from "chai";
import { parseQuote } from "../../../../src/attestation/dcap/parseQuote.ts";
import type { QuoteBody } from "../../../../src/attestation/dcap/quoteLayout.ts";
import { reportBodyRefusal } from "../../../../src/attestation/dcap/reportBody.ts";
import { loadVector } from "./dcapVectors.ts";

const sgxBody = parseQuote(loadVector("sgx").quote).body;
const tdxBody = parseQuote(loadVector("tdx").quote).body;

function sgxWithAttributes(byte0: number): QuoteBody {
  if (sgxBody.teeType !== "SGX") throw new Error("not SGX");
  const attributes = Uint8Array.from(sgxBody.report.attributes);
  attributes[0] = byte0;
  return { teeType: "SGX", report: { ...sgxBody.report, attributes } };
}

function tdWith(change: (tdAttributes: Uint8Array) => void, mrServiceTd?: Uint8Array): QuoteBody {
  if (tdxBody.teeType !== "TDX") throw new Error("not TDX");
  const tdAttributes = Uint8Array.from(tdxBody.report.tdAttributes);
  change(tdAttributes);
  return { teeType: "TDX", report: { ...tdxBody.report, tdAttributes, ...(mrServiceTd ? { tdReportVersion: "1.5", mrServiceTd } : {}) } };
}

describe("reportBodyRefusal", function () {
  it("accepts Intel's production enclave and TD", function () {
    expect(reportBodyRefusal(sgxBody)).to.equal(undefined);
    expect(reportBodyRefusal(tdxBody)).to.equal(undefined);
  });

  it("refuses an SGX enclave with ATTRIBUTES.DEBUG", function () {
    expect(reportBodyRefusal(sgxWithAttributes(0x07))).to.deep.include({ ok: false, check: "DEBUG_ENCLAVE" });
    expect(reportBodyRefusal(sgxWithAttributes(0x05))).to.equal(undefined);
  });

  it("refuses a TD with TD_ATTRIBUTES.DEBUG", function () {
    expect(reportBodyRefusal(tdWith((a) => (a[0] = 0x01)))).to.deep.include({ ok: false, check: "DEBUG_TD" });
  });

  it("refuses reserved TD attribute bits and a TD without SEPT_VE_DISABLE", function () {
    for (const [byte, bit] of [[0, 0x02], [1, 0x01], [3, 0x20], [4, 0x01], [7, 0x40]] as const) {
      expect(reportBodyRefusal(tdWith((a) => (a[byte] |= bit))), `byte ${byte} bit 0x${bit.toString(16)}`).to.deep.include({ check: "TD_ATTRIBUTES" });
    }
    expect(reportBodyRefusal(tdWith((a) => (a[3] &= ~0x10)))).to.deep.include({ check: "TD_ATTRIBUTES" });
    expect(reportBodyRefusal(tdWith((a) => (a[3] |= 0xc0)))).to.equal(undefined);
    expect(reportBodyRefusal(tdWith((a) => (a[7] |= 0x80)))).to.equal(undefined);
  });

  it("refuses a TD report 1.5 bound to a service TD", function () {
    expect(reportBodyRefusal(tdWith(() => {}, new Uint8Array(48)))).to.equal(undefined);
    expect(reportBodyRefusal(tdWith(() => {}, new Uint8Array(48).fill(1)))).to.deep.include({ check: "MR_SERVICE_TD" });
  });
});
