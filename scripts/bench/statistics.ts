// Summaries of repeated measurements: the median of rounds (robust to a round slowed by another
// process on a shared machine) and nearest-rank percentiles of per-call latencies.
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The nearest-rank `p`-th percentile (0 < p <= 100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("the percentile of no values");
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

/**
 * Runs `operation` `warmUpOperations` times untimed (the JIT and caches settle), then `rounds`
 * timed rounds of `operationsPerRound` calls each; returns each round's operations per second.
 */
export function operationsPerSecondByRound(
  plan: { rounds: number; operationsPerRound: number; warmUpOperations: number },
  operation: () => void,
): number[] {
  for (let i = 0; i < plan.warmUpOperations; i++) operation();
  const rounds: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < plan.operationsPerRound; i++) operation();
    rounds.push(plan.operationsPerRound / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return rounds;
}
