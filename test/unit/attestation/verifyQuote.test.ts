import { expect } from "chai";
import { p256 } from "@noble/curves/nist.js";
import {
  AttestationError,
  ChallengeRegistry,
  buildReportData,
  createTimestampedNonce,
  encodeQuote,
  parseQuote,
  verifyQuote,
  type QuoteVerification,
} from "../../../src/attestation/index.ts";
import { toHex } from "../../../src/crypto/hex.ts";
import { signQuote } from "../../../src/attestation/quoteSignature.ts";
import { toRawPublicKey } from "../../../src/attestation/attestationKeyEncoding.ts";
import {
  createDevnet,
  createEnclaveAddress,
  freshQuote,
  MEASUREMENT,
  MEASUREMENT_OFFSET,
  NOW,
  ONE_YEAR_SECONDS,
  quoteRequest,
  SIGNATURE_OFFSET,
  SIGNER_MEASUREMENT,
  strictPolicy,
} from "./attestationFixture.ts";

function expectRefused(result: QuoteVerification, reason: string): void {
  expect(result.ok).to.equal(false);
  if (!result.ok) expect(result.reason).to.equal(reason);
}

describe("verifyQuote", () => {
  const devnet = createDevnet();
  const enclaveAddress = createEnclaveAddress();

  it("accepts a fresh production quote and returns what it attests", () => {
    const { nonce, quote } = freshQuote(devnet.platform, enclaveAddress);
    const result = verifyQuote(quote, strictPolicy(devnet, enclaveAddress));
    expect(result).to.deep.include({
      ok: true,
      measurement: toHex(MEASUREMENT),
      signerMeasurement: toHex(SIGNER_MEASUREMENT),
      productId: 7,
      securityVersion: 3,
      debug: false,
      reportData: toHex(buildReportData(enclaveAddress, nonce)),
      nonce: toHex(nonce),
      enclaveAddress,
    });
  });

  describe("refuses a quote that is not authentic", () => {
    it("refuses a quote whose signature was altered with BAD_QUOTE_SIGNATURE", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress);
      quote[SIGNATURE_OFFSET + 10] ^= 0x01;
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress)), "BAD_QUOTE_SIGNATURE");
    });

    it("refuses a quote whose measurement was altered after signing with BAD_QUOTE_SIGNATURE", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress);
      quote[MEASUREMENT_OFFSET] ^= 0x80;
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress)), "BAD_QUOTE_SIGNATURE");
    });

    it("refuses a quote signed by an uncertified key presented as the certified one with BAD_QUOTE_SIGNATURE", () => {
      const parsed = parseQuote(freshQuote(devnet.platform, enclaveAddress).quote);
      const forged = { ...parsed, signature: signQuote(parsed.header, parsed.body, p256.utils.randomSecretKey()) };
      expectRefused(verifyQuote(encodeQuote(forged), strictPolicy(devnet, enclaveAddress)), "BAD_QUOTE_SIGNATURE");
    });

    it("refuses a quote whose attestation key is not the certified platform key with BAD_CERT_CHAIN", () => {
      const parsed = parseQuote(freshQuote(devnet.platform, enclaveAddress).quote);
      const rogueKey = p256.utils.randomSecretKey();
      const forged = {
        ...parsed,
        signature: signQuote(parsed.header, parsed.body, rogueKey),
        attestationPublicKey: toRawPublicKey(p256.getPublicKey(rogueKey, true)),
      };
      expectRefused(verifyQuote(encodeQuote(forged), strictPolicy(devnet, enclaveAddress)), "BAD_CERT_CHAIN");
    });

    it("refuses a quote from a platform certified by another root with UNTRUSTED_ROOT", () => {
      const otherDevnet = createDevnet();
      const { quote } = freshQuote(otherDevnet.platform, enclaveAddress);
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress)), "UNTRUSTED_ROOT");
    });

    it("refuses every quote with UNTRUSTED_ROOT when the verifier trusts the wrong root", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress);
      const policy = strictPolicy(createDevnet(), enclaveAddress);
      expectRefused(verifyQuote(quote, policy), "UNTRUSTED_ROOT");
    });

    it("refuses a foreign platform certificate chained to the trusted root certificate with BAD_CERT_CHAIN", () => {
      const foreign = parseQuote(freshQuote(createDevnet().platform, enclaveAddress).quote);
      const trustedRoot = parseQuote(freshQuote(devnet.platform, enclaveAddress).quote).certificationChain.root;
      const spliced = { ...foreign, certificationChain: { ...foreign.certificationChain, root: trustedRoot } };
      expectRefused(verifyQuote(encodeQuote(spliced), strictPolicy(devnet, enclaveAddress)), "BAD_CERT_CHAIN");
    });

    it("refuses a quote whose platform certificate has expired with CERT_EXPIRED", () => {
      const shortLived = createDevnet(3600);
      const { quote } = freshQuote(shortLived.platform, enclaveAddress);
      const later = new Date(NOW.getTime() + 3601 * 1000);
      const policy = strictPolicy(shortLived, enclaveAddress, { now: later });
      expectRefused(verifyQuote(quote, policy), "CERT_EXPIRED");
    });

    it("accepts a quote in the last second of its platform certificate's lifetime", () => {
      const lastSecond = new Date(NOW.getTime() + ONE_YEAR_SECONDS * 1000);
      const nonce = createTimestampedNonce(lastSecond);
      const quote = devnet.platform.createQuote(quoteRequest(enclaveAddress, nonce));
      expect(verifyQuote(quote, strictPolicy(devnet, enclaveAddress, { now: lastSecond })).ok).to.equal(true);
    });

    it("refuses a quote checked before its platform certificate is valid with CERT_NOT_YET_VALID", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress);
      const earlier = new Date(NOW.getTime() - 1000);
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress, { now: earlier })), "CERT_NOT_YET_VALID");
    });

    it("still judges the dates of a platform certificate it already accepted", () => {
      const shortLived = createDevnet(3600);
      const first = freshQuote(shortLived.platform, enclaveAddress);
      expect(verifyQuote(first.quote, strictPolicy(shortLived, enclaveAddress)).ok).to.equal(true);
      const later = new Date(NOW.getTime() + 3601 * 1000);
      const nonce = createTimestampedNonce(later);
      const quote = shortLived.platform.createQuote(quoteRequest(enclaveAddress, nonce));
      expectRefused(verifyQuote(quote, strictPolicy(shortLived, enclaveAddress, { now: later })), "CERT_EXPIRED");
    });

    it("checks again a platform certificate differing in any field from one it accepted", () => {
      const accepted = parseQuote(freshQuote(devnet.platform, enclaveAddress).quote);
      expect(verifyQuote(encodeQuote(accepted), strictPolicy(devnet, enclaveAddress)).ok).to.equal(true);
      const { platform } = accepted.certificationChain;
      const stretched = { ...platform, notAfter: platform.notAfter + 10 * ONE_YEAR_SECONDS };
      const forged = parseQuote(freshQuote(devnet.platform, enclaveAddress).quote);
      const spliced = { ...forged, certificationChain: { ...forged.certificationChain, platform: stretched } };
      expectRefused(verifyQuote(encodeQuote(spliced), strictPolicy(devnet, enclaveAddress)), "BAD_CERT_CHAIN");
    });

    it("refuses truncated, padded and empty bytes with MALFORMED_QUOTE", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress);
      const policy = strictPolicy(devnet, enclaveAddress);
      for (const bytes of [quote.subarray(0, quote.length - 1), Uint8Array.of(...quote, 0), new Uint8Array(0)]) {
        expectRefused(verifyQuote(bytes, policy), "MALFORMED_QUOTE");
      }
    });
  });

  describe("refuses an authentic quote that the policy rejects", () => {
    it("refuses a debug enclave with DEBUG_ENCLAVE unless debug is allowed", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress, { debug: true });
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress)), "DEBUG_ENCLAVE");
      const allowed = verifyQuote(quote, strictPolicy(devnet, enclaveAddress, { allowDebug: true }));
      expect(allowed).to.deep.include({ ok: true, debug: true });
    });

    it("refuses a security version below the minimum with SECURITY_VERSION_TOO_LOW", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress, { securityVersion: 2 });
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress)), "SECURITY_VERSION_TOO_LOW");
    });

    it("refuses report data that commits to another enclave address with REPORT_DATA_MISMATCH", () => {
      const { quote } = freshQuote(devnet.platform, createEnclaveAddress());
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress)), "REPORT_DATA_MISMATCH");
    });

    it("refuses the second presentation of the same quote with REPLAYED_QUOTE", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress);
      const policy = strictPolicy(devnet, enclaveAddress);
      expect(verifyQuote(quote, policy).ok).to.equal(true);
      expectRefused(verifyQuote(quote, policy), "REPLAYED_QUOTE");
    });

    it("refuses a quote whose nonce is older than the replay window with STALE_QUOTE", () => {
      const { quote } = freshQuote(devnet.platform, enclaveAddress);
      const later = new Date(NOW.getTime() + 301 * 1000);
      expectRefused(verifyQuote(quote, strictPolicy(devnet, enclaveAddress, { now: later })), "STALE_QUOTE");
    });

    it("accepts an issued challenge once, then refuses its replay and unknown nonces", () => {
      const challenges = new ChallengeRegistry({ ttlSeconds: 60 });
      const policy = strictPolicy(devnet, enclaveAddress, { freshness: challenges });
      const quote = devnet.platform.createQuote(quoteRequest(enclaveAddress, challenges.issue(NOW)));
      expect(verifyQuote(quote, policy).ok).to.equal(true);
      expectRefused(verifyQuote(quote, policy), "REPLAYED_QUOTE");
      const unsolicited = devnet.platform.createQuote(quoteRequest(enclaveAddress, createTimestampedNonce(NOW)));
      expectRefused(verifyQuote(unsolicited, policy), "STALE_QUOTE");
    });

    it("does not let a refused forgery use up the nonce of the honest quote", () => {
      const { nonce, quote } = freshQuote(devnet.platform, enclaveAddress);
      const policy = strictPolicy(devnet, enclaveAddress);
      const forged = Uint8Array.from(quote);
      forged[MEASUREMENT_OFFSET] ^= 0x01;
      expectRefused(verifyQuote(forged, policy), "BAD_QUOTE_SIGNATURE");
      expect(verifyQuote(quote, policy)).to.deep.include({ ok: true, nonce: toHex(nonce) });
    });
  });

  it("throws AttestationError when the policy's enclave address is not an address", () => {
    const { quote } = freshQuote(devnet.platform, enclaveAddress);
    expect(() => verifyQuote(quote, strictPolicy(devnet, "0x1234"))).to.throw(AttestationError);
  });

  it("throws AttestationError rather than pass quotes when the minimum security version is not a number", () => {
    const { quote } = freshQuote(devnet.platform, enclaveAddress);
    const policy = strictPolicy(devnet, enclaveAddress, { minSecurityVersion: Number.NaN });
    expect(() => verifyQuote(quote, policy)).to.throw(AttestationError);
  });
});
