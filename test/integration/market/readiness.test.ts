// The market's /readyz against a real chain it reaches through a proxy that can be switched off:
// ready once its indexer caught up; not ready, naming the indexer, when blocks pile up unread
// beyond chain.maxIndexerLagBlocks; not ready, naming the chain, while the node is unreachable,
// and ready again when it answers. /healthz answers throughout, and /metrics reports the lag.
import { expect } from "chai";
import { JsonRpcProvider, Network } from "ethers";
import { loadConfig } from "../../../src/config/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { startMarket, type RunningMarket } from "../../../src/market/service/startMarket.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { connection, loadProtocol } from "../../helpers/protocolFixture.ts";
import { RpcProxy } from "../../helpers/rpcProxy.ts";
import { sampleSum } from "../../helpers/prometheusText.ts";

type Report = { status: string; checks: { name: string; ready: boolean; reason?: string }[] };

async function readiness(market: RunningMarket): Promise<{ status: number; report: Report }> {
  const response = await fetch(`${market.url}/readyz`);
  return { status: response.status, report: (await response.json()) as Report };
}

describe("market readiness", function () {
  this.timeout(60_000);
  let directory: TemporaryDirectory;
  let proxy: RpcProxy;
  let provider: JsonRpcProvider;
  let market: RunningMarket;

  before(async () => {
    const f = await loadProtocol();
    directory = await createTemporaryDirectory("continuum-readiness-");
    proxy = new RpcProxy(connection.provider);
    await proxy.listen();
    provider = new JsonRpcProvider(proxy.url, Network.from(BigInt(f.deployment.chainId)), { staticNetwork: true, cacheTimeout: -1 });
    const config = loadConfig({
      env: {
        CONTINUUM_DATA_DIR: directory.path,
        CONTINUUM_MARKET_PORT: "0",
        CONTINUUM_MAX_INDEXER_LAG_BLOCKS: "2",
        // After its first catch-up the indexer sleeps through the test: blocks mined later stay unread.
        CONTINUUM_INDEX_INTERVAL_MS: "3600000",
      },
    });
    market = await startMarket({ config, provider, deployment: f.deployment, logger: silentLogger() });
  });

  after(async () => {
    await market?.close();
    provider?.destroy();
    await proxy?.close();
    await directory?.remove();
  });

  it("is ready once the indexer has caught up with the chain", async () => {
    let answer = await readiness(market);
    for (let tries = 0; answer.status !== 200 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await readiness(market);
    }
    expect(answer.status).to.equal(200);
    expect(answer.report).to.deep.equal({
      status: "ready",
      checks: [
        { name: "chain", ready: true },
        { name: "database", ready: true },
        { name: "indexer", ready: true },
      ],
    });
  });

  it("is not ready while the indexer is more blocks behind than allowed, and says by how many", async () => {
    await connection.networkHelpers.mine(5);
    const { status, report } = await readiness(market);
    expect(status).to.equal(503);
    expect(report.status).to.equal("not_ready");
    const indexer = report.checks.find((check) => check.name === "indexer")!;
    expect(indexer.ready).to.equal(false);
    expect(indexer.reason).to.match(/^the indexer is 5 blocks behind the confirmed head .*at most 2 allowed\)$/);
    expect(report.checks.filter((check) => check.ready).map((check) => check.name)).to.deep.equal(["chain", "database"]);
    const metrics = await (await fetch(`${market.url}/metrics`)).text();
    expect(sampleSum(metrics, "continuum_market_indexer_lag_blocks")).to.equal(5);
  });

  it("is not ready while the chain is unreachable, alive all the same, and ready on the chain again once the node answers", async () => {
    await proxy.close();
    try {
      const { status, report } = await readiness(market);
      expect(status).to.equal(503);
      const chain = report.checks.find((check) => check.name === "chain")!;
      expect(chain.ready).to.equal(false);
      expect(chain.reason).to.match(/^the chain node does not answer/);
      expect(report.checks.find((check) => check.name === "database")!.ready).to.equal(true);
      expect((await fetch(`${market.url}/healthz`)).status).to.equal(200);
    } finally {
      await proxy.listen();
    }
    const { report } = await readiness(market);
    expect(report.checks.find((check) => check.name === "chain")).to.deep.equal({ name: "chain", ready: true });
  });
});
