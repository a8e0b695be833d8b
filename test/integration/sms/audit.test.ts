// POST /v1/audit: every decision of the SMS is recorded, and each owner reads exactly the entries
// that concern their secrets (a dataset, an app, or their own requester secrets) with a signed,
// short-lived query, paged as every list (?limit=&cursor=, { items, nextCursor }); nobody else
// reads them, and no entry carries secret material.
import { expect } from "chai";
import type { Signer } from "ethers";
import { MAX_AUDIT_QUERY_LIFETIME_SECONDS } from "../../../sms/audit/readAudit.ts";
import { SECRET_KIND_NUMBER, type SecretKind } from "../../../src/wire/smsApi/secretKinds.ts";
import { signAuditQuery } from "../../../src/wire/eip712/smsMessages.ts";
import { defaultOrders, loadProtocol, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { leakedSecrets, pushSecret, sessionBody, startHarness, type Harness } from "./smsHarness.ts";

const now = () => BigInt(Math.floor(Date.now() / 1000));

describe("SMS audit log", function () {
  let h: Harness;
  let releasedDeal: string;
  let refusedDeal: string;

  async function readAudit(signer: Signer, reader: string, kind: SecretKind, asset: bigint, page: Record<string, string> = {}, expiry = now() + 600n) {
    const query = { reader, kind, asset, expiry };
    const signature = await signAuditQuery(signer, h.f.domain, { ...query, kind: SECRET_KIND_NUMBER[kind] });
    const search = new URLSearchParams(page);
    return h.post(`/v1/audit${search.size > 0 ? `?${search}` : ""}`, { query, signature });
  }

  before(async () => {
    h = await startHarness();
    const { f } = h;
    await pushSecret(h, { kind: "dataset", asset: 1n, owner: f.datasetOwner.address, signer: f.datasetOwner });
    await pushSecret(h, { kind: "app", asset: 1n, owner: f.appOwner.address, name: "MODEL_TOKEN", signer: f.appOwner });
    await pushSecret(h, { kind: "requester", asset: 0n, owner: f.requester.address, name: "city-api", signer: f.requester });
    await pushSecret(h, { kind: "dataset", asset: 1n, owner: f.datasetOwner.address, signer: f.stranger });

    const params = JSON.stringify({ requesterSecrets: ["city-api"] });
    ({ dealId: releasedDeal } = await matchDeal(f, await defaultOrders(f, { request: await requestOrder(f, { params }) })));
    const released = await h.post("/v1/sessions", (await sessionBody(h, { dealId: releasedDeal })).body);
    expect(released.status, released.text).to.equal(200);
    ({ dealId: refusedDeal } = await matchDeal(f, await defaultOrders(f)));
    const refused = await h.post("/v1/sessions", (await sessionBody(h, { dealId: refusedDeal, quote: { debug: true } })).body);
    expect(refused.body.error.code).to.equal("DEBUG_ENCLAVE");
  });

  beforeEach(async () => {
    await loadProtocol();
  });

  after(async () => {
    await h?.close();
  });

  it("shows the dataset owner every push and session decision about the dataset, with who, task and reason", async () => {
    const { status, body } = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 1n);
    expect(status).to.equal(200);
    const summary = body.items.map((entry: any) => [entry.action, entry.outcome, entry.reason]);
    expect(summary).to.deep.equal([
      ["push", "stored", null],
      ["push", "refused", "INVALID_SIGNATURE"],
      ["session", "released", null],
      ["session", "refused", "DEBUG_ENCLAVE"],
    ]);
    const [stored, , released, refused] = body.items;
    expect(stored).to.include({ actor: h.f.datasetOwner.address.toLowerCase(), dataset: "1" });
    expect(released).to.include({ dealId: releasedDeal.toLowerCase(), taskIndex: "0", actor: h.f.worker.address.toLowerCase(), measurement: h.measurement });
    expect(released.taskId).to.match(/^0x[0-9a-f]{64}$/);
    expect(released.enclave).to.match(/^0x[0-9a-f]{40}$/);
    expect(released.secrets.map((s: any) => [s.kind, s.name])).to.deep.equal([["dataset", ""], ["app", "MODEL_TOKEN"], ["requester", "city-api"]]);
    expect(refused).to.include({ dealId: refusedDeal.toLowerCase(), reason: "DEBUG_ENCLAVE" });
    expect(refused.detail).to.include("debug");
    expect(refused.secrets).to.deep.equal([]);
    expect(body.nextCursor).to.equal(null);
  });

  it("shows the app owner the decisions about the app's secrets", async () => {
    const { status, body } = await readAudit(h.f.appOwner, h.f.appOwner.address, "app", 1n);
    expect(status).to.equal(200);
    expect(body.items.map((entry: any) => [entry.action, entry.outcome])).to.deep.equal([
      ["push", "stored"],
      ["session", "released"],
      ["session", "refused"],
    ]);
  });

  it("shows a requester the decisions about their own requester secrets and deals only", async () => {
    const mine = await readAudit(h.f.requester, h.f.requester.address, "requester", 0n);
    expect(mine.status).to.equal(200);
    expect(mine.body.items.length).to.be.at.least(2);
    for (const entry of mine.body.items) expect(entry.requester).to.equal(h.f.requester.address.toLowerCase());

    const stranger = await readAudit(h.f.stranger, h.f.stranger.address, "requester", 0n);
    expect(stranger.status).to.equal(200);
    expect(stranger.body.items).to.deep.equal([]);
  });

  it("pages through entries with limit and cursor in the query string, as every list", async () => {
    const first = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 1n, { limit: "3" });
    expect(first.body.items).to.have.length(3);
    expect(first.body.nextCursor).to.be.a("string");
    const rest = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 1n, { cursor: first.body.nextCursor });
    expect(rest.body.items.map((entry: any) => entry.reason)).to.deep.equal(["DEBUG_ENCLAVE"]);
    expect(rest.body.nextCursor).to.equal(null);
  });

  it("refuses a bad limit with INVALID_LIMIT and a cursor it did not hand out with INVALID_CURSOR", async () => {
    const limit = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 1n, { limit: "0" });
    expect([limit.status, limit.body.error.code]).to.deep.equal([400, "INVALID_LIMIT"]);
    const cursor = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 1n, { cursor: Buffer.from('["x"]').toString("base64url") });
    expect([cursor.status, cursor.body.error.code]).to.deep.equal([400, "INVALID_CURSOR"]);
  });

  it("refuses paging fields in the signed body, where they no longer belong, with INVALID_REQUEST", async () => {
    const query = { reader: h.f.datasetOwner.address, kind: "dataset" as const, asset: 1n, expiry: now() + 600n };
    const signature = await signAuditQuery(h.f.datasetOwner, h.f.domain, { ...query, kind: SECRET_KIND_NUMBER.dataset });
    const { status, body } = await h.post("/v1/audit", { query, signature, afterId: 0, limit: 3 });
    expect([status, body.error.code]).to.deep.equal([400, "INVALID_REQUEST"]);
  });

  it("refuses the log of a dataset to anyone but its owner with NOT_ASSET_OWNER", async () => {
    const { status, body } = await readAudit(h.f.appOwner, h.f.appOwner.address, "dataset", 1n);
    expect(status).to.equal(403);
    expect(body.error.code).to.equal("NOT_ASSET_OWNER");
    expect(body).not.to.have.property("items");
  });

  it("refuses the log of an app to anyone but its owner with NOT_ASSET_OWNER", async () => {
    const { status, body } = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "app", 1n);
    expect(status).to.equal(403);
    expect(body.error.code).to.equal("NOT_ASSET_OWNER");
  });

  it("refuses a query for another reader signed by someone else with INVALID_SIGNATURE", async () => {
    const { status, body } = await readAudit(h.f.stranger, h.f.requester.address, "requester", 0n);
    expect(status).to.equal(401);
    expect(body.error.code).to.equal("INVALID_SIGNATURE");
  });

  it("refuses an expired query with REQUEST_EXPIRED and one valid too long with EXPIRY_TOO_FAR", async () => {
    const expired = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 1n, {}, now() - 1n);
    expect(expired.status).to.equal(401);
    expect(expired.body.error.code).to.equal("REQUEST_EXPIRED");
    const tooFar = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 1n, {}, now() + BigInt(MAX_AUDIT_QUERY_LIFETIME_SECONDS) + 60n);
    expect(tooFar.status).to.equal(400);
    expect(tooFar.body.error.code).to.equal("EXPIRY_TOO_FAR");
  });

  it("refuses a query about an unregistered dataset with ASSET_NOT_FOUND", async () => {
    const { status, body } = await readAudit(h.f.datasetOwner, h.f.datasetOwner.address, "dataset", 999n);
    expect(status).to.equal(404);
    expect(body.error.code).to.equal("ASSET_NOT_FOUND");
  });

  it("carries no secret material in any entry", async () => {
    for (const [signer, kind, asset] of [[h.f.datasetOwner, "dataset", 1n], [h.f.appOwner, "app", 1n], [h.f.requester, "requester", 0n]] as const) {
      const { text } = await readAudit(signer, await signer.getAddress(), kind, asset);
      expect(leakedSecrets(h, text)).to.deep.equal([]);
    }
  });
});
