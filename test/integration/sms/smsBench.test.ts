// The SMS benchmark's measuring code, run at tiny sizes: the result has the shape
// bench/results/sms.json promises and the table names every target. No timing is asserted.
import { expect } from "chai";
import { formatSmsBench, runSmsBench, SMS_TARGETS } from "../../../scripts/bench/sms/smsBench.ts";
import { median, percentile } from "../../../scripts/bench/statistics.ts";
import { ATTACKS } from "./attackCatalog.ts";

describe("SMS benchmark", function () {
  this.timeout(180_000);

  it("takes the median of rounds and nearest-rank percentiles", () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(() => median([])).to.throw(RangeError);
    expect(percentile([5, 1, 4, 2, 3], 99)).to.equal(5);
    expect(percentile([5, 1, 4, 2, 3], 50)).to.equal(3);
  });

  it("measures sessions beside the crypto floor, the latency and the attack catalog, and judges the targets", async () => {
    const result = await runSmsBench({ rounds: 3, floorOperationsPerRound: 20, sessionsPerRound: 3, concurrency: 2, latencyConcurrency: 4, latencySessions: 8 });
    const { floorRounds, sessionRounds, roundRatios } = result.details;
    expect(floorRounds).to.have.length(3);
    expect(sessionRounds).to.have.length(3);
    for (const round of floorRounds) {
      // The floor is one session's crypto done on one thread: a warm DCAP check, two recoveries, one agreement.
      const perSession = 1 / round.dcapVerifyPerSec + 2 / round.recoverPerSec + 1 / round.sealAgreementsPerSec + 1 / round.signPerSec;
      expect(Math.abs(round.floorSessionsPerSec - 1 / perSession)).to.be.lessThan(1e-9);
    }
    // Each round's ratio compares the figures taken side by side in that round; the median is judged.
    expect(roundRatios).to.deep.equal(sessionRounds.map((perSec, round) => perSec / floorRounds[round]!.floorSessionsPerSec));
    expect(result.sessionsVsFloor).to.equal(median(roundRatios));
    expect(result.sessionsPerSec).to.equal(median(sessionRounds));
    expect(result.sessionsPerSecHttp).to.be.greaterThan(0);
    expect(result.details.sessions).to.equal(9);
    expect(result.latencyMs.inFlight).to.equal(4);
    expect(result.latencyMs.p99).to.be.at.least(result.latencyMs.p50);
    expect(result.attacksTried).to.equal(ATTACKS.length);
    expect(result.details.attacks.refusedAsExpected).to.equal(ATTACKS.length);
    expect(result.details.attacks.unexpected).to.deep.equal([]);
    expect(result.secretsLeaked).to.equal(0);
    expect(result.details.attacks.distinctRefusalCodes.length).to.be.at.least(SMS_TARGETS.attacksTried);
    expect(result.targets.map((check) => check.metric)).to.include.members(["sessionsVsFloor", "secretsLeaked", "attacksTried"]);
    expect(JSON.parse(JSON.stringify(result))).to.deep.equal(result);

    const table = formatSmsBench(result);
    for (const metric of ["sessionsPerSec", "sessionsPerSecHttp", "floorSessionsPerSec", "dcapVerifyPerSec", "latencyP99Ms", "sessionsVsFloor", "secretsLeaked", "attacksTried"]) {
      expect(table).to.include(metric);
    }
    expect(table).to.match(/pass|FAIL/);
  });
});
