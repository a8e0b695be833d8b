// The pure reading of a pipeline's progress and the orchestrator's next step: stage states from the
// stored state and the chain's deal, task and deadline; publish what is ready, fail on the first
// failed stage and drop what waits, complete when every final stage completed.
import { expect } from "chai";
import { nextStep, pipelineProgress, type ChainRequests, type StoredPipeline } from "../../../../src/market/pipelines/index.ts";
import type { RequestStatusRecord } from "../../../../src/wire/marketApi/auditRecords.ts";
import type { PipelineDocument } from "../../../../src/wire/pipelines/index.ts";

const PRICES = { app: "1", dataset: "0", workerpool: "1" };
const DOCUMENT: PipelineDocument = {
  version: 1,
  name: "fan-in",
  stages: [
    { id: "a", app: "1", inputs: [{ dataset: "1" }], category: "1", prices: PRICES },
    { id: "b", app: "1", inputs: [], category: "1", prices: PRICES },
    { id: "c", app: "1", inputs: [{ stage: "a" }, { stage: "b" }], category: "1", prices: PRICES },
  ],
};
const hash = (stage: string) => `0x${stage.charCodeAt(0).toString(16).padStart(64, "0")}`;

function pipeline(states: Record<string, StoredPipeline["stages"][number]["state"]>): StoredPipeline {
  return {
    id: `0x${"11".repeat(32)}`,
    requester: `0x${"22".repeat(20)}`,
    name: DOCUMENT.name,
    documentHash: `0x${"33".repeat(32)}`,
    salt: `0x${"44".repeat(32)}`,
    signature: "0x",
    document: DOCUMENT,
    state: "running",
    failure: null,
    submittedAt: new Date(0),
    stages: DOCUMENT.stages.map((stage, position) => ({
      stage: stage.id,
      position,
      requestHash: hash(stage.id),
      order: {},
      signature: "0x",
      state: states[stage.id] ?? "waiting",
      failure: null,
      publishedAt: states[stage.id] === "published" ? new Date(0) : null,
    })),
  };
}

type TaskShape = { status: "pending" | "completed" | "failed" | "claimed"; failure?: { code: "APP_OWNER_CAUSED" | "DEADLINE_PASSED"; attempts: number | null } };

function onChain(tasks: Record<string, TaskShape>, deadline = 1_000n): ChainRequests {
  return new Map(
    Object.entries(tasks).map(([stage, task]) => [
      hash(stage),
      {
        deals: [
          {
            dealId: `0x${"d".repeat(63)}${stage}`.slice(0, 66),
            deadline: deadline.toString(),
            tasks: [{ index: "0", taskId: `0x${"e".repeat(64)}`, status: task.status, resultCid: task.status === "completed" ? `bafy${stage}` : null, resultDigest: null, failure: task.failure ?? null }],
          },
        ],
      } as unknown as RequestStatusRecord,
    ]),
  );
}

const states = (progress: ReturnType<typeof pipelineProgress>) => progress.stages.map((stage) => stage.state);

describe("pipeline progress", function () {
  it("publishes the stages without stage inputs first, and holds back the join", function () {
    const progress = pipelineProgress(pipeline({}), new Map(), 0n);
    expect(states(progress)).to.deep.equal(["waiting", "waiting", "waiting"]);
    expect(nextStep(progress)).to.deep.equal({ kind: "publish", stages: ["a", "b"] });
  });

  it("publishes the join only when both parents completed", function () {
    const running = pipeline({ a: "published", b: "published" });
    const oneDone = pipelineProgress(running, onChain({ a: { status: "completed" }, b: { status: "pending" } }), 10n);
    expect(states(oneDone)).to.deep.equal(["completed", "matched", "waiting"]);
    expect(nextStep(oneDone)).to.deep.equal({ kind: "wait" });
    const bothDone = pipelineProgress(running, onChain({ a: { status: "completed" }, b: { status: "completed" } }), 10n);
    expect(nextStep(bothDone)).to.deep.equal({ kind: "publish", stages: ["c"] });
    expect(bothDone.stages[0]).to.deep.include({ resultCid: "bafya", taskIndex: "0" });
  });

  it("fails on a failed task, on a deadline passed without a result, and on a refused order, dropping what waits", function () {
    const running = pipeline({ a: "published", b: "published" });
    const failed = pipelineProgress(running, onChain({ a: { status: "failed", failure: { code: "APP_OWNER_CAUSED", attempts: 2 } }, b: { status: "pending" } }), 10n);
    // b has a deal: it runs on; c waits: dropped.
    expect(nextStep(failed)).to.deep.include({ kind: "fail", stage: "a", drop: ["c"], withdraw: [] });
    // b is in the book with no deal yet: it has not started, so it is withdrawn.
    const unmatched = pipelineProgress(running, onChain({ a: { status: "failed", failure: { code: "APP_OWNER_CAUSED", attempts: 2 } } }), 10n);
    expect(nextStep(unmatched)).to.deep.include({ kind: "fail", stage: "a", drop: ["c"], withdraw: ["b"] });
    const late = pipelineProgress(running, onChain({ a: { status: "completed" }, b: { status: "pending" } }, 100n), 100n);
    const step = nextStep(late);
    expect(step).to.deep.include({ kind: "fail", stage: "b" });
    expect(step.kind === "fail" && step.failure.code).to.equal("DEADLINE_PASSED");
    const refused = pipeline({ a: "refused" });
    refused.stages[0]!.failure = { code: "INSUFFICIENT_ESCROW", message: "no funds" };
    expect(nextStep(pipelineProgress(refused, new Map(), 0n))).to.deep.include({ kind: "fail", stage: "a", drop: ["b", "c"] });
  });

  it("completes when every final stage completed", function () {
    const done = pipelineProgress(pipeline({ a: "published", b: "published", c: "published" }), onChain({ a: { status: "completed" }, b: { status: "completed" }, c: { status: "completed" } }), 10n);
    expect(nextStep(done)).to.deep.equal({ kind: "complete" });
    expect(done.stages.map((stage) => stage.final)).to.deep.equal([false, false, true]);
  });
});
