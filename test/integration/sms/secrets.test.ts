// POST /v1/secrets over real HTTP: each kind of secret pushed by its on-chain owner, replaced only
// by a signed update at the next version, stored sealed (never in the clear), and released only
// to sessions of deals it belongs to: app secrets to the app's deals, requester secrets to the
// requester's deals that name them.
import { expect } from "chai";
import { Wallet, getBytes, hexlify, randomBytes, toUtf8Bytes } from "ethers";
import { openAsEnclave } from "../../../src/crypto/enclave/index.ts";
import { defaultOrders, loadProtocol, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { leakedSecrets, pushSecret, secretPushBody, sessionBody, startHarness, type Harness } from "./smsHarness.ts";

function open(sealed: string, enclave: { privateKey: string }): string {
  return hexlify(openAsEnclave(getBytes(sealed), enclave.privateKey));
}

describe("SMS secret pushes", function () {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  beforeEach(async () => {
    await loadProtocol();
  });

  after(async () => {
    await h?.close();
  });

  async function releasedTo(params?: string) {
    const orders = await defaultOrders(h.f, params === undefined ? {} : { request: await requestOrder(h.f, { params }) });
    const { dealId } = await matchDeal(h.f, orders);
    const { body, enclave } = await sessionBody(h, { dealId });
    const result = await h.post("/v1/sessions", body);
    return { result, enclave };
  }

  it("stores a dataset key pushed by the dataset owner as version 1, sealed at rest", async () => {
    const { result, value } = await pushSecret(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, signer: h.f.datasetOwner });
    expect(result.status, result.text).to.equal(201);
    expect(result.body.secret).to.include({ kind: "dataset", asset: "1", name: "", version: 1 });
    expect(result.body.secret).not.to.have.property("value");

    const rows: { wrapped_key: Buffer; ciphertext: Buffer; master_key_id: string }[] = await h.sms.dataSource.query(
      "SELECT wrapped_key, ciphertext, master_key_id FROM sms_secret WHERE kind = 0 AND asset = 1",
    );
    expect(rows).to.have.length(1);
    const stored = Buffer.concat([rows[0].wrapped_key, rows[0].ciphertext]).toString("hex");
    expect(stored).not.to.include(Buffer.from(value).toString("hex"));
    expect(rows[0].master_key_id).to.match(/^[0-9a-f]{16}$/);
    expect(h.masterKey).not.to.include(rows[0].master_key_id);
  });

  it("replaces a secret only by a signed update at exactly the next version, and releases the new value", async () => {
    const update = await secretPushBody(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, version: 2, signer: h.f.datasetOwner });
    const updated = await h.post("/v1/secrets", update.body);
    expect(updated.status, updated.text).to.equal(200);
    expect(updated.body.secret).to.include({ version: 2 });

    const replayed = await h.post("/v1/secrets", update.body);
    expect(replayed.status).to.equal(409);
    expect(replayed.body.error.code).to.equal("VERSION_CONFLICT");
    expect(replayed.body.error.details).to.deep.equal({ currentVersion: 2 });

    const { result, enclave } = await releasedTo();
    expect(result.status, result.text).to.equal(200);
    expect(result.body.secrets.dataset.version).to.equal(2);
    expect(open(result.body.secrets.dataset.sealedKey, enclave)).to.equal(hexlify(update.value));
  });

  it("refuses an update of a secret that was never pushed with SECRET_NOT_FOUND", async () => {
    const { result } = await pushSecret(h, { kind: "requester", asset: 0n, owner: h.f.requester.address, name: "never-pushed", version: 2, signer: h.f.requester });
    expect(result.status).to.equal(404);
    expect(result.body.error.code).to.equal("SECRET_NOT_FOUND");
  });

  it("stores app secrets pushed by the app owner and releases them to sessions of that app only", async () => {
    const token = toUtf8Bytes("app-one-token-9c2e");
    const pushed = await pushSecret(h, { kind: "app", asset: 1n, owner: h.f.appOwner.address, name: "MODEL_TOKEN", value: token, signer: h.f.appOwner });
    expect(pushed.result.status, pushed.result.text).to.equal(201);
    expect(pushed.result.body.secret).to.include({ kind: "app", asset: "1", name: "MODEL_TOKEN", version: 1 });

    await (await h.f.apps.registerApp(h.f.appOwner.address, "other-app", "bafyother", hexlify(randomBytes(32)), hexlify(randomBytes(32)))).wait();
    const other = await pushSecret(h, { kind: "app", asset: 2n, owner: h.f.appOwner.address, name: "OTHER_TOKEN", value: toUtf8Bytes("app-two-token-4d1b"), signer: h.f.appOwner });
    expect(other.result.status, other.result.text).to.equal(201);

    const { result, enclave } = await releasedTo();
    expect(result.status, result.text).to.equal(200);
    expect(result.body.secrets.app.map((secret: { name: string }) => secret.name)).to.deep.equal(["MODEL_TOKEN"]);
    expect(open(result.body.secrets.app[0].sealed, enclave)).to.equal(hexlify(token));
  });

  it("scopes requester secrets to the requester: a deal gets its own requester's secret of a name, never another's", async () => {
    const mine = toUtf8Bytes("requester-city-key-1a2b");
    const theirs = toUtf8Bytes("stranger-city-key-3c4d");
    const pushedMine = await pushSecret(h, { kind: "requester", asset: 0n, owner: h.f.requester.address, name: "city-key", value: mine, signer: h.f.requester });
    expect(pushedMine.result.status, pushedMine.result.text).to.equal(201);
    expect(pushedMine.result.body.secret).to.include({ kind: "requester", asset: "0", requester: h.f.requester.address.toLowerCase(), name: "city-key" });
    await pushSecret(h, { kind: "requester", asset: 0n, owner: h.f.stranger.address, name: "city-key", value: theirs, signer: h.f.stranger });
    await pushSecret(h, { kind: "requester", asset: 0n, owner: h.f.stranger.address, name: "stranger-only", signer: h.f.stranger });

    const { result, enclave } = await releasedTo(JSON.stringify({ requesterSecrets: ["city-key"] }));
    expect(result.status, result.text).to.equal(200);
    expect(result.body.secrets.requester).to.have.length(1);
    expect(open(result.body.secrets.requester[0].sealed, enclave)).to.equal(hexlify(mine));

    const foreign = await releasedTo(JSON.stringify({ requesterSecrets: ["stranger-only"] }));
    expect(foreign.result.status).to.equal(403);
    expect(foreign.result.body.error.code).to.equal("REQUESTER_SECRET_MISSING");
  });

  it("releases no requester secret the deal's params do not name", async () => {
    const { result } = await releasedTo();
    expect(result.status, result.text).to.equal(200);
    expect(result.body.secrets.requester).to.deep.equal([]);
  });

  it("refuses a requester secret pushed in another requester's name with INVALID_SIGNATURE", async () => {
    const { result } = await pushSecret(h, { kind: "requester", asset: 0n, owner: h.f.requester.address, name: "city-key", version: 2, signer: h.f.stranger });
    expect(result.status).to.equal(401);
    expect(result.body.error.code).to.equal("INVALID_SIGNATURE");
  });

  it("refuses a secret for an asset that is not registered with ASSET_NOT_FOUND", async () => {
    const { result } = await pushSecret(h, { kind: "dataset", asset: 999n, owner: h.f.datasetOwner.address, signer: h.f.datasetOwner });
    expect(result.status).to.equal(404);
    expect(result.body.error.code).to.equal("ASSET_NOT_FOUND");
  });

  it("refuses a dataset key that is not 32 bytes with INVALID_SECRET, without echoing it", async () => {
    const value = randomBytes(31);
    const { result } = await pushSecret(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, value, version: 3, signer: h.f.datasetOwner });
    expect(result.status).to.equal(400);
    expect(result.body.error.code).to.equal("INVALID_SECRET");
    expect(leakedSecrets(h, result.text)).to.deep.equal([]);
  });

  it("refuses a malformed push with INVALID_REQUEST naming the field, without echoing the value", async () => {
    const { body } = await secretPushBody(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, signer: h.f.datasetOwner });
    const result = await h.post("/v1/secrets", { ...body, push: { ...body.push, name: "not-empty" } });
    expect(result.status).to.equal(400);
    expect(result.body.error.code).to.equal("INVALID_REQUEST");
    expect(result.body.error.message).to.include("push.name");
    expect(leakedSecrets(h, result.text)).to.deep.equal([]);
  });

  it("refuses an oversized body with BODY_TOO_LARGE, without echoing it", async () => {
    const { body } = await secretPushBody(h, { kind: "app", asset: 1n, owner: h.f.appOwner.address, name: "BIG", value: randomBytes(40_000), signer: h.f.appOwner });
    const result = await h.post("/v1/secrets", body);
    expect(result.status).to.equal(413);
    expect(result.body.error.code).to.equal("BODY_TOO_LARGE");
    expect(leakedSecrets(h, result.text)).to.deep.equal([]);
  });

  it("never wrote a pushed value, accepted or refused, or the master key to its logs", () => {
    expect(h.logs()).to.include("secret stored");
    expect(h.logs()).to.include("secret push refused");
    expect(leakedSecrets(h, h.logs())).to.deep.equal([]);
  });
});
