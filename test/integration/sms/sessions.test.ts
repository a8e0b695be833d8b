// POST /v1/sessions for an honest enclave, end to end over real HTTP against the in-process chain
// and a real database: the deal's dataset key, the app's secrets and the requester secrets named
// in the deal's params come back sealed to the enclave key, and each decision is audited.
import { expect } from "chai";
import { Wallet, hexlify, toUtf8Bytes } from "ethers";
import { openAsEnclave } from "../../../src/crypto/enclave/index.ts";
import { taskIdOf } from "../../../src/wire/eip712/index.ts";
import { defaultOrders, emptyDatasetOrder, loadProtocol, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { leakedSecrets, pushSecret, sessionBody, startHarness, type Harness } from "./smsHarness.ts";

function open(sealed: string, enclave: Wallet | { privateKey: string }): string {
  return hexlify(openAsEnclave(Uint8Array.from(Buffer.from(sealed.slice(2), "hex")), enclave.privateKey));
}

describe("SMS sessions for an honest enclave", function () {
  let h: Harness;
  let datasetKey: string;
  let appToken: string;
  let requesterToken: string;

  before(async function () {
    h = await startHarness();
    const { f } = h;
    datasetKey = hexlify((await pushSecret(h, { kind: "dataset", asset: 1n, owner: f.datasetOwner.address, signer: f.datasetOwner })).value);
    appToken = hexlify(
      (await pushSecret(h, { kind: "app", asset: 1n, owner: f.appOwner.address, name: "MODEL_TOKEN", value: toUtf8Bytes("model-token-7f3a9c"), signer: f.appOwner })).value,
    );
    requesterToken = hexlify(
      (await pushSecret(h, { kind: "requester", asset: 0n, owner: f.requester.address, name: "city-api", value: toUtf8Bytes("city-api-key-55aa11"), signer: f.requester })).value,
    );
  });

  beforeEach(async () => {
    await loadProtocol();
  });

  after(async () => {
    await h?.close();
  });

  it("releases the deal's dataset key and the app's secrets, sealed to the enclave key", async () => {
    const { dealId } = await matchDeal(h.f, await defaultOrders(h.f));
    const { body, enclave } = await sessionBody(h, { dealId });
    const { status, body: answer } = await h.post("/v1/sessions", body);

    expect(status).to.equal(200);
    expect(answer).to.include({ dealId, taskIndex: "0", taskId: taskIdOf(dealId, 0n), worker: h.f.worker.address, enclave: enclave.address });
    expect(answer.sessionId).to.be.a("number");
    expect(answer.secrets.dataset).to.include({ id: "1", version: 1 });
    expect(open(answer.secrets.dataset.sealedKey, enclave)).to.equal(datasetKey);
    expect(answer.secrets.app).to.have.length(1);
    expect(answer.secrets.app[0]).to.include({ name: "MODEL_TOKEN", version: 1 });
    expect(open(answer.secrets.app[0].sealed, enclave)).to.equal(appToken);
    expect(answer.secrets.requester).to.deep.equal([]);
  });

  it("seals so that no other key opens the released secrets", async () => {
    const { dealId } = await matchDeal(h.f, await defaultOrders(h.f));
    const { body } = await sessionBody(h, { dealId });
    const { body: answer } = await h.post("/v1/sessions", body);
    expect(() => open(answer.secrets.dataset.sealedKey, Wallet.createRandom())).to.throw(/could not be opened/);
    expect(leakedSecrets(h, JSON.stringify(answer))).to.deep.equal([]);
  });

  it("adds the requester secrets the deal's params name in requesterSecrets", async () => {
    const params = JSON.stringify({ window: "24h", requesterSecrets: ["city-api"] });
    const orders = await defaultOrders(h.f, { request: await requestOrder(h.f, { params }) });
    const { dealId } = await matchDeal(h.f, orders);
    const { body, enclave } = await sessionBody(h, { dealId });
    const { status, body: answer } = await h.post("/v1/sessions", body);
    expect(status).to.equal(200);
    expect(answer.secrets.requester).to.have.length(1);
    expect(answer.secrets.requester[0]).to.include({ name: "city-api", version: 1 });
    expect(open(answer.secrets.requester[0].sealed, enclave)).to.equal(requesterToken);
  });

  it("refuses a deal whose params name a requester secret that is not stored", async () => {
    const params = JSON.stringify({ requesterSecrets: ["city-api", "not-pushed"] });
    const { dealId } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { params }) }));
    const { body } = await sessionBody(h, { dealId });
    const { status, body: answer } = await h.post("/v1/sessions", body);
    expect(status).to.equal(403);
    expect(answer.error.code).to.equal("REQUESTER_SECRET_MISSING");
    expect(answer.error.message).to.include("not-pushed");
  });

  it("releases no dataset key for a deal without dataset", async () => {
    const orders = await defaultOrders(h.f, {
      dataset: emptyDatasetOrder(),
      request: await requestOrder(h.f, { dataset: 0n, datasetMaxPrice: 0n }),
    });
    const { dealId } = await matchDeal(h.f, orders);
    const { body, enclave } = await sessionBody(h, { dealId });
    const { status, body: answer } = await h.post("/v1/sessions", body);
    expect(status).to.equal(200);
    expect(answer.secrets.dataset).to.equal(null);
    expect(open(answer.secrets.app[0].sealed, enclave)).to.equal(appToken);
  });

  it("refuses a deal whose dataset key was never pushed with DATASET_KEY_MISSING", async () => {
    await h.f.datasets.registerDataset(h.f.datasetOwner.address, "traffic", "bafytraffic", hexlify(toUtf8Bytes("t".repeat(32))));
    const orders = await defaultOrders(h.f, {
      dataset: { ...(await defaultOrders(h.f)).dataset, dataset: 2n },
      request: await requestOrder(h.f, { dataset: 2n }),
    });
    const { dealId } = await matchDeal(h.f, orders);
    const { body } = await sessionBody(h, { dealId });
    const { status, body: answer } = await h.post("/v1/sessions", body);
    expect(status).to.equal(403);
    expect(answer.error.code).to.equal("DATASET_KEY_MISSING");
  });

  it("accepts the dataset field when it names the deal's dataset", async () => {
    const { dealId } = await matchDeal(h.f, await defaultOrders(h.f));
    const { body, enclave } = await sessionBody(h, { dealId, dataset: 1n });
    const { status, body: answer } = await h.post("/v1/sessions", body);
    expect(status).to.equal(200);
    expect(open(answer.secrets.dataset.sealedKey, enclave)).to.equal(datasetKey);
  });

  it("serves each task of a deal to the enclave its authorization names", async () => {
    const { dealId } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { volume: 3n }) }));
    for (const taskIndex of [0n, 1n, 2n]) {
      const { body, enclave } = await sessionBody(h, { dealId, taskIndex });
      const { status, body: answer } = await h.post("/v1/sessions", body);
      expect(status).to.equal(200);
      expect(answer.taskId).to.equal(taskIdOf(dealId, taskIndex));
      expect(open(answer.secrets.dataset.sealedKey, enclave)).to.equal(datasetKey);
    }
  });

  it("never wrote a secret value or the master key to its logs", () => {
    const logs = h.logs();
    expect(logs).to.include("secrets released");
    expect(leakedSecrets(h, logs)).to.deep.equal([]);
  });
});
