// The SMS benchmark's measuring code, run at tiny sizes: the result has the shape
// bench/results/sms.json promises and the table names every target. No timing is asserted.
import { expect } from "chai";
import { formatSmsBench, runSmsBench, SMS_TARGETS } from "../../../scripts/bench/sms/smsBench.ts";
import { median } from "../../../scripts/bench/statistics.ts";
import { ATTACKS } from "./attackCatalog.ts";

describe("SMS benchmark", function () {
  this.timeout(120_000);

  it("takes the median of rounds", () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(() => median([])).to.throw(RangeError);
  });

  it("measures verifications, releases and the attack catalog, and judges the targets", async () => {
    const result = await runSmsBench({ rounds: 3, verificationsPerRound: 20, sessionsPerRound: 3, concurrency: 2 });
    expect(result.verifyPerSec).to.be.a("number").and.be.greaterThan(0);
    expect(result.releasesPerSec).to.be.a("number").and.be.greaterThan(0);
    const { verifyRounds, releaseRounds, roundRatios } = result.details;
    expect(verifyRounds).to.have.length(3);
    expect(releaseRounds).to.have.length(3);
    // Each round's ratio compares the figures taken side by side in that round; the median is judged.
    expect(roundRatios).to.deep.equal(releaseRounds.map((releases, round) => releases / verifyRounds[round]!));
    expect(result.releaseRatio).to.equal(median(roundRatios));
    expect(result.verifyPerSec).to.equal(median(verifyRounds));
    expect(result.releasesPerSec).to.equal(median(releaseRounds));
    expect(result.details.releaseSessions).to.equal(9);
    expect(result.details.releasePath).to.equal("in-process session service");
    expect(result.releasesPerSecHttp).to.be.a("number").and.be.greaterThan(0);
    expect(result.details.releaseRoundsHttp).to.have.length(3);
    const floor = result.details.cryptoFloor;
    expect(floor.recoverPerSec).to.be.greaterThan(0);
    expect(floor.sealAgreementsPerSec).to.be.greaterThan(0);
    const perSession = 1 / result.verifyPerSec + 1 / floor.recoverPerSec + 1 / floor.sealAgreementsPerSec;
    expect(Math.abs(floor.singleThreadRatioCeiling - 1 / result.verifyPerSec / perSession)).to.be.lessThan(1e-12);
    expect(result.attacksTried).to.equal(ATTACKS.length);
    expect(result.details.attacks.refusedAsExpected).to.equal(ATTACKS.length);
    expect(result.details.attacks.unexpected).to.deep.equal([]);
    expect(result.secretsLeaked).to.equal(0);
    expect(result.details.attacks.distinctRefusalCodes.length).to.be.at.least(SMS_TARGETS.attacksTried);
    expect(result.targets.map((check) => check.metric)).to.include.members(["releaseRatio", "secretsLeaked", "attacksTried"]);
    expect(JSON.parse(JSON.stringify(result))).to.deep.equal(result);

    const table = formatSmsBench(result);
    for (const metric of ["verifyPerSec", "releasesPerSec", "releasesPerSecHttp", "singleThreadRatioCeiling", "releaseRatio", "secretsLeaked", "attacksTried"]) {
      expect(table).to.include(metric);
    }
    expect(table).to.match(/pass|FAIL/);
  });
});
