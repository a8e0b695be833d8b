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
import { median, operationsPerSecondByRound } from "../statistics.ts";

export type VerifyThroughputOptions = {
  /** Measured rounds; the median is reported. */
  rounds: number;
  /** Verifications per round. */
  verificationsPerRound: number;
};

export type VerifyThroughput = { verifyPerSec: number; rounds: number[] };

export function measureQuoteVerifyThroughput(options: VerifyThroughputOptions): VerifyThroughput {
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
  // The warm-up lets the JIT and OpenSSL's key parsing settle before anything is timed.
  const rounds = operationsPerSecondByRound(
    { rounds: options.rounds, operationsPerRound: options.verificationsPerRound, warmUpOperations: Math.min(options.verificationsPerRound, 200) },
    () => {
      if (!verifyQuoteSignature(quote)) throw new Error("the benchmark quote does not verify");
    },
  );
  return { verifyPerSec: median(rounds), rounds };
}
