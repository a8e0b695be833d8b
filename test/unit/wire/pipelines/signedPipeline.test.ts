// The pipeline document's shape, its published JSON Schema, the requester's signature and the
// stage orders the market checks against the document.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Wallet, getAddress } from "ethers";
import {
  PipelineError,
  pipelineDocumentHash,
  pipelineIdOf,
  pipelineJsonSchema,
  readPipelineDocument,
  stageOrderMismatch,
  stageRequestOrder,
  verifySignedPipeline,
  type PipelineDocument,
} from "../../../../src/wire/pipelines/index.ts";
import { continuumDomain, signPipelineSubmission } from "../../../../src/wire/eip712/index.ts";
import { readRequestParams } from "../../../../src/wire/requestParams.ts";

const SCHEMA_FILE = new URL("../../../../src/wire/pipelines/pipeline.schema.json", import.meta.url);
const EXAMPLE_FILE = new URL("../../../../examples/pipelines/air-quality-by-district.json", import.meta.url);
const domain = continuumDomain(31337n, "0x00000000000000000000000000000000000000c1");
const requester = new Wallet("0x" + "11".repeat(32));
const SALT = "0x" + "ab".repeat(32);

function example(): PipelineDocument {
  return JSON.parse(readFileSync(EXAMPLE_FILE, "utf8"));
}

function refusal(action: () => unknown): PipelineError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(PipelineError);
    return error as PipelineError;
  }
  throw new Error("expected a PipelineError");
}

async function signed(document: unknown = example(), signer = requester) {
  const documentHash = pipelineDocumentHash(document as PipelineDocument);
  const signature = await signPipelineSubmission(signer, domain, { requester: requester.address, documentHash, salt: SALT });
  return { document, requester: requester.address, salt: SALT, signature };
}

describe("pipeline documents", function () {
  it("publishes the JSON Schema the document's zod schema generates", function () {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, "utf8"))).to.deep.equal(pipelineJsonSchema());
  });

  it("reads the example fan-in pipeline: two cleaning stages, then the join as the final stage", function () {
    const { graph } = readPipelineDocument(example());
    expect(graph.order).to.deep.equal(["clean-air", "clean-traffic", "join"]);
    expect(graph.finals).to.deep.equal(["join"]);
    expect(graph.children.get("clean-air")).to.deep.equal(["join"]);
  });

  it("refuses shapes the schema refuses, naming the path", function () {
    const noStages = refusal(() => readPipelineDocument({ ...example(), stages: [] }));
    expect(noStages.code).to.equal("INVALID_PIPELINE");
    const badApp = example();
    badApp.stages[0]!.app = "0x1";
    expect(refusal(() => readPipelineDocument(badApp)).message).to.contain("stages.0.app");
    const extra = { ...example(), owner: "me" };
    expect(refusal(() => readPipelineDocument(extra)).code).to.equal("INVALID_PIPELINE");
  });

  it("refuses unknown inputs, duplicate ids, two datasets, reserved params and cycles with typed codes", function () {
    const unknown = example();
    unknown.stages[2]!.inputs.push({ stage: "ghost" });
    expect(refusal(() => readPipelineDocument(unknown)).code).to.equal("UNKNOWN_STAGE_INPUT");
    const duplicate = example();
    duplicate.stages[1]!.id = "clean-air";
    expect(refusal(() => readPipelineDocument(duplicate)).code).to.equal("DUPLICATE_STAGE");
    const twoDatasets = example();
    twoDatasets.stages[0]!.inputs.push({ dataset: "2" });
    expect(refusal(() => readPipelineDocument(twoDatasets)).code).to.equal("TOO_MANY_DATASETS");
    const reserved = example();
    reserved.stages[0]!.params = { stage: "join" };
    expect(refusal(() => readPipelineDocument(reserved)).code).to.equal("RESERVED_STAGE_PARAM");
    const cyclic = example();
    cyclic.stages[0]!.inputs.push({ stage: "join" });
    cyclic.stages.push({ id: "after", app: "3", inputs: [{ stage: "join" }], category: "0", prices: { app: "0", dataset: "0", workerpool: "0" } });
    const cycle = refusal(() => readPipelineDocument(cyclic));
    expect(cycle.code).to.equal("PIPELINE_CYCLE");
    expect(cycle.message).to.equal("stages wait on each other in a cycle: join -> clean-air -> join");
    const problems = (cycle.details as { problems: { code: string; stages: string[] }[] }).problems;
    expect(problems.find((problem) => problem.code === "NEVER_READY")?.stages).to.deep.equal(["after"]);
  });

  it("verifies the requester's signature and derives the id from document, requester and salt", async function () {
    const verified = verifySignedPipeline(domain, await signed());
    expect(verified.requester).to.equal(getAddress(requester.address));
    expect(verified.id).to.equal(pipelineIdOf(pipelineDocumentHash(example()), requester.address, SALT));
    expect(verified.id).to.not.equal(pipelineIdOf(pipelineDocumentHash(example()), requester.address, "0x" + "cd".repeat(32)));
    const forged = await signed(example(), new Wallet("0x" + "22".repeat(32)));
    expect(refusal(() => verifySignedPipeline(domain, forged)).code).to.equal("INVALID_PIPELINE_SIGNATURE");
    const otherDeployment = continuumDomain(31337n, "0x00000000000000000000000000000000000000c2");
    const good = await signed();
    expect(refusal(() => verifySignedPipeline(otherDeployment, good)).code).to.equal("INVALID_PIPELINE_SIGNATURE");
    const changed = await signed();
    (changed.document as PipelineDocument).stages[2]!.app = "7";
    expect(refusal(() => verifySignedPipeline(domain, changed)).code).to.equal("INVALID_PIPELINE_SIGNATURE");
  });

  it("builds each stage's request order from the document, and names the first field a signed order changes", async function () {
    const { id, document } = verifySignedPipeline(domain, await signed());
    const join = document.stages[2]!;
    const terms = { requester: requester.address, resultPublicKey: "0x" + "05".repeat(32), salt: "0x" + "01".repeat(32), expiry: 99n };
    const order = stageRequestOrder(id, join, terms);
    expect(order.volume).to.equal(1n);
    expect(order.dataset).to.equal(0n);
    expect(readRequestParams(order.params)).to.deep.equal({ ok: true, requesterSecrets: [], priority: "normal", pipeline: { pipeline: id, stage: "join" } });
    expect(JSON.parse(order.params).groupBy).to.equal("district");
    expect(stageOrderMismatch(id, join, requester.address, order)).to.equal(undefined);
    expect(stageOrderMismatch(id, join, requester.address, { ...order, app: 9n })).to.equal("app");
    expect(stageOrderMismatch(id, join, requester.address, { ...order, workerpoolMaxPrice: 21n })).to.equal("workerpoolMaxPrice");
    expect(stageOrderMismatch(id, join, requester.address, { ...order, params: order.params.replace("join", "clean-air") })).to.equal("params");
    expect(stageOrderMismatch(id, document.stages[0]!, requester.address, stageRequestOrder(id, document.stages[0]!, terms))).to.equal(undefined);
    expect(stageRequestOrder(id, document.stages[0]!, terms).dataset).to.equal(1n);
  });
});

describe("readRequestParams: pipeline stages", function () {
  const id = "0x" + "ee".repeat(32);
  it("reads the pipeline and stage a request names, lowercasing the id", function () {
    expect(readRequestParams(JSON.stringify({ pipeline: id.toUpperCase().replace("0X", "0x"), stage: "a" }))).to.deep.equal({
      ok: true,
      requesterSecrets: [],
      priority: "normal",
      pipeline: { pipeline: id, stage: "a" },
    });
  });
  it("refuses a pipeline without a stage, a stage without a pipeline, and ids of the wrong form", function () {
    for (const params of [{ pipeline: id }, { stage: "a" }, { pipeline: "0x12", stage: "a" }, { pipeline: id, stage: "a b" }, { pipeline: 1, stage: "a" }]) {
      expect(readRequestParams(JSON.stringify(params)).ok, JSON.stringify(params)).to.equal(false);
    }
  });
});
