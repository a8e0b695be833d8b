// The attestation bundle's codec: one bundle has one encoding (so one CID), it round-trips, and any
// bundle that is not one (wrong format, bad hex, an unknown member, oversized, not JSON) is refused
// with MALFORMED_RESULT_ATTESTATION naming the field.
import { expect } from "chai";
import fc from "fast-check";
import {
  MAX_RESULT_ATTESTATION_BYTES,
  RESULT_ATTESTATION_FORMAT,
  ResultAttestationError,
  decodeResultAttestation,
  encodeResultAttestation,
  type ResultAttestation,
} from "../../../src/wire/attestation/resultAttestation.ts";

const BUNDLE: ResultAttestation = {
  format: RESULT_ATTESTATION_FORMAT,
  dealId: `0x${"8c".repeat(32)}`,
  taskIndex: "0",
  taskId: `0x${"e5".repeat(32)}`,
  worker: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  enclave: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  appMeasurement: `0x${"ab".repeat(32)}`,
  quote: `0x${"03".repeat(600)}`,
  smsVerdict: {
    signature: `0x${"11".repeat(65)}`,
    signer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    teeType: "SGX",
    tcbStatus: "UpToDate",
    advisoryIds: [],
    measurement: `0x${"ab".repeat(32)}`,
    judgmentBlock: 42,
    judgedAt: "2026-02-20T00:00:00.000Z",
    collateral: {
      fmspc: "0x00906ed50000",
      pceId: "0x0000",
      tcbEvaluationDataNumber: 17,
      tcbInfoIssueDate: "2026-02-18T00:00:00.000Z",
      tcbDate: "2025-01-01T00:00:00Z",
      validUntil: "2026-03-20T00:00:00.000Z",
    },
  },
};

function refusal(bytes: Uint8Array): ResultAttestationError {
  try {
    decodeResultAttestation(bytes);
  } catch (error) {
    expect(error).to.be.instanceOf(ResultAttestationError);
    expect((error as ResultAttestationError).code).to.equal("MALFORMED_RESULT_ATTESTATION");
    return error as ResultAttestationError;
  }
  return expect.fail("the bundle was accepted");
}

const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("result attestation bundle codec", () => {
  it("round-trips a bundle, with and without the SMS's verdict", () => {
    expect(decodeResultAttestation(encodeResultAttestation(BUNDLE))).to.deep.equal(BUNDLE);
    const unattested = { ...BUNDLE, smsVerdict: null };
    expect(decodeResultAttestation(encodeResultAttestation(unattested))).to.deep.equal(unattested);
  });

  it("encodes one bundle one way whatever the member order or hex case it was built with", () => {
    const reordered = Object.fromEntries(Object.entries(BUNDLE).reverse()) as ResultAttestation;
    const shouting = { ...reordered, quote: BUNDLE.quote.toUpperCase().replace("0X", "0x"), enclave: BUNDLE.enclave.toLowerCase() };
    expect(Buffer.from(encodeResultAttestation(shouting)).equals(Buffer.from(encodeResultAttestation(BUNDLE)))).to.equal(true);
  });

  it("refuses another format, bad hex, an unknown member and a missing one, naming the field", () => {
    expect(refusal(encodeJson({ ...BUNDLE, format: "continuum/result-attestation/v9" })).details).to.deep.equal({ field: "format" });
    expect(refusal(encodeJson({ ...BUNDLE, quote: "0x0" })).details).to.deep.equal({ field: "quote" });
    expect(refusal(encodeJson({ ...BUNDLE, extra: 1 })).message).to.include("extra");
    const { enclave: _enclave, ...withoutEnclave } = BUNDLE;
    expect(refusal(encodeJson(withoutEnclave)).details).to.deep.equal({ field: "enclave" });
    expect(refusal(encodeJson({ ...BUNDLE, smsVerdict: { ...BUNDLE.smsVerdict, teeType: "SEV" } })).details).to.deep.equal({ field: "smsVerdict.teeType" });
  });

  it("refuses bytes that are not UTF-8 JSON, and bundles over the size bound, before parsing them", () => {
    refusal(Uint8Array.of(0xff, 0xfe, 0x7b));
    refusal(new TextEncoder().encode("{not json"));
    refusal(new Uint8Array(MAX_RESULT_ATTESTATION_BYTES + 1).fill(0x20));
  });

  it("never throws anything but MALFORMED_RESULT_ATTESTATION for a mutated encoding (property)", () => {
    const encoded = encodeResultAttestation(BUNDLE);
    fc.assert(
      fc.property(fc.nat(encoded.length - 1), fc.integer({ min: 1, max: 255 }), (offset, delta) => {
        const mutated = Uint8Array.from(encoded);
        mutated[offset] = (mutated[offset]! + delta) & 0xff;
        try {
          decodeResultAttestation(mutated);
        } catch (error) {
          return error instanceof ResultAttestationError;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
