// The end-to-end benchmark at a tiny size on a fresh devnet stack: every figure issue 5 names is
// present, both tasks complete and none is lost. No timing is asserted.
import { expect } from "chai";
import { E2eBenchError } from "../../../scripts/bench/e2e/followRequest.ts";
import { runE2eBench } from "../../../scripts/bench/e2e/e2eBench.ts";
import type { E2eBenchReport } from "../../../scripts/bench/e2e/e2eBench.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

describe("end-to-end benchmark", function () {
  this.timeout(180_000);
  let result: E2eBenchReport;

  before(async function () {
    result = await runE2eBench({ tasks: 2, concurrency: 2 });
  });

  it("completes every task and loses none", function () {
    expect(result).to.include({ tasks: 2, completed: 2, lost: 0, requests: 2, tasksPerRequest: 1, workers: 2 });
    expect(result.lostByStatus).to.deep.equal({});
  });

  it("follows the requests on the live feed: status reads as things happen, hardly any polls", function () {
    expect(result.setup).to.deep.equal({ chain: "hardhat", processes: false });
    expect(result.statusReads, "at least one read per request").to.be.at.least(result.requests);
    expect(result.statusPolls, "reads made while the feed was not connected").to.be.below(result.statusReads);
  });

  it("reports throughput, latency percentiles and push batch sizes", function () {
    for (const key of ["tasksPerMinute", "latencyP50Ms", "latencyP95Ms", "wallClockMs"] as const) {
      expect(result[key], key).to.be.a("number").and.greaterThan(0);
    }
    expect(result.latencyP50Ms!).to.be.at.most(result.latencyP95Ms!);
    expect(result.latencyMaxMs!).to.be.at.most(result.wallClockMs);
    expect(Object.entries(result.pushBatchSizes).reduce((sum, [size, count]) => sum + Number(size) * count, 0)).to.equal(2);
  });

  it("refuses a task count below one", async function () {
    await rejectionOf(E2eBenchError, runE2eBench({ tasks: 0 }), "INVALID_BENCH_OPTIONS");
  });
});
