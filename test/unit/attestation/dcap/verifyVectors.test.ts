// Specification of the DCAP verifier on Intel's recorded quotes: the verdicts the vectors' README
// states, refusal of expired collateral at today's date, and the named check for each broken link.
import { expect } from "chai";
import {
  DcapVerifier,
  intelSgxRoot,
  type AcceptedQuote,
  type DcapCollateral,
  type DcapVerdict,
} from "../../../../src/attestation/dcap/index.ts";
import { flipped, loadVector, signedRegions, VECTOR_TIME } from "./dcapVectors.ts";

const sgx = loadVector("sgx");
const tdx = loadVector("tdx");

function accepted(verdict: DcapVerdict): AcceptedQuote {
  if (!verdict.ok) expect.fail(`refused: ${verdict.check}: ${verdict.detail}`);
  return verdict;
}

function expectRefused(verdict: DcapVerdict, check: string): void {
  expect(verdict.ok, JSON.stringify(verdict)).to.equal(false);
  if (!verdict.ok) expect(verdict.check, verdict.detail).to.equal(check);
}

/** The collateral with `field` replaced. */
function withField(collateral: DcapCollateral, field: keyof DcapCollateral, value: string): DcapCollateral {
  return { ...collateral, [field]: value };
}

/** Hex text with the nibble at `index` changed. */
function flipHex(hex: string, index: number): string {
  const digit = hex[index] === "0" ? "1" : "0";
  return hex.slice(0, index) + digit + hex.slice(index + 1);
}

describe("DcapVerifier on Intel's recorded quotes", function () {
  const verifier = new DcapVerifier({ trustedRoot: intelSgxRoot() });

  for (const vector of [sgx, tdx]) {
    describe(`${vector.name} quote`, function () {
      it("is accepted with the README's TCB status and advisories", function () {
        const verdict = accepted(verifier.verify(vector.quote, vector.collateral, VECTOR_TIME));
        expect(verdict.teeType).to.equal(vector.expected.teeType);
        expect(verdict.status).to.equal(vector.expected.status);
        expect(verdict.advisoryIds).to.deep.equal(vector.expected.advisoryIds);
      });

      it("gives the same verdict from a fresh verifier and from a warm one", function () {
        const cold = new DcapVerifier({ trustedRoot: intelSgxRoot() }).verify(vector.quote, vector.collateral, VECTOR_TIME);
        expect(verifier.verify(vector.quote, vector.collateral, VECTOR_TIME)).to.deep.equal(cold);
      });

      it("is refused as expired collateral at today's date, even after being accepted in 2025", function () {
        accepted(verifier.verify(vector.quote, vector.collateral, VECTOR_TIME));
        const verdict = verifier.verify(vector.quote, vector.collateral, new Date());
        expect(verdict.ok).to.equal(false);
        if (!verdict.ok) expect(verdict.check).to.match(/_EXPIRED$/);
      });

      it("is accepted until the earliest nextUpdate of its collateral and refused one second later", function () {
        const validUntil = Date.parse(accepted(verifier.verify(vector.quote, vector.collateral, VECTOR_TIME)).collateralValidUntil);
        accepted(verifier.verify(vector.quote, vector.collateral, new Date(validUntil)));
        const verdict = verifier.verify(vector.quote, vector.collateral, new Date(validUntil + 1000));
        expect(verdict.ok).to.equal(false);
        if (!verdict.ok) expect(verdict.check).to.match(/^(TCB_INFO|QE_IDENTITY|PCK_CRL)_EXPIRED$/);
      });

      it("is refused before the TCB info was issued", function () {
        const issueDate = Date.parse((JSON.parse(vector.collateral.tcb_info) as { issueDate: string }).issueDate);
        expectRefused(verifier.verify(vector.quote, vector.collateral, new Date(issueDate - 1000)), "TCB_INFO_EXPIRED");
      });

      it("is refused under another trusted root", function () {
        const other = new DcapVerifier({ trustedRoot: otherRootPem() });
        expectRefused(other.verify(vector.quote, vector.collateral, VECTOR_TIME), "PCK_CHAIN");
      });

      it("names the broken link for each signed region of the quote", function () {
        const expectedCheck: Record<string, string> = {
          "header and body": "QUOTE_SIGNATURE",
          "quote signature": "QUOTE_SIGNATURE",
          "attestation key": "QE_REPORT_DATA",
          "QE report": "QE_REPORT_SIGNATURE",
          "QE report signature": "QE_REPORT_SIGNATURE",
          "QE auth data": "QE_REPORT_DATA",
        };
        for (const region of signedRegions(vector.quote)) {
          // The last byte of the region: inside the body, past the header's version and types.
          const verdict = verifier.verify(flipped(vector.quote, region.end - 1), vector.collateral, VECTOR_TIME);
          expect(verdict.ok, region.name).to.equal(false);
          if (!verdict.ok) expect(verdict.check, `${region.name}: ${verdict.detail}`).to.equal(expectedCheck[region.name]);
        }
      });

      it("refuses a TCB info signature that does not match", function () {
        const signature = vector.collateral.tcb_info_signature;
        for (const index of [0, 63, 64, 127]) {
          const verdict = verifier.verify(vector.quote, withField(vector.collateral, "tcb_info_signature", flipHex(signature, index)), VECTOR_TIME);
          expectRefused(verdict, "TCB_INFO_SIGNATURE");
        }
      });

      it("refuses a QE identity signature that does not match", function () {
        const signature = vector.collateral.qe_identity_signature;
        for (const index of [0, 127]) {
          const verdict = verifier.verify(vector.quote, withField(vector.collateral, "qe_identity_signature", flipHex(signature, index)), VECTOR_TIME);
          expectRefused(verdict, "QE_IDENTITY_SIGNATURE");
        }
      });

      it("refuses TCB info and QE identity texts changed after signing", function () {
        const tcbInfo = vector.collateral.tcb_info.replace('"tcbStatus":"OutOfDate"', '"tcbStatus":"UpToDate"');
        expect(tcbInfo).to.not.equal(vector.collateral.tcb_info);
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "tcb_info", tcbInfo), VECTOR_TIME), "TCB_INFO_SIGNATURE");
        const qeIdentity = vector.collateral.qe_identity.replace('"isvprodid":', '"isvprodid": ');
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "qe_identity", qeIdentity), VECTOR_TIME), "QE_IDENTITY_SIGNATURE");
      });

      it("refuses a CRL whose signature does not match", function () {
        const rootCrl = vector.collateral.root_ca_crl;
        const pckCrl = vector.collateral.pck_crl;
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "root_ca_crl", flipHex(rootCrl, rootCrl.length - 4)), VECTOR_TIME), "ROOT_CA_CRL");
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "pck_crl", flipHex(pckCrl, pckCrl.length - 4)), VECTOR_TIME), "PCK_CRL");
      });

      it("refuses collateral that does not parse", function () {
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "tcb_info", "{"), VECTOR_TIME), "MALFORMED_COLLATERAL");
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "pck_crl", "00"), VECTOR_TIME), "MALFORMED_COLLATERAL");
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "root_ca_crl", `${vector.collateral.root_ca_crl}zz`), VECTOR_TIME), "MALFORMED_COLLATERAL");
        const missingField = { ...vector.collateral } as Partial<DcapCollateral>;
        delete missingField.qe_identity;
        expectRefused(verifier.verify(vector.quote, missingField as DcapCollateral, VECTOR_TIME), "MALFORMED_COLLATERAL");
      });

      it("refuses issuer chains that do not lead to the trusted root", function () {
        const pckChainOnly = pemBlocks(vector.collateral.pck_crl_issuer_chain)[0]!;
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "tcb_info_issuer_chain", pckChainOnly), VECTOR_TIME), "TCB_INFO_CHAIN");
        expectRefused(verifier.verify(vector.quote, withField(vector.collateral, "qe_identity_issuer_chain", "garbage"), VECTOR_TIME), "QE_IDENTITY_CHAIN");
      });
    });
  }

  it("refuses a PCK certificate whose PEM decodes to DER with a byte after the certificate", function () {
    const quote = Buffer.from(sgx.quote);
    const leafEnd = quote.indexOf("-----END CERTIFICATE-----");
    const padding = quote.lastIndexOf("=", leafEnd);
    expect(padding, "the SGX leaf's base64 ends with one '='").to.equal(quote.lastIndexOf("\n", leafEnd) - 1);
    const extended = Uint8Array.from(quote);
    extended[padding] = "8".charCodeAt(0);
    expect(verifier.verify(extended, sgx.collateral, VECTOR_TIME)).to.deep.include({ ok: false, check: "PCK_CHAIN", code: "MALFORMED_CERTIFICATE" });
  });

  it("refuses issuer chains without their root, as Intel's QVL does", function () {
    const signerOnly = pemBlocks(sgx.collateral.tcb_info_issuer_chain)[0]!;
    expectRefused(verifier.verify(sgx.quote, withField(sgx.collateral, "tcb_info_issuer_chain", signerOnly), VECTOR_TIME), "TCB_INFO_CHAIN");
    expectRefused(verifier.verify(sgx.quote, withField(sgx.collateral, "qe_identity_issuer_chain", signerOnly), VECTOR_TIME), "QE_IDENTITY_CHAIN");
    const rootOnly = pemBlocks(sgx.collateral.tcb_info_issuer_chain)[1]!;
    expectRefused(verifier.verify(sgx.quote, withField(sgx.collateral, "tcb_info_issuer_chain", rootOnly), VECTOR_TIME), "TCB_INFO_CHAIN");
  });

  it("refuses a quote judged with the other platform's collateral", function () {
    const verdict = verifier.verify(sgx.quote, tdx.collateral, VECTOR_TIME);
    expectRefused(verdict, "PCK_CRL");
    const mixed = { ...tdx.collateral, pck_crl: sgx.collateral.pck_crl };
    expectRefused(verifier.verify(sgx.quote, mixed, VECTOR_TIME), "TCB_INFO_MISMATCH");
    const qeSwapped = { ...sgx.collateral, qe_identity: tdx.collateral.qe_identity, qe_identity_signature: tdx.collateral.qe_identity_signature };
    expectRefused(verifier.verify(sgx.quote, qeSwapped, VECTOR_TIME), "QE_IDENTITY_MISMATCH");
  });

  it("reports the SGX enclave's and the TD's measurements and report data", function () {
    const sgxVerdict = accepted(verifier.verify(sgx.quote, sgx.collateral, VECTOR_TIME));
    expect(sgxVerdict.teeType).to.equal("SGX");
    if (sgxVerdict.teeType === "SGX") {
      expect(sgxVerdict.measurement.mrEnclave).to.equal(hexAt(sgx.quote, 48 + 64, 32));
      expect(sgxVerdict.measurement.mrSigner).to.equal(hexAt(sgx.quote, 48 + 128, 32));
      expect(sgxVerdict.measurement.isvProdId).to.equal(Buffer.from(sgx.quote).readUInt16LE(48 + 256));
    }
    expect(sgxVerdict.reportData).to.equal(hexAt(sgx.quote, 48 + 320, 64));
    expect(sgxVerdict.fmspc).to.equal("0x00a067110000");

    const tdxVerdict = accepted(verifier.verify(tdx.quote, tdx.collateral, VECTOR_TIME));
    expect(tdxVerdict.teeType).to.equal("TDX");
    if (tdxVerdict.teeType === "TDX") {
      expect(tdxVerdict.measurement.mrTd).to.equal(hexAt(tdx.quote, 48 + 136, 48));
      expect(tdxVerdict.measurement.rtmr3).to.equal(hexAt(tdx.quote, 48 + 472, 48));
      expect(tdxVerdict.measurement.teeTcbSvn).to.equal(hexAt(tdx.quote, 48, 16));
    }
    expect(tdxVerdict.reportData).to.equal(hexAt(tdx.quote, 48 + 520, 64));
    expect(tdxVerdict.collateralValidUntil).to.equal("2025-07-19T10:00:35.000Z");
  });
});

function hexAt(bytes: Uint8Array, offset: number, length: number): string {
  return `0x${Buffer.from(bytes.subarray(offset, offset + length)).toString("hex")}`;
}

function pemBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
}

/** A self-signed P-256 CA that is not Intel's (made with openssl for these tests, valid to 2126). */
function otherRootPem(): string {
  return `-----BEGIN CERTIFICATE-----
MIIB2jCCAYGgAwIBAgIUN4x9GjYMLItEzJy2STNfxCQr57gwCgYIKoZIzj0EAwIw
OjEeMBwGA1UEAwwVTm90IEludGVsIFNHWCBSb290IENBMRgwFgYDVQQKDA9Db250
aW51dW0gdGVzdHMwIBcNMjYxMjAzMDYyMTAwWhgPMjEyNjExMDkwNjIxMDBaMDox
HjAcBgNVBAMMFU5vdCBJbnRlbCBTR1ggUm9vdCBDQTEYMBYGA1UECgwPQ29udGlu
dXVtIHRlc3RzMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKdv/3OhKGnsME+lL
676JzCsUhNI03j60ZioV49L4T3hjTDCKZ6TuBufzklfFA6Du1IX5Fb7j6JZFQmCI
v1yFhKNjMGEwHQYDVR0OBBYEFJU0nJMcoHj+GVu9vCo05dR9Cgd3MB8GA1UdIwQY
MBaAFJU0nJMcoHj+GVu9vCo05dR9Cgd3MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0P
AQH/BAQDAgEGMAoGCCqGSM49BAMCA0cAMEQCIBhY5SuISDlytvrKuu0Nvsih0+pJ
74ZIzS842JD4BpyOAiAVJdadCDrgZWsJTIqX44sfHI2EsSqNvQ2bXl2vdwo66Q==
-----END CERTIFICATE-----`;
}
