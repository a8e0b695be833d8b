// Pipelines under faults on the whole devnet stack: a stage whose worker is killed mid-run is
// reassigned and completes once, and the pipeline completes; a stage that finally fails (its
// dataset's key was never pushed, so the SMS blames the dataset owner and the task is settled
// with failTask) fails the pipeline, and the stage that would read it never gets a deal.
import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, type EventLog } from "ethers";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import { fanInPipeline, PIPELINE_PRICES, preparePipelineMarket, submitPipelineDocument, type PipelineMarket } from "../../src/demo/pipelineMarket.ts";
import type { Devnet } from "../../src/devnet/startDevnet.ts";
import type { PipelineStatusJson } from "../../src/wire/marketApi/pipelineStatus.ts";
import { TaskRepository } from "../../scheduler/persistence/index.ts";
import { eventually, startTestDevnet, type TestDevnet } from "../helpers/testDevnet.ts";

describe("pipelines under faults on the devnet", function () {
  this.timeout(600_000);
  let stack: TestDevnet;
  let devnet: Devnet;
  let market: PipelineMarket;
  let continuum: Contract;

  before(async function () {
    // Fast heartbeats so a silent worker is noticed in seconds.
    stack = await startTestDevnet({ env: { CONTINUUM_SCHEDULER_HEARTBEAT_INTERVAL_MS: "1000", CONTINUUM_SCHEDULER_BATCH_DELAY_MS: "1000" } });
    devnet = stack.devnet;
    continuum = new Contract(devnet.deployment.continuum, loadArtifact("Continuum").abi as never, devnet.provider);
    market = await preparePipelineMarket({
      dataDir: stack.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      workDir: join(stack.dataDir, "pipeline-faults"),
      workerpool: devnet.compute!.workerpool,
    });
  });

  after(async function () {
    for (const running of devnet?.compute?.workers ?? []) await running.close({ abandon: true });
    await stack?.close();
  });

  async function pipeline(id: string): Promise<PipelineStatusJson> {
    return (await (await fetch(`${devnet.endpoints.marketUrl}/v1/pipelines/${id}`)).json()) as PipelineStatusJson;
  }

  async function dealsNaming(pipelineId: string): Promise<string[]> {
    const events = (await continuum.queryFilter(continuum.filters.DealCreated!(), 0)) as EventLog[];
    return events.map((event) => String(event.args.params)).filter((params) => params.includes(pipelineId)).map((params) => JSON.parse(params).stage as string);
  }

  it("completes a pipeline whose stage's worker was killed mid-run, the stage's task once", async function () {
    const document = fanInPipeline(market, "killed worker");
    document.stages[0]!.params = { sleepMs: 8_000 };
    const { id } = await submitPipelineDocument(market, document, "killed.json");
    const stage = await eventually("clean-air has a deal", async () => (await pipeline(id)).stages[0]!.dealId, 60_000);
    const tasks = new TaskRepository(devnet.compute!.scheduler.db);
    const running = await eventually("clean-air running in an enclave", async () => {
      const [task] = await tasks.tasksOfDeal(stage);
      return task?.state === "running" && task.enclave ? task : undefined;
    }, 60_000);
    const victim = devnet.compute!.workers.find((candidate) => candidate.address.toLowerCase() === running.worker)!;
    await victim.worker.halt();

    const done = (await market.cli.json("healthDepartment", ["pipeline", "watch", id, "--timeout", "6m", "--interval", "1s"])) as PipelineStatusJson;
    expect(done.state).to.equal("completed");
    const attempts = await tasks.attempts(running.taskId);
    expect(attempts.map((attempt) => attempt.outcome)).to.deep.equal(["lost", "result"]);
    const results = (await continuum.queryFilter(continuum.filters.ResultPushed!(stage), 0)) as EventLog[];
    expect(results).to.have.length(1);
    expect((await dealsNaming(id)).sort()).to.deep.equal(["clean-air", "clean-traffic", "join"]);
  });

  it("fails the pipeline when a stage finally fails, and never makes a deal for the stage reading it", async function () {
    const plain = join(market.workDir, "keyless.csv");
    const encrypted = join(market.workDir, "keyless.enc");
    await writeFile(plain, "district,pm25\nnorth,1\n");
    const sealed = await market.cli.json("hospital", ["dataset", "encrypt", "--in", plain, "--out", encrypted, "--key-out", join(market.workDir, "keyless.key.json")]);
    const published = await market.cli.json("hospital", ["dataset", "publish", encrypted]);
    const registered = await market.cli.json("hospital", ["dataset", "register", "--name", "keyless", "--cid", String(published.cid), "--checksum", String(sealed.checksum)]);
    const keyless = String(registered.id);
    await market.cli.json("hospital", ["dataset", "order", "publish", "--dataset", keyless, "--app", market.appId, "--price", PIPELINE_PRICES.dataset, "--volume", "10"]);

    const document = fanInPipeline({ ...market, datasets: { ...market.datasets, air: keyless } }, "keyless");
    const { id } = await submitPipelineDocument(market, document, "keyless.json");
    const failed = await market.cli
      .json("healthDepartment", ["pipeline", "watch", id, "--timeout", "6m", "--interval", "1s"])
      .then(() => expect.fail("the pipeline completed"), (error: { details?: { code?: string } }) => error.details?.code);
    expect(failed).to.equal("PIPELINE_FAILED");
    const status = await pipeline(id);
    expect(status.state).to.equal("failed");
    expect(status.failure).to.deep.include({ stage: "clean-air", code: "DATASET_OWNER_CAUSED" });
    expect(status.stages.find((stage) => stage.id === "join")!.state).to.equal("dropped");
    // The sibling may still run; the join is never matched, so never paid.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await dealsNaming(id)).to.not.include("join");
    expect((await pipeline(id)).stages.find((stage) => stage.id === "join")!.dealId).to.equal(null);
  });
});
