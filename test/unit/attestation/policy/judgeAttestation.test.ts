// The relying party's policy over accepted quotes: TCB statuses and advisories, SGX attributes,
// the app's identity (bare MRENCLAVE or a measurement document) and the ISV SVN floor.
import { expect } from "chai";
import fc from "fast-check";
import type { AcceptedQuote } from "../../../../src/attestation/dcap/index.ts";
import {
  DEFAULT_ATTESTATION_POLICY,
  MEASUREMENT_DOCUMENT_FORMAT,
  canonicalMeasurementDocument,
  judgeAttestation,
  measurementOfDocument,
  parseMeasurementDocument,
  type MeasurementDocument,
} from "../../../../src/attestation/policy/index.ts";
import { AttestationError } from "../../../../src/attestation/index.ts";

const word = (byte: string, length = 32) => `0x${byte.repeat(length)}` as `0x${string}`;
/** INIT | MODE64BIT, XFRM 3: an ordinary production enclave. */
const PLAIN_ATTRIBUTES = `0x0500000000000000${"03".padEnd(16, "0")}` as `0x${string}`;

function sgxQuote(overrides: Partial<Extract<AcceptedQuote, { teeType: "SGX" }>["measurement"]> = {}, status: AcceptedQuote["status"] = "UpToDate", advisoryIds: string[] = []): AcceptedQuote {
  return {
    ok: true,
    status,
    advisoryIds,
    quoteVersion: 3,
    reportData: word("00", 64),
    fmspc: "0x00906ea10000",
    pceId: "0x0000",
    tcbDate: "2025-01-01T00:00:00Z",
    collateralValidUntil: "2026-01-01T00:00:00Z",
    tcbEvaluationDataNumber: 17,
    tcbInfoIssueDate: "2025-06-01T00:00:00.000Z",
    teeType: "SGX",
    measurement: { mrEnclave: word("aa"), mrSigner: word("bb"), isvProdId: 7, isvSvn: 3, attributes: PLAIN_ATTRIBUTES, miscSelect: 0, cpuSvn: word("01", 16), ...overrides },
  };
}

function tdxQuote(rtmr3 = word("d3", 48)): AcceptedQuote {
  return {
    ...sgxQuote(),
    teeType: "TDX",
    quoteVersion: 4,
    measurement: {
      mrTd: word("d0", 48), rtmr0: word("d1", 48), rtmr1: word("d2", 48), rtmr2: word("d2", 48), rtmr3,
      mrConfigId: word("00", 48), mrOwner: word("00", 48), mrOwnerConfig: word("00", 48), tdAttributes: word("00", 8),
      xfam: word("00", 8), teeTcbSvn: word("00", 16), mrSeam: word("00", 48), mrSignerSeam: word("00", 48),
    },
  };
}

const TDX_DOCUMENT: MeasurementDocument = {
  format: MEASUREMENT_DOCUMENT_FORMAT, tee: "tdx", mrTd: word("d0", 48), rtmr0: word("d1", 48), rtmr1: word("d2", 48), rtmr2: word("d2", 48), rtmr3: word("d3", 48),
};

const policy = DEFAULT_ATTESTATION_POLICY;
const check = (judgement: ReturnType<typeof judgeAttestation>) => (judgement.ok ? "ok" : judgement.check);

describe("judgeAttestation", () => {
  it("accepts an up-to-date production enclave whose MRENCLAVE is the app's registered measurement", () => {
    expect(judgeAttestation(sgxQuote(), policy, { registeredMeasurement: word("aa") })).to.deep.equal({ ok: true });
  });

  it("refuses TCB statuses outside the accepted ones, and advisories off a strict allow-list", () => {
    expect(check(judgeAttestation(sgxQuote({}, "OutOfDate"), policy, { registeredMeasurement: word("aa") }))).to.equal("TCB_STATUS_NOT_ACCEPTED");
    expect(check(judgeAttestation(sgxQuote({}, "ConfigurationNeeded"), policy, { registeredMeasurement: word("aa") }))).to.equal("TCB_STATUS_NOT_ACCEPTED");
    const hardening = sgxQuote({}, "SWHardeningNeeded", ["INTEL-SA-00615"]);
    expect(check(judgeAttestation(hardening, policy, { registeredMeasurement: word("aa") }))).to.equal("ok");
    const strict = { ...policy, allowedAdvisoryIds: ["INTEL-SA-00289"] };
    expect(check(judgeAttestation(hardening, strict, { registeredMeasurement: word("aa") }))).to.equal("ADVISORY_NOT_ACCEPTED");
    expect(check(judgeAttestation(hardening, { ...strict, allowedAdvisoryIds: ["INTEL-SA-00615"] }, { registeredMeasurement: word("aa") }))).to.equal("ok");
  });

  it("refuses attributes no app enclave has: INIT clear, PROVISIONKEY, EINITTOKEN_KEY or KSS set, reserved bits; and a MISCSELECT other than 0", () => {
    const flags = (low: number) => `0x${low.toString(16).padStart(2, "0")}00000000000000${"03".padEnd(16, "0")}` as `0x${string}`;
    for (const attributes of [flags(0x04), flags(0x15), flags(0x25), flags(0x85), flags(0x0d)]) {
      expect(check(judgeAttestation(sgxQuote({ attributes }), policy, { registeredMeasurement: word("aa") })), attributes).to.equal("SGX_ATTRIBUTES");
    }
    expect(check(judgeAttestation(sgxQuote({ attributes: flags(0x45) }), policy, { registeredMeasurement: word("aa") })), "CET").to.equal("ok");
    expect(check(judgeAttestation(sgxQuote({ miscSelect: 1 }), policy, { registeredMeasurement: word("aa") }))).to.equal("SGX_MISCSELECT");
  });

  it("refuses another MRENCLAVE, and an ISV SVN below the policy's floor (0 included by default)", () => {
    expect(check(judgeAttestation(sgxQuote({ mrEnclave: word("ab") }), policy, { registeredMeasurement: word("aa") }))).to.equal("MEASUREMENT_MISMATCH");
    expect(check(judgeAttestation(sgxQuote({ isvSvn: 0 }), policy, { registeredMeasurement: word("aa") }))).to.equal("ISV_SVN_TOO_LOW");
  });

  it("judges an SGX app by its document: MRSIGNER and ISVPRODID compared, the document's ISV SVN floor applied", () => {
    const document: MeasurementDocument = { format: MEASUREMENT_DOCUMENT_FORMAT, tee: "sgx", mrSigner: word("bb"), isvProdId: 7, minIsvSvn: 3 };
    const registeredMeasurement = measurementOfDocument(document);
    const expected = { registeredMeasurement, document };
    expect(check(judgeAttestation(sgxQuote({ mrEnclave: word("ee") }), policy, expected)), "any build of the product").to.equal("ok");
    expect(check(judgeAttestation(sgxQuote({ mrSigner: word("bc") }), policy, expected))).to.equal("MEASUREMENT_MISMATCH");
    expect(check(judgeAttestation(sgxQuote({ isvProdId: 8 }), policy, expected))).to.equal("MEASUREMENT_MISMATCH");
    expect(check(judgeAttestation(sgxQuote({ isvSvn: 2 }), policy, expected))).to.equal("ISV_SVN_TOO_LOW");
    expect(check(judgeAttestation(sgxQuote(), policy, { registeredMeasurement: word("aa"), document }))).to.equal("MEASUREMENT_DOCUMENT_MISMATCH");
  });

  it("judges a TD by MRTD and RTMR0..3 of its document; one RTMR off is a mismatch, a bare registration a TEE mismatch", () => {
    const registeredMeasurement = measurementOfDocument(TDX_DOCUMENT);
    expect(check(judgeAttestation(tdxQuote(), policy, { registeredMeasurement, document: TDX_DOCUMENT }))).to.equal("ok");
    expect(check(judgeAttestation(tdxQuote(word("d4", 48)), policy, { registeredMeasurement, document: TDX_DOCUMENT }))).to.equal("MEASUREMENT_MISMATCH");
    expect(check(judgeAttestation(tdxQuote(), policy, { registeredMeasurement: word("d0") }))).to.equal("TEE_MISMATCH");
    expect(check(judgeAttestation(sgxQuote(), policy, { registeredMeasurement, document: TDX_DOCUMENT }))).to.equal("TEE_MISMATCH");
  });
});

describe("measurement documents", () => {
  it("have one canonical text whatever the key order and register case, so one on-chain hash", () => {
    const { rtmr3, ...rest } = TDX_DOCUMENT as Extract<MeasurementDocument, { tee: "tdx" }>;
    const shuffled = JSON.parse(JSON.stringify({ rtmr3: rtmr3.toUpperCase().replace("0X", "0x"), ...rest }));
    shuffled.mrTd = shuffled.mrTd.toUpperCase().replace("0X", "0x");
    expect(canonicalMeasurementDocument(shuffled)).to.equal(canonicalMeasurementDocument(TDX_DOCUMENT));
    expect(measurementOfDocument(shuffled)).to.equal(measurementOfDocument(TDX_DOCUMENT));
  });

  it("hash differently when any register differs", () => {
    fc.assert(
      fc.property(fc.constantFrom("mrTd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"), fc.uint8Array({ minLength: 48, maxLength: 48 }), (name, bytes) => {
        const tdx = TDX_DOCUMENT as Extract<MeasurementDocument, { tee: "tdx" }>;
        const changed = { ...tdx, [name]: `0x${Buffer.from(bytes).toString("hex")}` } as typeof tdx;
        fc.pre(changed[name as "mrTd"] !== tdx[name as "mrTd"]);
        expect(measurementOfDocument(changed)).to.not.equal(measurementOfDocument(TDX_DOCUMENT));
      }),
    );
  });

  it("refuse text that is not a document: another format, a missing register, an SGX document naming nothing", () => {
    for (const text of ["{", JSON.stringify({ ...TDX_DOCUMENT, format: "v2" }), JSON.stringify({ ...TDX_DOCUMENT, rtmr3: undefined }), JSON.stringify({ format: MEASUREMENT_DOCUMENT_FORMAT, tee: "sgx", isvProdId: 1 })]) {
      expect(() => parseMeasurementDocument(text), text).to.throw(AttestationError).with.property("code", "INVALID_MEASUREMENT_DOCUMENT");
    }
  });
});
