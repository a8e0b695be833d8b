// How many raw quote signature verifications one core does per second: the platform's P-256
// signature over the quote's header and report body, checked as the trusted root checks it.
import { Wallet } from "ethers";
import {
  AttestationAuthority,
  SimulatedPlatform,
  buildReportData,
  parseQuote,
  verifyQuoteSignature,
} from "../../../src/attestation/index.ts";
import { operationsPerSecondByRound } from "../statistics.ts";

/** Times rounds of raw quote signature verifications; each call returns that round's verifications per second. */
export type QuoteVerifyMeter = (verifications: number) => number;

export function quoteVerifyMeter(): QuoteVerifyMeter {
  const now = new Date(Date.now() - 60_000);
  const authority = AttestationAuthority.create({ now, lifetimeSeconds: 86_400 });
  const platform = new SimulatedPlatform(authority.issuePlatformKey({ now, lifetimeSeconds: 86_400 }));
  const quote = parseQuote(
    platform.createQuote({
      measurement: new Uint8Array(32).fill(7),
      signerMeasurement: new Uint8Array(32).fill(9),
      productId: 1,
      securityVersion: 3,
      debug: false,
      reportData: buildReportData(Wallet.createRandom().address, new Uint8Array(32).fill(1)),
    }),
  );
  const verify = () => {
    if (!verifyQuoteSignature(quote)) throw new Error("the benchmark quote does not verify");
  };
  // The warm-up lets the JIT and OpenSSL's key parsing settle before anything is timed.
  operationsPerSecondByRound({ rounds: 0, operationsPerRound: 0, warmUpOperations: 200 }, verify);
  return (verifications) => operationsPerSecondByRound({ rounds: 1, operationsPerRound: verifications, warmUpOperations: 0 }, verify)[0]!;
}
