// The autoscaler's rule, HPA's on the scheduler's queue: examples of each case, then properties
// over any queue, fleet and history.
import { expect } from "chai";
import fc from "fast-check";
import { decideScale, type QueueSignal, type Recommendation, type ScalePolicy } from "../../../worker/fleet/scaleDecision.ts";

const MINUTE = 60_000;
const POLICY: ScalePolicy = { min: 1, max: 8, target: 1, tolerance: 0.1, scaleDownWindowMs: 5 * MINUTE, slackThresholdSeconds: 30 };
const queue = (waiting: number, running: number, leastWaitingSlackSeconds: number | null = null): QueueSignal => ({ waiting, running, leastWaitingSlackSeconds });

describe("decideScale", function () {
  it("scales up at once to ceil(current × observed / target), within max", function () {
    expect(decideScale(POLICY, 1, queue(4, 1), [], 0)).to.include({ desired: 5, reason: "scale-up" });
    expect(decideScale(POLICY, 2, queue(98, 2), [], 0)).to.include({ desired: 8 });
    expect(decideScale({ ...POLICY, target: 2 }, 2, queue(5, 2), [], 0)).to.include({ desired: 4, reason: "scale-up" });
  });

  it("changes nothing while observed / target is within the tolerance", function () {
    expect(decideScale(POLICY, 5, queue(0, 5), [], 0)).to.include({ desired: 5, reason: "within-tolerance" });
    expect(decideScale({ ...POLICY, max: 20 }, 10, queue(1, 10), [], 0)).to.include({ desired: 10, reason: "within-tolerance" });
    expect(decideScale({ ...POLICY, max: 20 }, 10, queue(2, 10), [], 0)).to.include({ desired: 12, reason: "scale-up" });
  });

  it("scales down only to the highest recommendation of the window, then to min once it has passed", function () {
    let history: Recommendation[] = [];
    history = decideScale(POLICY, 1, queue(7, 1), history, 0).history;
    const quiet = decideScale(POLICY, 8, queue(0, 0), history, 1 * MINUTE);
    expect(quiet).to.include({ desired: 8, recommended: 1, reason: "stabilising" });
    const later = decideScale(POLICY, 8, queue(0, 0), quiet.history, 5 * MINUTE + 1);
    expect(later).to.include({ desired: 1, reason: "scale-down" });
  });

  it("adds a worker at once when a waiting task's slack falls below the threshold, even within the tolerance", function () {
    expect(decideScale(POLICY, 4, queue(0, 4), [], 0).desired).to.equal(4);
    expect(decideScale(POLICY, 4, queue(1, 3, 10), [], 0)).to.include({ desired: 5, reason: "slack" });
    expect(decideScale(POLICY, 4, queue(1, 3, 30), [], 0)).to.include({ desired: 4, reason: "within-tolerance" });
    expect(decideScale({ ...POLICY, slackThresholdSeconds: undefined }, 4, queue(1, 3, -5), [], 0).desired).to.equal(4);
    expect(decideScale(POLICY, 8, queue(1, 8, 0), [], 0)).to.include({ desired: 8, reason: "bounds" });
  });

  it("starts from no workers to the load, or to min", function () {
    expect(decideScale({ ...POLICY, min: 0 }, 0, queue(3, 0), [], 0).desired).to.equal(3);
    expect(decideScale(POLICY, 0, queue(0, 0), [], 0).desired).to.equal(1);
  });

  describe("properties", function () {
    const policy = fc
      .record({
        min: fc.integer({ min: 0, max: 5 }),
        span: fc.integer({ min: 0, max: 10 }),
        target: fc.constantFrom(0.5, 1, 2, 3),
        tolerance: fc.constantFrom(0, 0.1, 0.25),
        scaleDownWindowMs: fc.integer({ min: 0, max: 10 * MINUTE }),
        slackThresholdSeconds: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
      })
      .map(({ span, ...rest }): ScalePolicy => ({ ...rest, max: rest.min + span }));
    const signal = fc.record({
      waiting: fc.nat(200),
      running: fc.nat(20),
      leastWaitingSlackSeconds: fc.option(fc.integer({ min: -60, max: 600 }), { nil: null }),
    });
    const history = fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 20 * MINUTE }), workers: fc.nat(20) }), { maxLength: 10 });
    const scenario = fc.tuple(policy, fc.nat(20), signal, history, fc.integer({ min: 0, max: 20 * MINUTE }));

    it("stays within min and max, from a fleet within them", function () {
      fc.assert(
        fc.property(scenario, ([p, current, s, h, now]) => {
          const fleet = Math.min(p.max, Math.max(p.min, current));
          const { desired } = decideScale(p, fleet, s, h, now);
          expect(desired).to.be.within(p.min, p.max);
        }),
      );
    });

    it("scales up at once, whatever the history, to what HPA's formula asks outside the tolerance", function () {
      fc.assert(
        fc.property(scenario, ([p, current, s, h, now]) => {
          const fleet = Math.min(p.max, Math.max(p.min, current));
          if (fleet === 0) return;
          const ratio = (s.waiting + s.running) / fleet / p.target;
          const formula = Math.min(p.max, Math.ceil(Number((fleet * ratio).toFixed(9))));
          const { desired } = decideScale(p, fleet, s, h, now);
          if (Math.abs(ratio - 1) > p.tolerance + 1e-9 && formula > fleet) expect(desired).to.equal(formula);
          if (Math.abs(ratio - 1) <= p.tolerance + 1e-9) expect(desired).to.be.oneOf([fleet, Math.min(p.max, fleet + 1)]);
        }),
      );
    });

    it("never scales below a recommendation made within the window, nor below what the load asks", function () {
      fc.assert(
        fc.property(scenario, ([p, current, s, h, now]) => {
          const fleet = Math.min(p.max, Math.max(p.min, current));
          const decision = decideScale(p, fleet, s, h, now);
          if (decision.desired >= fleet) return;
          for (const past of h) if (past.atMs > now - p.scaleDownWindowMs) expect(decision.desired).to.be.at.least(Math.min(fleet, past.workers));
          expect(decision.desired).to.be.at.least(Math.max(p.min, Math.ceil((s.waiting + s.running) / p.target) - (fleet === 0 ? 0 : Math.ceil(p.tolerance * fleet))));
        }),
      );
    });

    it("asks no fewer workers for more load", function () {
      fc.assert(
        fc.property(scenario, fc.nat(50), ([p, current, s, h, now], more) => {
          const fleet = Math.min(p.max, Math.max(p.min, current));
          const less = decideScale(p, fleet, s, h, now).desired;
          const busier = decideScale(p, fleet, { ...s, waiting: s.waiting + more }, h, now).desired;
          expect(busier).to.be.at.least(less);
        }),
      );
    });
  });
});
