// How many workers a fleet should run, by the Horizontal Pod Autoscaler's rule on the scheduler's
// queue: desired = ceil(current × observed / target), with observed = (waiting + running) per
// worker; no change while observed/target is within the tolerance; scale-down only to the highest
// recommendation of the stabilisation window; scale-up at once, and by at least one worker when a
// waiting task's deadline slack falls below the threshold. Pure: the caller keeps the history.

const EPSILON = 1e-9;

export type ScalePolicy = {
  min: number;
  max: number;
  /** Tasks (waiting + running) per worker the fleet aims at (HPA's target average value). */
  target: number;
  /** No change while |observed / target − 1| is at most this (HPA's default 0.1). */
  tolerance: number;
  /** A scale-down goes no lower than the highest recommendation of this window (HPA's default 5 min). */
  scaleDownWindowMs: number;
  /** Add a worker at once when a waiting task has less deadline slack than this; undefined: never. */
  slackThresholdSeconds?: number;
};

/** The queue as GET /v1/queue reports it. */
export type QueueSignal = { waiting: number; running: number; leastWaitingSlackSeconds: number | null };

/** A past recommendation, kept for the stabilisation window. */
export type Recommendation = { atMs: number; workers: number };

export type ScaleReason = "steady" | "within-tolerance" | "scale-up" | "slack" | "scale-down" | "stabilising" | "bounds";

export type ScaleDecision = {
  desired: number;
  /** What the rule alone asked for, before the window (kept in the history). */
  recommended: number;
  reason: ScaleReason;
  /** The recommendations still inside the window, this one included. */
  history: Recommendation[];
};

export function decideScale(policy: ScalePolicy, current: number, signal: QueueSignal, history: readonly Recommendation[], nowMs: number): ScaleDecision {
  const clamp = (workers: number) => Math.min(policy.max, Math.max(policy.min, workers));
  const load = signal.waiting + signal.running;
  let recommended: number;
  let reason: ScaleReason;
  if (current === 0) {
    recommended = Math.ceil(load / policy.target);
    reason = recommended > 0 ? "scale-up" : "steady";
  } else {
    const ratio = load / current / policy.target;
    // The band is closed: 11 tasks on 10 workers is within 0.1, floating error (1.1 − 1 > 0.1) aside.
    if (Math.abs(ratio - 1) <= policy.tolerance + EPSILON) {
      recommended = current;
      reason = "within-tolerance";
    } else {
      // ceil(current × observed / target) with observed = load / current; rounded first so that
      // floating error (0.1 × 3 = 0.30000000000000004) cannot add a worker.
      recommended = Math.ceil(Number((current * ratio).toFixed(9)));
      reason = recommended > current ? "scale-up" : recommended < current ? "scale-down" : "steady";
    }
  }
  const threshold = policy.slackThresholdSeconds;
  const late = threshold !== undefined && signal.waiting > 0 && signal.leastWaitingSlackSeconds !== null && signal.leastWaitingSlackSeconds < threshold;
  if (late && recommended <= current) {
    recommended = current + 1;
    reason = "slack";
  }
  const bounded = clamp(recommended);
  if (bounded !== recommended && bounded === current) reason = "bounds";
  const kept = [...history.filter((past) => past.atMs > nowMs - policy.scaleDownWindowMs), { atMs: nowMs, workers: bounded }];
  if (bounded >= current) return { desired: bounded, recommended: bounded, reason, history: kept };
  const stabilised = Math.min(current, Math.max(...kept.map((past) => past.workers)));
  return { desired: stabilised, recommended: bounded, reason: stabilised === bounded ? reason : "stabilising", history: kept };
}
