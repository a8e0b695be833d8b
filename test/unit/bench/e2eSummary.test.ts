// The end-to-end benchmark's arithmetic on made-up observations: completed and lost counts,
// throughput over the wall clock, nearest-rank latency percentiles, push sizes, request sizes.
import { expect } from "chai";
import { requestSizes } from "../../../scripts/bench/e2e/e2eBench.ts";
import { summarizeE2e, type TaskOutcome } from "../../../scripts/bench/e2e/e2eSummary.ts";

function outcome(index: number, status: TaskOutcome["status"], latencyMs: number | null): TaskOutcome {
  return { requestHash: `0x${index}`, dealId: `0xd${index}`, index: 0, status, submittedAt: 1_000, decryptedAt: latencyMs === null ? null : 1_000 + latencyMs };
}

describe("end-to-end benchmark summary", () => {
  it("counts lost tasks by status and takes percentiles over decrypted ones only", () => {
    const latencies = [400, 100, 300, 200, 1_000, 500, 600, 700, 800, 900];
    const summary = summarizeE2e({
      outcomes: [...latencies.map((latency, index) => outcome(index, "decrypted", latency)), outcome(10, "claimed", null), outcome(11, "timeout", null)],
      startedAt: 0,
      endedAt: 60_000,
      requests: 12,
      tasksPerRequest: 1,
      concurrency: 4,
      workers: 2,
      pushSizes: [1, 1, 2, 1],
      submitMs: [30, 10, 20],
      statusReads: 30,
      statusPolls: 4,
      machine: { cpus: 2, node: "v22" },
    });
    expect(summary).to.include({ tasks: 12, completed: 10, lost: 2, tasksPerMinute: 10, latencyP50Ms: 500, latencyP95Ms: 1_000, latencyMinMs: 100, latencyMaxMs: 1_000, submitP50Ms: 20 });
    expect(summary).to.include({ statusReads: 30, statusPolls: 4 });
    expect(summary.lostByStatus).to.deep.equal({ claimed: 1, timeout: 1 });
    expect(summary.pushBatchSizes).to.deep.equal({ 1: 3, 2: 1 });
  });

  it("reports no latency when nothing completed", () => {
    const summary = summarizeE2e({
      outcomes: [outcome(0, "timeout", null)], startedAt: 0, endedAt: 1_000, requests: 1, tasksPerRequest: 1, concurrency: 1, workers: 2, pushSizes: [], submitMs: [], statusReads: 1, statusPolls: 1, machine: { cpus: 2, node: "v22" },
    });
    expect(summary).to.include({ completed: 0, lost: 1, tasksPerMinute: 0, latencyP50Ms: null, latencyP95Ms: null });
  });

  it("splits tasks into requests, the last one smaller", () => {
    expect(requestSizes(7, 3)).to.deep.equal([3, 3, 1]);
    expect(requestSizes(4, 1)).to.deep.equal([1, 1, 1, 1]);
  });
});
