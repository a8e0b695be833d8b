// Intermediate keys of pipelines at the SMS, over real HTTP against the in-process chain: each stage's
// enclave receives the keys of the stages it reads and its own output key unless it is final, and
// nothing else; another pipeline's stage gets other keys; no answer outside a session carries a key;
// every release is audited.
import { expect } from "chai";
import { getBytes } from "ethers";
import { openAsEnclave } from "../../../src/crypto/enclave/index.ts";
import { loadProtocol } from "../../helpers/protocolFixture.ts";
import { seedSecrets } from "./attackCatalog.ts";
import { fanInDocument, registeredPipeline, signedPipeline, stageDeal } from "./pipelineFixture.ts";
import { secretEncodings, sessionBody, startHarness, type Harness } from "./smsHarness.ts";

type StageKeys = { id: string; stage: string; inputs: { stage: string; key: string }[]; output: { stage: string; key: string } | null };

describe("SMS: pipelines' intermediate keys", function () {
  let h: Harness;
  let pipeline: { id: string; text: string; body: unknown };
  const opened = new Map<string, StageKeys>();

  before(async function () {
    h = await startHarness();
    await loadProtocol();
    await seedSecrets(h);
    const registered = await registeredPipeline(h, fanInDocument());
    pipeline = { id: registered.id, text: registered.result.text, body: registered.body };
  });

  after(async () => {
    await h?.close();
  });

  /** Opens a session for a fresh deal of `stage` and opens the stage keys with the enclave key. */
  async function stageSession(id: string, stage: string): Promise<StageKeys> {
    const { dealId } = await stageDeal(h, id, fanInDocument(), stage);
    const { body, enclave } = await sessionBody(h, { dealId });
    const result = await h.post("/v1/sessions", body);
    expect(result.status, result.text).to.equal(200);
    const released = result.body.secrets.pipeline;
    const open = (sealed: { stage: string; sealedKey: string }) => ({ stage: sealed.stage, key: Buffer.from(openAsEnclave(getBytes(sealed.sealedKey), enclave.privateKey)).toString("hex") });
    return { id: released.id, stage: released.stage, inputs: released.inputs.map(open), output: released.output && open(released.output) };
  }

  it("answers a registration with the stages that have a key, and the same registration again with 200", async function () {
    const body = JSON.parse(pipeline.text).pipeline;
    expect(body).to.deep.equal({
      id: pipeline.id,
      requester: h.f.requester.address,
      stages: ["A", "B", "C", "D"],
      finalStages: ["C", "D"],
      intermediateStages: ["A", "B"],
    });
    const again = await h.post("/v1/pipelines", pipeline.body);
    expect(again.status).to.equal(200);
    expect(again.body.pipeline).to.deep.equal(body);
  });

  it("gives a first stage only its own output key, and a reading stage its parents' keys", async function () {
    for (const stage of ["A", "B", "C", "D"]) opened.set(stage, await stageSession(pipeline.id, stage));
    const a = opened.get("A")!;
    const b = opened.get("B")!;
    expect(a.inputs).to.deep.equal([]);
    expect(a.output!.stage).to.equal("A");
    expect(b.output!.stage).to.equal("B");
    expect(a.output!.key).to.have.length(64);
    expect(a.output!.key).to.not.equal(b.output!.key);
    // The join reads A and B under the very keys A and B sealed their outputs with; it is final.
    expect(opened.get("C")!.inputs).to.deep.equal([a.output, b.output]);
    expect(opened.get("C")!.output).to.equal(null);
  });

  it("never gives a sibling stage the key of an output it does not read", function () {
    const d = opened.get("D")!;
    expect(d.inputs).to.deep.equal([opened.get("B")!.output]);
    expect(d.output).to.equal(null);
    expect(JSON.stringify(d)).to.not.contain(opened.get("A")!.output!.key);
  });

  it("gives the same stage of another pipeline (same document, another salt) other keys", async function () {
    const other = await registeredPipeline(h, fanInDocument());
    const a2 = await stageSession(other.id, "A");
    expect(a2.id).to.equal(other.id);
    expect(a2.output!.key).to.not.equal(opened.get("A")!.output!.key);
    const c2 = await stageSession(other.id, "C");
    expect(c2.inputs.map((input) => input.key)).to.not.include(opened.get("A")!.output!.key);
  });

  it("has no route that gives the requester an intermediate key, and writes none to its answers or logs", async function () {
    const get = await fetch(`${h.url}/v1/pipelines/${pipeline.id}`);
    expect(get.status).to.equal(404);
    const again = await h.post("/v1/pipelines", (await signedPipeline(h, fanInDocument())).body);
    const keys = [...opened.values()].flatMap((stage) => [...stage.inputs, ...(stage.output ? [stage.output] : [])]).map((key) => Buffer.from(key.key, "hex"));
    const forms = keys.flatMap((key) => secretEncodings(key));
    for (const text of [pipeline.text, again.text, h.logs()]) for (const form of forms) expect(text).to.not.contain(form);
  });

  it("audits each release with the intermediate keys it held", async function () {
    const rows: { secrets: { kind: string; name: string; pipeline?: string }[] }[] = await h.sms.dataSource.query(
      "SELECT secrets FROM sms_audit WHERE action = 'session' AND outcome = 'released' ORDER BY id",
    );
    const intermediate = rows.map((row) => row.secrets.filter((secret) => secret.kind === "intermediate" && secret.pipeline === pipeline.id).map((secret) => secret.name));
    expect(intermediate).to.deep.include(["A", "B"]);
    expect(intermediate).to.deep.include(["B"]);
    const registrations: { outcome: string; requester: string }[] = await h.sms.dataSource.query("SELECT outcome, requester FROM sms_audit WHERE action = 'pipeline'");
    expect(registrations.filter((row) => row.outcome === "stored").length).to.be.at.least(2);
  });

  it("refuses a cyclic document before storing anything, naming the cycle", async function () {
    const cyclic = fanInDocument();
    cyclic.stages[0]!.inputs.push({ stage: "C" });
    const result = await h.post("/v1/pipelines", (await signedPipeline(h, cyclic)).body);
    expect(result.status).to.equal(400);
    expect(result.body.error.code).to.equal("PIPELINE_CYCLE");
    expect(result.body.error.message).to.match(/: (A -> C -> A|C -> A -> C)$/);
    expect(result.body.error.details.problems.map((problem: { code: string }) => problem.code)).to.deep.equal(["PIPELINE_CYCLE"]);
  });
});
