// The protocol's deadline rule, as every off-chain party must apply it: the contract accepts a
// result only in a block whose time is at most the deal's deadline, and the next block always comes
// strictly later than the latest one. So once the latest block's time reaches the deadline, no
// result of the deal can land any more: the SMS, the scheduler and the worker all stop there.

/**
 * Whether a block still to come can accept a result of a deal whose deadline is `deadline`, judged
 * at `chainTime` (the latest block's time, or that plus the time a run needs): strictly before it.
 */
export function acceptsResultsAfter(chainTime: bigint | number, deadline: bigint | number): boolean {
  return BigInt(chainTime) < BigInt(deadline);
}
