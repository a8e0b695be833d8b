// The market benchmark run end to end at tiny sizes on the in-process Hardhat network and PGlite
// (and the PostgreSQL server when it answers): the result's JSON shape, finite positive figures,
// every order stored, and the benchmark's own refusals. No timing is asserted.
import { expect } from "chai";
import { Wallet } from "ethers";
import { openBenchDatabase } from "../../../scripts/bench/market/benchDatabase.ts";
import { signMarketOrders } from "../../../scripts/bench/market/ingestOrders.ts";
import { IngestBenchError, measureIngest } from "../../../scripts/bench/market/ingestThroughput.ts";
import { deployMarketDevnet, type DevnetLayout } from "../../../scripts/bench/market/marketDevnet.ts";
import { formatMarketBench, runMarketBench, type MarketBenchResult } from "../../../scripts/bench/market/marketBench.ts";
import { SeededRandom } from "../../../scripts/bench/market/seededRandom.ts";
import { measureSigVerify } from "../../../scripts/bench/market/sigVerifyThroughput.ts";
import { postgresAvailable, TEST_POSTGRES_URL } from "../../../src/persistence/testing/index.ts";

const TINY_LAYOUT: DevnetLayout = { apps: 2, datasets: 2, workerpools: 2, categories: 2, requesters: 2, ownersPerKind: 2 };
const TINY = {
  verify: { rounds: 2, signatures: 6 },
  ingest: { rounds: 2, ordersPerRound: 12, warmupOrders: 4 },
  match: { openOrders: 500, lookups: 40 },
  layout: TINY_LAYOUT,
  seed: 5,
};

function expectPositiveFinite(name: string, value: unknown) {
  expect(typeof value === "number" && Number.isFinite(value) && value > 0, `${name} = ${String(value)}`).to.equal(true);
}

describe("market benchmark", function () {
  let result: MarketBenchResult;

  before(async function () {
    result = await runMarketBench(TINY);
  });

  it("reports every figure of issue 3 as a positive finite number", function () {
    for (const key of ["sigVerifyPerSec", "ingestPerSec", "ingestRatio", "matchP50Ms", "matchP99Ms"] as const) {
      expectPositiveFinite(key, result[key]);
    }
    expect(result.ingestRatio).to.equal(result.ingestPerSec / result.sigVerifyPerSec);
    expect(result.matchP50Ms).to.be.at.most(result.matchP99Ms);
  });

  it("holds exactly the requested open orders during the match test", function () {
    expect(result.openOrders).to.equal(TINY.match.openOrders);
    expect(result.details.match.lookups).to.equal(TINY.match.lookups);
  });

  it("stores every ingested order in the book table and keeps each round's figure", function () {
    const { ingest, sigVerify } = result.details;
    expect(ingest.storedOrders).to.equal(TINY.ingest.warmupOrders + TINY.ingest.rounds * TINY.ingest.ordersPerRound);
    expect(ingest.database).to.equal("pglite");
    expect(ingest.rounds).to.have.length(TINY.ingest.rounds);
    expect(sigVerify.rounds).to.have.length(TINY.verify.rounds);
    expect(sigVerify.signaturesPerRound).to.equal(TINY.verify.signatures);
    [...ingest.rounds, ...sigVerify.rounds, sigVerify.recoverOnlyPerSec].forEach((value, i) => expectPositiveFinite(`round ${i}`, value));
  });

  it("judges each target and survives a JSON round trip with the same shape", function () {
    expect(result.targets.map((check) => check.metric)).to.deep.equal(["ingestRatio", "matchP99Ms", "openOrders"]);
    const openOrders = result.targets.find((check) => check.metric === "openOrders")!;
    expect(openOrders.pass).to.equal(false); // 500 < 100,000: the tiny run must not claim the target
    expect(result.pass).to.equal(result.targets.every((check) => check.pass));
    const parsed = JSON.parse(JSON.stringify(result)) as MarketBenchResult;
    expect(Object.keys(parsed)).to.include.members([
      "sigVerifyPerSec", "ingestPerSec", "ingestRatio", "openOrders", "matchP50Ms", "matchP99Ms", "targets", "pass", "details",
    ]);
    expect(parsed.openOrders).to.equal(result.openOrders);
  });

  it("prints a table with a pass or fail mark per target", function () {
    const table = formatMarketBench(result);
    for (const check of result.targets) expect(table).to.match(new RegExp(`${check.pass ? "PASS" : "FAIL"}\\s+${check.metric}`));
    expect(table).to.include("sigVerifyPerSec").and.to.include("matchP99Ms");
  });

  describe("its own checks", function () {
    it("refuses to count a verification that recovers someone other than the order's signer", async function () {
      const devnet = await deployMarketDevnet(TINY_LAYOUT);
      const [sample] = await signMarketOrders(devnet, new SeededRandom(1), 1);
      expect(() => measureSigVerify([{ ...sample!, signer: Wallet.createRandom().address }], devnet.domain, { rounds: 1 })).to.throw(/recovered to/);
    });

    it("fails with INGEST_BENCH_REFUSED when the intake refuses one of its orders", async function () {
      const devnet = await deployMarketDevnet(TINY_LAYOUT);
      const samples = await signMarketOrders(devnet, new SeededRandom(2), 3);
      // Another order's signature recovers to an address that neither owns the asset nor made the request.
      const forged = { ...samples[1]!, signature: samples[0]!.signature };
      const database = await openBenchDatabase();
      try {
        const error = await measureIngest(devnet, database, [], [[samples[0]!, forged, samples[2]!]]).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).to.be.instanceOf(IngestBenchError);
        expect((error as IngestBenchError).code).to.equal("INGEST_BENCH_REFUSED");
        expect((error as IngestBenchError).details!.refusal).to.be.oneOf(["NOT_ASSET_OWNER", "BAD_SIGNATURE"]);
      } finally {
        await database.close();
      }
    });

    it("puts the book on a PostgreSQL server when given a URL", async function () {
      if (!(await postgresAvailable())) this.skip();
      const devnet = await deployMarketDevnet(TINY_LAYOUT);
      const samples = await signMarketOrders(devnet, new SeededRandom(3), 5);
      const database = await openBenchDatabase(TEST_POSTGRES_URL);
      try {
        expect(database.backend).to.equal("postgres");
        const ingest = await measureIngest(devnet, database, [], [samples]);
        expect(ingest.storedOrders).to.equal(5);
        expectPositiveFinite("ingestPerSec", ingest.ingestPerSec);
      } finally {
        await database.close();
      }
    });
  });
});
