// Properties of the DCAP verifier under byte mutations of Intel's recorded quotes and collateral:
// every flipped byte of a signed region is refused, and verdicts agree with dcap-qvl (the reference).
import { verify as referenceVerify } from "@phala/dcap-qvl";
import { expect } from "chai";
import fc from "fast-check";
import { DcapVerifier, intelSgxRoot, type DcapCollateral, type DcapVerdict } from "../../../../src/attestation/dcap/index.ts";
import { flipped, loadVector, signedRegions, structureLength, VECTOR_TIME } from "./dcapVectors.ts";

const vectors = [loadVector("sgx"), loadVector("tdx")];
const verifier = new DcapVerifier({ trustedRoot: intelSgxRoot() });
const VECTOR_SECONDS = VECTOR_TIME.getTime() / 1000;

/** The reference's verdict in our terms: refused when it throws, else its status and advisories. */
function referenceVerdict(quote: Uint8Array, collateral: DcapCollateral): { ok: boolean; status?: string; advisoryIds?: string[] } {
  try {
    const report = referenceVerify(Buffer.from(quote), { ...collateral }, VECTOR_SECONDS);
    return { ok: true, status: report.status, advisoryIds: report.advisory_ids };
  } catch {
    return { ok: false };
  }
}

function ourVerdict(verdict: DcapVerdict): { ok: boolean; status?: string; advisoryIds?: string[] } {
  return verdict.ok ? { ok: true, status: verdict.status, advisoryIds: verdict.advisoryIds } : { ok: false };
}

/**
 * Where this verifier is deliberately stricter than dcap-qvl, which accepts: CRLs that do not parse
 * or whose signature or window fails (dcap-qvl checks neither and skips CRLs it cannot read), and
 * PCK chain text that is not only PEM certificate blocks (dcap-qvl skips what it cannot read).
 */
type Stricter = "CRL" | "PEM_TEXT";
const STRICTER_CHECKS: Record<Stricter, (verdict: DcapVerdict & { ok: false }) => boolean> = {
  CRL: (verdict) => ["ROOT_CA_CRL", "PCK_CRL", "ROOT_CA_CRL_EXPIRED", "PCK_CRL_EXPIRED"].includes(verdict.check) || (verdict.check === "MALFORMED_COLLATERAL" && verdict.code === "MALFORMED_CRL"),
  PEM_TEXT: (verdict) => verdict.check === "PCK_CHAIN" && verdict.code === "MALFORMED_PEM",
};

/**
 * Our verdict agrees with the reference: both refuse, or both accept with the same status and
 * advisories; or we refuse where we are knowingly stricter (`stricter`) and the reference accepts.
 * We never accept what the reference refuses.
 */
function expectAgreement(quote: Uint8Array, collateral: DcapCollateral, label: string, stricter?: Stricter): void {
  const ours = verifier.verify(quote, collateral, VECTOR_TIME);
  const reference = referenceVerdict(quote, collateral);
  if (!ours.ok && reference.ok && stricter && STRICTER_CHECKS[stricter](ours)) return;
  expect(ourVerdict(ours), `${label}: ${ours.ok ? "" : `${ours.check} ${ours.detail}`}`).to.deep.equal(reference);
}

/** The span of the PCK chain's PEM text inside the quote. */
function pemSpan(quote: Uint8Array): { start: number; end: number } {
  return { start: Buffer.from(quote).indexOf("-----BEGIN CERTIFICATE-----"), end: structureLength(quote) };
}

function flipHexDigit(hex: string, index: number, by: number): string {
  const digit = ((parseInt(hex[index]!, 16) ^ by) & 0xf).toString(16);
  return hex.slice(0, index) + digit + hex.slice(index + 1);
}

describe("DcapVerifier under mutations of Intel's recorded quotes", function () {
  this.timeout(120_000);

  for (const vector of vectors) {
    describe(`${vector.name} quote`, function () {
      it("refuses the quote with any single byte of a signed region flipped (every position)", function () {
        for (const region of signedRegions(vector.quote)) {
          for (let offset = region.start; offset < region.end; offset++) {
            for (const xor of [0x01, 0x80]) {
              const verdict = verifier.verify(flipped(vector.quote, offset, xor), vector.collateral, VECTOR_TIME);
              expect(verdict.ok, `${region.name} byte ${offset - region.start} ^ 0x${xor.toString(16)}`).to.equal(false);
            }
          }
        }
      });

      it("refuses the quote with any value at any signed position (random)", function () {
        const regions = signedRegions(vector.quote);
        const position = fc
          .constantFrom(...regions)
          .chain((region) => fc.record({ offset: fc.integer({ min: region.start, max: region.end - 1 }), xor: fc.integer({ min: 1, max: 0xff }) }));
        fc.assert(
          fc.property(position, ({ offset, xor }) => !verifier.verify(flipped(vector.quote, offset, xor), vector.collateral, VECTOR_TIME).ok),
          { numRuns: 2000 },
        );
      });

      it("refuses any single flipped digit of the TCB info and QE identity signatures", function () {
        for (const field of ["tcb_info_signature", "qe_identity_signature"] as const) {
          for (let index = 0; index < vector.collateral[field].length; index++) {
            const collateral = { ...vector.collateral, [field]: flipHexDigit(vector.collateral[field], index, 1) };
            const verdict = verifier.verify(vector.quote, collateral, VECTOR_TIME);
            expect(verdict.ok, `${field} digit ${index}`).to.equal(false);
          }
        }
      });

      it("agrees with dcap-qvl on the vector", function () {
        expectAgreement(vector.quote, vector.collateral, "unmutated");
      });

      it("agrees with dcap-qvl on random byte mutations anywhere in the quote's structure", function () {
        const end = structureLength(vector.quote);
        const pem = pemSpan(vector.quote);
        fc.assert(
          fc.property(fc.integer({ min: 0, max: end - 1 }), fc.integer({ min: 1, max: 0xff }), (offset, xor) => {
            const inPem = offset >= pem.start && offset < pem.end;
            expectAgreement(flipped(vector.quote, offset, xor), vector.collateral, `byte ${offset} ^ 0x${xor.toString(16)}`, inPem ? "PEM_TEXT" : undefined);
          }),
          { numRuns: 150 },
        );
      });

      it("agrees with dcap-qvl on mutations of the collateral's signed documents and signatures", function () {
        const fields = ["tcb_info", "tcb_info_signature", "qe_identity", "qe_identity_signature", "pck_crl", "root_ca_crl"] as const;
        fc.assert(
          fc.property(fc.constantFrom(...fields), fc.nat(), fc.integer({ min: 1, max: 15 }), (field, at, by) => {
            const text = vector.collateral[field];
            const index = at % text.length;
            const isHex = field !== "tcb_info" && field !== "qe_identity";
            const mutated = isHex ? flipHexDigit(text, index, by) : text.slice(0, index) + String.fromCharCode(text.charCodeAt(index) ^ by) + text.slice(index + 1);
            const stricter = field === "pck_crl" || field === "root_ca_crl" ? "CRL" : undefined;
            expectAgreement(vector.quote, { ...vector.collateral, [field]: mutated }, `${field}[${index}] ^ ${by}`, stricter);
          }),
          { numRuns: 150 },
        );
      });
    });
  }
});
