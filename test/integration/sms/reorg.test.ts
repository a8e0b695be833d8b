// A deal the chain reorganised away must not open any more secrets: the SMS judges the deal, the
// task and the time at one block, never from a deal it remembers. And a deal whose block is not
// yet confirmed is refused until it is.
import { expect } from "chai";
import { defaultOrders, loadProtocol, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { pushSecret, sessionBody, startHarness, type Harness } from "./smsHarness.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";

describe("SMS sessions across a chain reorganisation", function () {
  let h: Harness;

  before(async function () {
    h = await startHarness();
    await pushSecret(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, signer: h.f.datasetOwner });
  });

  beforeEach(async () => {
    await loadProtocol();
  });

  after(async () => {
    await h?.close();
  });

  it("refuses DEAL_NOT_FOUND for a deal that was reorganised away after a session opened", async () => {
    const node = await NodeControl.of(h.f.ethers.provider);
    const snapshot = await node.snapshot();
    const { dealId } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { volume: 2n }) }));
    const first = await h.post("/v1/sessions", (await sessionBody(h, { dealId, taskIndex: 0n })).body);
    expect(first.status).to.equal(200);

    await node.revert(snapshot);
    const second = await h.post("/v1/sessions", (await sessionBody(h, { dealId, taskIndex: 1n })).body);
    expect(second.status).to.equal(403);
    expect(second.body.error.code).to.equal("DEAL_NOT_FOUND");
    expect(second.body).to.not.have.property("secrets");
  });

  it("releases again once the same deal is matched anew after the reorganisation", async () => {
    const node = await NodeControl.of(h.f.ethers.provider);
    const orders = await defaultOrders(h.f, { request: await requestOrder(h.f, { volume: 2n }) });
    const snapshot = await node.snapshot();
    const { dealId } = await matchDeal(h.f, orders);
    expect((await h.post("/v1/sessions", (await sessionBody(h, { dealId, taskIndex: 0n })).body)).status).to.equal(200);

    await node.revert(snapshot);
    await node.mine();
    const rematched = await matchDeal(h.f, orders);
    expect(rematched.dealId).to.equal(dealId);
    expect((await h.post("/v1/sessions", (await sessionBody(h, { dealId, taskIndex: 1n })).body)).status).to.equal(200);
  });
});
