// The deadline edge: once the latest block's time reaches a deal's deadline, no later block can
// accept a result (pushResult reverts with DeadlinePassed), so the SMS releases nothing for it.
import { expect } from "chai";
import { defaultOrders, loadProtocol, matchDeal } from "../../helpers/protocolFixture.ts";
import { acceptsResultsAfter } from "../../../src/wire/eip712/deadline.ts";
import { pushSecret, sessionBody, startHarness, type Harness } from "./smsHarness.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";

describe("SMS sessions at the deal's deadline", function () {
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

  async function mineAt(timestamp: bigint): Promise<void> {
    const node = await NodeControl.of(h.f.ethers.provider);
    await node.setNextBlockTimestamp(Number(timestamp));
    await node.mine();
  }

  it("releases one second before the deadline", async () => {
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f));
    await mineAt(deal.deadline - 1n);
    expect((await h.post("/v1/sessions", (await sessionBody(h, { dealId })).body)).status).to.equal(200);
  });

  it("refuses DEAL_EXPIRED when the latest block's time equals the deadline, as the contract would refuse the result", async () => {
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f));
    await mineAt(deal.deadline);
    const answer = await h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    expect(answer.status).to.equal(403);
    expect(answer.body.error.code).to.equal("DEAL_EXPIRED");
  });

  it("states the rule every party applies: a result can still land only while the chain time is before the deadline", () => {
    expect(acceptsResultsAfter(99n, 100n)).to.equal(true);
    expect(acceptsResultsAfter(100n, 100n)).to.equal(false);
    expect(acceptsResultsAfter(101, 100)).to.equal(false);
  });
});
