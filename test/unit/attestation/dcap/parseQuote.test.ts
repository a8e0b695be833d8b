// Specification of the DCAP quote parser on Intel's recorded quotes and on malformed bytes:
// every malformation is a DcapError with a code (or a MALFORMED_QUOTE refusal), never a crash or a hang.
import { expect } from "chai";
import fc from "fast-check";
import {
  ATTESTATION_KEY_LENGTH,
  DcapError,
  DcapVerifier,
  ECDSA_SIGNATURE_LENGTH,
  intelSgxRoot,
  parseQuote,
  pemCertificates,
  QE_REPORT_SIGNATURE_LENGTH,
  QUOTE_HEADER,
  SGX_REPORT_BODY_LENGTH,
  TD_REPORT_10_LENGTH,
  type DcapErrorCode,
} from "../../../../src/attestation/dcap/index.ts";
import { loadVector, structureLength, VECTOR_TIME } from "./dcapVectors.ts";

const sgx = loadVector("sgx");
const tdx = loadVector("tdx");
const verifier = new DcapVerifier({ trustedRoot: intelSgxRoot() });

function expectDcapError(run: () => unknown, code: DcapErrorCode): void {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(DcapError);
    expect((error as DcapError).code, (error as Error).message).to.equal(code);
    return;
  }
  expect.fail(`expected DcapError ${code}`);
}

function expectMalformed(quote: Uint8Array, code: DcapErrorCode): void {
  expectDcapError(() => parseQuote(quote), code);
  const verdict = verifier.verify(quote, sgx.collateral, VECTOR_TIME);
  expect(verdict).to.deep.include({ ok: false, check: "MALFORMED_QUOTE", code });
}

function withU16(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Buffer.from(bytes);
  copy.writeUInt16LE(value, offset);
  return new Uint8Array(copy);
}

function withU32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(value, offset);
  return new Uint8Array(copy);
}

/** Offsets of the length fields in the signature data (v3 SGX and v4 TDX layouts). */
const SGX_OFFSETS = (() => {
  const signatureData = 48 + SGX_REPORT_BODY_LENGTH;
  const authDataLength = signatureData + 4 + ECDSA_SIGNATURE_LENGTH + ATTESTATION_KEY_LENGTH + SGX_REPORT_BODY_LENGTH + QE_REPORT_SIGNATURE_LENGTH;
  return { signatureData, authDataLength, certificationType: authDataLength + 2 + 32, certificationSize: authDataLength + 2 + 32 + 2 };
})();
const TDX_OFFSETS = (() => {
  const signatureData = 48 + TD_REPORT_10_LENGTH;
  const outerType = signatureData + 4 + ECDSA_SIGNATURE_LENGTH + ATTESTATION_KEY_LENGTH;
  const authDataLength = outerType + 6 + SGX_REPORT_BODY_LENGTH + QE_REPORT_SIGNATURE_LENGTH;
  return { signatureData, outerType, outerSize: outerType + 2, authDataLength, innerType: authDataLength + 2 + 32, innerSize: authDataLength + 2 + 32 + 2 };
})();

describe("parseQuote", function () {
  it("reads Intel's SGX v3 quote", function () {
    const quote = parseQuote(sgx.quote);
    expect(quote.header).to.include({ version: 3, attestationKeyType: 2, teeType: 0 });
    expect(quote.body.teeType).to.equal("SGX");
    expect(quote.certificationDataType).to.equal(5);
    expect(quote.signedBytes).to.deep.equal(sgx.quote.subarray(0, 48 + SGX_REPORT_BODY_LENGTH));
    expect(quote.qe.qeAuthData.length).to.equal(32);
    expect(pemCertificates(quote.qe.pckChainPem, 3, "PCK chain")).to.have.length(3);
  });

  it("reads Intel's TDX v4 quote, with its zero padding", function () {
    const quote = parseQuote(tdx.quote);
    expect(quote.header).to.include({ version: 4, attestationKeyType: 2, teeType: 0x81 });
    expect(quote.body.teeType).to.equal("TDX");
    if (quote.body.teeType === "TDX") expect(quote.body.report.tdReportVersion).to.equal("1.0");
    expect(quote.certificationDataType).to.equal(6);
    expect(quote.signedBytes.length).to.equal(48 + TD_REPORT_10_LENGTH);
    expect(structureLength(tdx.quote)).to.be.below(tdx.quote.length);
  });

  it("refuses a quote cut at every length with TRUNCATED", function () {
    this.timeout(60_000);
    for (const vector of [sgx, tdx]) {
      for (let length = 0; length < structureLength(vector.quote); length++) {
        expectMalformed(vector.quote.subarray(0, length), "TRUNCATED");
      }
    }
  });

  it("refuses unsupported versions, key types, TEE types and QE vendors", function () {
    for (const version of [0, 1, 2, 6, 0xffff]) expectMalformed(withU16(sgx.quote, QUOTE_HEADER.version.offset, version), "UNSUPPORTED_VERSION");
    expectMalformed(withU16(sgx.quote, QUOTE_HEADER.attestationKeyType.offset, 3), "UNSUPPORTED_ATTESTATION_KEY_TYPE");
    expectMalformed(withU32(sgx.quote, QUOTE_HEADER.teeType.offset, 0x81), "UNSUPPORTED_TEE_TYPE");
    expectMalformed(withU32(tdx.quote, QUOTE_HEADER.teeType.offset, 0x7), "UNSUPPORTED_TEE_TYPE");
    const vendor = Uint8Array.from(sgx.quote);
    vendor[QUOTE_HEADER.qeVendorId.offset] ^= 1;
    expectMalformed(vendor, "UNSUPPORTED_QE_VENDOR");
  });

  it("refuses oversized length fields before reading them", function () {
    expectMalformed(withU32(sgx.quote, SGX_OFFSETS.signatureData, 0xffffffff), "OVERSIZED");
    expectMalformed(withU32(sgx.quote, SGX_OFFSETS.certificationSize, 0xffffffff), "OVERSIZED");
    expectMalformed(withU16(sgx.quote, SGX_OFFSETS.authDataLength, 0xffff), "OVERSIZED");
    expectMalformed(withU32(tdx.quote, TDX_OFFSETS.outerSize, 0x7fffffff), "OVERSIZED");
    expectMalformed(withU32(tdx.quote, TDX_OFFSETS.innerSize, 0x10000000), "OVERSIZED");
    expectMalformed(new Uint8Array(1 << 17), "OVERSIZED");
  });

  it("refuses length fields that disagree with the bytes that follow", function () {
    expectMalformed(withU32(sgx.quote, SGX_OFFSETS.certificationSize, 100), "TRAILING_BYTES");
    expectMalformed(withU32(tdx.quote, TDX_OFFSETS.innerSize, 100), "TRAILING_BYTES");
    expectMalformed(withU32(sgx.quote, SGX_OFFSETS.signatureData, 5000), "TRUNCATED");
  });

  it("refuses certification data types it cannot verify", function () {
    expectMalformed(withU16(sgx.quote, SGX_OFFSETS.certificationType, 3), "UNSUPPORTED_CERTIFICATION_DATA_TYPE");
    expectMalformed(withU16(tdx.quote, TDX_OFFSETS.outerType, 5), "UNSUPPORTED_CERTIFICATION_DATA_TYPE");
    expectMalformed(withU16(tdx.quote, TDX_OFFSETS.innerType, 4), "UNSUPPORTED_CERTIFICATION_DATA_TYPE");
  });

  it("refuses bytes after the quote unless they are zero padding", function () {
    const end = structureLength(sgx.quote);
    const padded = new Uint8Array(end + 16);
    padded.set(sgx.quote);
    expect(parseQuote(padded).header.version).to.equal(3);
    padded[end + 15] = 1;
    expectMalformed(padded, "TRAILING_BYTES");
  });

  it("gives a garbage PEM chain a PCK_CHAIN refusal with code MALFORMED_PEM", function () {
    const quote = Buffer.from(sgx.quote);
    const start = quote.indexOf("-----BEGIN CERTIFICATE-----");
    const garbage = Uint8Array.from(quote);
    garbage.fill(0x41, start, start + 27);
    const verdict = verifier.verify(garbage, sgx.collateral, VECTOR_TIME);
    expect(verdict).to.deep.include({ ok: false, check: "PCK_CHAIN", code: "MALFORMED_PEM" });
    expectDcapError(() => pemCertificates("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", 3, "chain"), "MALFORMED_PEM");
    expectDcapError(() => pemCertificates("no certificate here", 3, "chain"), "MALFORMED_PEM");
  });

  it("parses a v5 quote (body descriptor before a TD report 1.0) and signs over the descriptor", function () {
    const v4 = Buffer.from(tdx.quote.subarray(0, structureLength(tdx.quote)));
    const descriptor = Buffer.alloc(6);
    descriptor.writeUInt16LE(2, 0);
    descriptor.writeUInt32LE(TD_REPORT_10_LENGTH, 2);
    const v5 = Buffer.concat([v4.subarray(0, 48), descriptor, v4.subarray(48)]);
    v5.writeUInt16LE(5, 0);
    const quote = parseQuote(v5);
    const original = parseQuote(tdx.quote);
    expect(quote.header.version).to.equal(5);
    expect(quote.body).to.deep.equal(original.body);
    expect(quote.signedBytes.length).to.equal(48 + 6 + TD_REPORT_10_LENGTH);
    expect(verifier.verify(v5, tdx.collateral, VECTOR_TIME)).to.deep.include({ ok: false, check: "QUOTE_SIGNATURE" });

    const wrongSize = Buffer.from(v5);
    wrongSize.writeUInt32LE(TD_REPORT_10_LENGTH + 1, 50);
    expectMalformed(wrongSize, "UNSUPPORTED_BODY_TYPE");
    const wrongType = Buffer.from(v5);
    wrongType.writeUInt16LE(1, 48);
    expectMalformed(wrongType, "UNSUPPORTED_BODY_TYPE");
  });

  it("throws only DcapError for arbitrary bytes and arbitrary headers on real quotes", function () {
    const isDcapError = (run: () => unknown): boolean => {
      try {
        run();
        return true;
      } catch (error) {
        return error instanceof DcapError;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => isDcapError(() => parseQuote(bytes))), { numRuns: 500 });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.constantFrom(sgx.quote, tdx.quote), (prefix, quote) => {
        const mixed = Uint8Array.from(quote);
        mixed.set(prefix.subarray(0, 8));
        mixed.set(prefix.subarray(8, 16), quote === sgx.quote ? SGX_OFFSETS.signatureData : TDX_OFFSETS.signatureData);
        return isDcapError(() => parseQuote(mixed));
      }),
      { numRuns: 500 },
    );
  });
});
