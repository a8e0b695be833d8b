// A three-stage fan-in pipeline end to end on the whole devnet stack (chain, market with indexer
// and matcher, SMS, Helia with its gateway, the devnet workerpool's scheduler and workers), driven
// through the CLI: two cleaning stages on two datasets, a join reading both; the join's result
// decrypts with the requester's key to exactly what flowed through the stages, while the cleaning
// stages' outputs do not (they are sealed under intermediate keys only enclaves received).
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CITY_DATASETS, fanInPipeline, preparePipelineMarket, submitPipelineDocument, type PipelineMarket } from "../../src/demo/pipelineMarket.ts";
import type { PipelineStatusJson } from "../../src/wire/marketApi/pipelineStatus.ts";
import { startTestDevnet, type TestDevnet } from "../helpers/testDevnet.ts";

describe("a fan-in pipeline end to end on the devnet", function () {
  this.timeout(600_000);
  let stack: TestDevnet;
  let market: PipelineMarket;
  let watched: PipelineStatusJson;

  before(async function () {
    stack = await startTestDevnet();
    const { devnet } = stack;
    market = await preparePipelineMarket({
      dataDir: stack.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      workDir: join(stack.dataDir, "pipeline"),
      workerpool: devnet.compute!.workerpool,
    });
    const submitted = await submitPipelineDocument(market, fanInPipeline(market));
    expect(submitted.state).to.equal("running");
    expect(submitted.stages.map((stage) => [stage.id, stage.state])).to.deep.equal([
      ["clean-air", "published"],
      ["clean-traffic", "published"],
      ["join", "waiting"],
    ]);
    watched = (await market.cli.json("healthDepartment", ["pipeline", "watch", submitted.id, "--timeout", "8m", "--interval", "1s"])) as PipelineStatusJson;
  });

  after(async function () {
    await stack?.close();
  });

  it("completes every stage once, each with its own deal", function () {
    expect(watched.state).to.equal("completed");
    expect(watched.stages.map((stage) => stage.state)).to.deep.equal(["completed", "completed", "completed"]);
    expect(new Set(watched.stages.map((stage) => stage.dealId)).size).to.equal(3);
  });

  it("gives the requester the join's result, holding both datasets as the cleaning stages passed them on", async function () {
    const join_ = watched.stages.find((stage) => stage.id === "join")!;
    const out = join(market.workDir, "result");
    await market.cli.json("healthDepartment", ["result", "download", join_.dealId!, join_.taskIndex!, "--result-key", market.resultKey, "--out", out, "--gateway", stack.devnet.endpoints.gatewayUrl]);
    const merged = await readFile(join(out, "merged.txt"), "utf8");
    expect(merged).to.contain(`## from stage clean-air: merged.txt\n# stage clean-air\n## dataset\n${CITY_DATASETS.air.trimEnd()}`);
    expect(merged).to.contain(`## from stage clean-traffic: merged.txt\n# stage clean-traffic\n## dataset\n${CITY_DATASETS.traffic.trimEnd()}`);
  });

  it("leaves the requester unable to decrypt an intermediate stage's output", async function () {
    const air = watched.stages.find((stage) => stage.id === "clean-air")!;
    const attempt = market.cli.json("healthDepartment", [
      "result", "download", air.dealId!, air.taskIndex!, "--result-key", market.resultKey, "--out", join(market.workDir, "air"), "--gateway", stack.devnet.endpoints.gatewayUrl,
    ]);
    await attempt.then(
      () => expect.fail("the requester decrypted an intermediate output"),
      (error: { details?: { code?: string } }) => expect(error.details?.code).to.be.a("string"),
    );
  });
});
