// One request must not break others: sessions the SMS groups into one database query (secrets
// lookup, audit insert) each get their own answer even when one of them carries poison — here a
// deal matched on-chain, without the market, whose params name a requester secret holding NUL.
import { expect } from "chai";
import { defaultOrders, loadProtocol, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { pushSecret, sessionBody, startHarness, type Harness } from "./smsHarness.ts";

describe("SMS sessions grouped with a poisoned one", function () {
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

  it("answers the honest sessions as if alone, and refuses the poisoned one with its own audit entry", async () => {
    const poisonParams = JSON.stringify({ requesterSecrets: ["city\u0000api"] });
    const poisoned = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { params: poisonParams }) }));
    const honest = await Promise.all([1, 2, 3].map(async () => (await matchDeal(h.f, await defaultOrders(h.f))).dealId));

    const bodies = await Promise.all([poisoned.dealId, ...honest].map(async (dealId) => (await sessionBody(h, { dealId })).body));
    const answers = await Promise.all(bodies.map((body) => h.post("/v1/sessions", body)));

    expect(answers[0].status).to.equal(403);
    expect(answers[0].body.error.code).to.equal("INVALID_REQUEST_PARAMS");
    expect(answers[0].body.error.details.sessionId).to.be.a("number");
    for (const answer of answers.slice(1)) {
      expect(answer.status).to.equal(200);
      expect(answer.body.secrets.dataset).to.include({ id: "1" });
    }
    const ids = answers.map((answer) => answer.body.sessionId ?? answer.body.error.details.sessionId);
    expect(new Set(ids).size).to.equal(4);
  });
});
