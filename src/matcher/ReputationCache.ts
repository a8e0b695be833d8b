// Workerpool reputation scores read from the chain and kept for a while, so the synchronous
// book lookup can check a request's trust without a node call per candidate.
import type { MatcherChain } from "./matcherChain.ts";

export class ReputationCache {
  readonly #chain: Pick<MatcherChain, "reputationOf">;
  readonly #ttlMs: number;
  readonly #scores = new Map<bigint, { score: bigint; readAt: number }>();

  constructor(chain: Pick<MatcherChain, "reputationOf">, ttlMs: number) {
    this.#chain = chain;
    this.#ttlMs = ttlMs;
  }

  /** Reads the scores of `workerpools` not read within the time to live. */
  async refresh(workerpools: Iterable<bigint>, nowMs: number): Promise<void> {
    const stale = [...workerpools].filter((pool) => {
      const known = this.#scores.get(pool);
      return !known || nowMs - known.readAt >= this.#ttlMs;
    });
    const scores = await Promise.all(stale.map((pool) => this.#chain.reputationOf(pool)));
    stale.forEach((pool, index) => this.#scores.set(pool, { score: scores[index]!, readAt: nowMs }));
  }

  /** The last score read; zero (trusted by nobody) when never read. */
  scoreOf(workerpool: bigint): bigint {
    return this.#scores.get(workerpool)?.score ?? 0n;
  }

  /** Forgets a score the contract contradicted, so the next refresh reads it again. */
  forget(workerpool: bigint): void {
    this.#scores.delete(workerpool);
  }
}
