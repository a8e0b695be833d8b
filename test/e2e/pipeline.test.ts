// The confidential-pipeline demo end to end on the whole devnet stack (chain, market with indexer
// and matcher, SMS, Helia with its gateway, the devnet workerpool's scheduler and workers), driven
// through the CLI as `npm run demo:pipeline` plays it: the environment and mobility departments each
// sell one dataset to district-air, a three-stage fan-in pipeline cleans both and joins them per
// district. The join's result, decrypted by the requester, equals the same Python steps run here on
// the plaintext datasets (so both datasets flowed through their cleaning stages into the join),
// while the requester's key cannot open a cleaning stage's output (sealed for enclaves only).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { generateCityMobility } from "../../examples/datasets/cityMobility.ts";
import { DISTRICT_AIR_APP, runCityPipelineDemo, formatCityPipelineDemo, type CityPipelineDemoResult } from "../../src/demo/cityPipelineDemo.ts";
import { startTestDevnet, type TestDevnet } from "../helpers/testDevnet.ts";

const SEED = 7;

/** district-air's three steps run locally on the plaintext datasets: what the pipeline must produce. */
async function localDistricts(): Promise<unknown> {
  const data = generateCityMobility({ seed: SEED });
  const work = await mkdtemp(join(tmpdir(), "district-air-reference-"));
  try {
    const step = async (name: string, dataset: string | undefined, input: string) => {
      const output = join(work, `${name}-out`);
      await mkdir(output, { recursive: true });
      await mkdir(input, { recursive: true });
      const env = { PATH: process.env.PATH ?? "", CONTINUUM_INPUT: input, CONTINUUM_OUTPUT: output, CONTINUUM_PARAMS: JSON.stringify({ step: name }), PYTHONDONTWRITEBYTECODE: "1" };
      await promisify(execFile)("python3", [join(DISTRICT_AIR_APP, "main.py")], { env: dataset === undefined ? env : { ...env, CONTINUUM_DATASET_FILE: dataset } });
      return output;
    };
    await writeFile(join(work, "air.csv"), data.airQualityCsv);
    await writeFile(join(work, "traffic.csv"), data.trafficCsv);
    const joinInput = join(work, "join-in");
    for (const [name, dataset] of [["clean-air", "air.csv"], ["clean-traffic", "traffic.csv"]] as const) {
      const output = await step(name, join(work, dataset), join(work, `${name}-in`));
      await cp(output, join(joinInput, "stages", name), { recursive: true });
    }
    return JSON.parse(await readFile(join(await step("join", undefined, joinInput), "districts.json"), "utf8"));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describe("the confidential-pipeline demo end to end on the devnet", function () {
  this.timeout(600_000);
  let stack: TestDevnet;
  let result: CityPipelineDemoResult;

  before(async function () {
    stack = await startTestDevnet();
    const { devnet } = stack;
    result = await runCityPipelineDemo({
      dataDir: stack.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      gatewayUrl: devnet.endpoints.gatewayUrl,
      workDir: join(stack.dataDir, "pipeline"),
      workerpool: devnet.compute!.workerpool,
      seed: SEED,
      timeout: "8m",
    });
  });

  after(async function () {
    await stack?.close();
  });

  it("completes every stage once, each with its own deal", function () {
    expect(result.pipeline.state).to.equal("completed");
    expect(result.pipeline.stages.map((stage) => [stage.id, stage.state])).to.deep.equal([
      ["clean-air", "completed"],
      ["clean-traffic", "completed"],
      ["join", "completed"],
    ]);
    expect(new Set(result.pipeline.stages.map((stage) => stage.dealId)).size).to.equal(3);
  });

  it("gives the requester exactly what the three steps compute on both departments' datasets", async function () {
    const decrypted = JSON.parse(await readFile(join(result.resultDir, "districts.json"), "utf8"));
    expect(decrypted).to.deep.equal(await localDistricts());
    expect(result.districts.map((district) => district.district)).to.have.members(["old-town", "harbour", "north-park", "university", "west-end"]);
    const data = generateCityMobility({ seed: SEED });
    expect(result.cleaning.air).to.deep.include({ dropped: data.broken.air });
    expect(result.cleaning.traffic).to.deep.include({ dropped: data.broken.traffic });
  });

  it("leaves the requester unable to decrypt an intermediate stage's output", function () {
    expect(result.intermediateRefusal).to.match(/not an encrypted continuum result/i);
  });

  it("prints the stages, the districts and where to see the DAG", function () {
    const printed = formatCityPipelineDemo(result);
    expect(printed).to.contain(`Pipeline ${result.pipeline.id}: completed`);
    expect(printed).to.contain("harbour");
    expect(printed).to.contain(`/explorer/pipelines/${result.pipeline.id}`);
  });
});
