// The ceiling the intake is judged against: EIP-712 signature verifications per second on one
// core, with the very primitive the intake uses (OrderDigester: the typed-data digest, then
// ECDSA public key recovery), so ingestPerSec / sigVerifyPerSec is an honest ratio.
import type { TypedDataDomain } from "ethers";
import { OrderDigester } from "../../../src/market/book/index.ts";
import type { SignedSample } from "./ingestOrders.ts";
import { median } from "../statistics.ts";

export type SigVerifyRound = {
  /** Digest + recovery per second. */
  perSec: number;
  /** ECDSA recovery alone (digests computed beforehand), per second. */
  recoverOnlyPerSec: number;
};

export type SigVerifyResult = {
  /** Median over rounds of digest + recovery per second. */
  sigVerifyPerSec: number;
  /** Median over rounds of the recovery alone per second. */
  recoverOnlyPerSec: number;
  rounds: number[];
  signaturesPerRound: number;
};

function perSecond(count: number, started: number): number {
  return count / (Math.max(performance.now() - started, 1e-3) / 1_000);
}

/** Times rounds of verifying the same samples, one round at a time (so they can be interleaved with other measures). */
export class SigVerifyMeter {
  readonly #samples: readonly SignedSample[];
  readonly #digester: OrderDigester;
  readonly #digests: string[];

  constructor(samples: readonly SignedSample[], domain: TypedDataDomain) {
    if (samples.length === 0) throw new RangeError("SigVerifyMeter needs samples");
    this.#samples = samples;
    this.#digester = new OrderDigester(domain);
    this.#digests = samples.map((sample) => this.#digester.digest(sample.kind, sample.order));
  }

  get signaturesPerRound(): number {
    return this.#samples.length;
  }

  /** Verifies every sample once; throws if one recovers to someone other than its signer. */
  round(): SigVerifyRound {
    const digester = this.#digester;
    let started = performance.now();
    for (const sample of this.#samples) {
      const recovered = digester.recover(digester.digest(sample.kind, sample.order), sample.signature);
      if (recovered !== sample.signer) throw new Error(`signature of a ${sample.kind} order recovered to ${recovered}, not ${sample.signer}`);
    }
    const perSec = perSecond(this.#samples.length, started);
    started = performance.now();
    for (let i = 0; i < this.#samples.length; i++) digester.recover(this.#digests[i]!, this.#samples[i]!.signature);
    return { perSec, recoverOnlyPerSec: perSecond(this.#samples.length, started) };
  }
}

export function summarizeSigVerify(rounds: readonly SigVerifyRound[], signaturesPerRound: number): SigVerifyResult {
  return {
    sigVerifyPerSec: median(rounds.map((round) => round.perSec)),
    recoverOnlyPerSec: median(rounds.map((round) => round.recoverOnlyPerSec)),
    rounds: rounds.map((round) => round.perSec),
    signaturesPerRound,
  };
}

/** `rounds` rounds back to back. */
export function measureSigVerify(samples: readonly SignedSample[], domain: TypedDataDomain, options: { rounds: number }): SigVerifyResult {
  if (options.rounds < 1) throw new RangeError("measureSigVerify needs at least one round");
  const meter = new SigVerifyMeter(samples, domain);
  return summarizeSigVerify(Array.from({ length: options.rounds }, () => meter.round()), samples.length);
}
