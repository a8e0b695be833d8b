// The SMS's signed verdicts, end to end over HTTP and settled on the real contract: a released
// session carries EnclaveAttested (the TEE result's smsAttestation), and a refusal that is not the
// workerpool's fault carries TaskFailure naming the party to blame, on which failTask settles. A
// refusal the workerpool answers for carries no verdict, whatever else is wrong with the deal.
import { expect } from "chai";
import { Wallet, hexlify, randomBytes } from "ethers";
import {
  FAILURE_CAUSE,
  recoverEnclaveAttestedSigner,
  recoverTaskFailureSigner,
  taskIdOf,
  type Deal,
  type FailureCause,
} from "../../../src/wire/eip712/index.ts";
import {
  SMS_KEY,
  by,
  datasetOrder,
  defaultOrders,
  emptyDatasetOrder,
  loadProtocol,
  matchDeal,
  requestOrder,
  teeResult,
} from "../../helpers/protocolFixture.ts";
import { pushSecret, sessionBody, startHarness, type Harness, type HttpResult } from "./smsHarness.ts";

describe("SMS verdicts", function () {
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

  function expectVerdict(result: HttpResult, dealId: string, code: string, cause: FailureCause, attempt = 1) {
    expect(result.status, result.text).to.equal(403);
    expect(result.body.error.code).to.equal(code);
    const failure = result.body.error.details.failure;
    expect(failure, "a signed verdict").to.include({ cause, attempt, signer: SMS_KEY.address });
    const taskId = taskIdOf(dealId, 0n);
    expect(recoverTaskFailureSigner(h.f.domain, { taskId, cause, attempt }, failure.signature)).to.equal(SMS_KEY.address);
    return failure as { cause: FailureCause; attempt: number; signature: string };
  }

  async function settle(deal: Deal, failure: { cause: FailureCause; attempt: number; signature: string }) {
    const report = { index: 0n, cause: failure.cause, attempt: failure.attempt, smsSignature: failure.signature };
    return by(h.f.continuum, h.f.poolOwner).failTask(deal, report);
  }

  it("attests the enclave of a released session, and the contract accepts the result with that attestation", async () => {
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f));
    const { body, enclave } = await sessionBody(h, { dealId });
    const { status, body: answer, text } = await h.post("/v1/sessions", body);
    expect(status, text).to.equal(200);
    const taskId = taskIdOf(dealId, 0n);
    expect(answer.attestation).to.include({ signer: SMS_KEY.address, teeType: "SGX", tcbStatus: "UpToDate", measurement: h.measurement });
    expect(answer.attestation.judgmentBlock).to.be.a("number");
    expect(answer.attestation.collateral).to.have.all.keys("fmspc", "pceId", "tcbEvaluationDataNumber", "tcbInfoIssueDate", "tcbDate", "validUntil");
    expect(recoverEnclaveAttestedSigner(h.f.domain, { taskId, enclave: enclave.address }, answer.attestation.signature)).to.equal(SMS_KEY.address);

    const result = { ...(await teeResult(h.f, dealId, 0n, { enclave, attester: null })), smsAttestation: answer.attestation.signature };
    await expect(by(h.f.continuum, h.f.poolOwner).pushResult(deal, result)).to.emit(h.f.continuum, "ResultPushed");
  });

  it("blames the requester for a requester secret it never stored, and the pool settles on the verdict at its price", async () => {
    const params = JSON.stringify({ requesterSecrets: ["never-stored"] });
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { params }) }));
    const before = await h.f.continuum.balanceOf(h.f.poolOwner.address);
    const failure = expectVerdict(await h.post("/v1/sessions", (await sessionBody(h, { dealId, attempt: 2 })).body), dealId, "REQUESTER_SECRET_MISSING", FAILURE_CAUSE.requester, 2);
    await expect(settle(deal, failure)).to.emit(h.f.continuum, "TaskFailed").withArgs(dealId, 0n, taskIdOf(dealId, 0n), FAILURE_CAUSE.requester, 2);
    expect(await h.f.continuum.balanceOf(h.f.poolOwner.address)).to.be.greaterThan(before);
  });

  it("blames the requester for a result key no enclave can encrypt to (a deal matched without the market)", async () => {
    // u = 1 is a point of small order: the contract takes it (it is not zero), no key agreement can use it.
    const request = await requestOrder(h.f, { resultPublicKey: "0x01" + "00".repeat(31) });
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f, { request }));
    const failure = expectVerdict(await h.post("/v1/sessions", (await sessionBody(h, { dealId })).body), dealId, "INVALID_RESULT_KEY", FAILURE_CAUSE.requester);
    await expect(settle(deal, failure)).to.emit(h.f.continuum, "TaskFailed");
  });

  it("blames the dataset owner for a key it never pushed, and the requester gets everything back", async () => {
    await h.f.datasets.registerDataset(h.f.datasetOwner.address, "withheld", "bafywithheld", hexlify(randomBytes(32)));
    const orders = await defaultOrders(h.f, {
      dataset: await datasetOrder(h.f, { dataset: 2n }),
      request: await requestOrder(h.f, { dataset: 2n }),
    });
    const { dealId, deal } = await matchDeal(h.f, orders);
    const failure = expectVerdict(await h.post("/v1/sessions", (await sessionBody(h, { dealId })).body), dealId, "DATASET_KEY_MISSING", FAILURE_CAUSE.datasetOwner);
    await expect(settle(deal, failure)).to.emit(h.f.continuum, "TaskFailed");
  });

  it("blames the app owner when a genuine, authorized enclave cannot match the app's registration", async () => {
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f));
    const other = { mrEnclave: Buffer.from(randomBytes(32)) };
    const failure = expectVerdict(await h.post("/v1/sessions", (await sessionBody(h, { dealId, quote: other })).body), dealId, "MEASUREMENT_MISMATCH", FAILURE_CAUSE.appOwner);
    await expect(settle(deal, failure)).to.emit(h.f.continuum, "TaskFailed");
  });

  it("gives no verdict when anything the workerpool answers for is wrong too", async () => {
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f));
    const other = { mrEnclave: Buffer.from(randomBytes(32)) };
    const unauthorized = await h.post("/v1/sessions", (await sessionBody(h, { dealId, quote: other, authorizer: h.f.stranger })).body);
    expect(unauthorized.body.error.code).to.equal("INVALID_AUTHORIZATION");
    expect(unauthorized.body.error.details).to.not.have.property("failure");
    const lowSvn = await h.post("/v1/sessions", (await sessionBody(h, { dealId, quote: { ...other, isvSvn: 0 } })).body);
    expect(lowSvn.body.error.code).to.equal("ISV_SVN_TOO_LOW");
    expect(lowSvn.body.error.details).to.not.have.property("failure");
  });

  it("binds the attempt it blamed: another enclave for that attempt gets no second verdict", async () => {
    const params = JSON.stringify({ requesterSecrets: ["never-stored"] });
    const { dealId, deal } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { params }) }));
    expectVerdict(await h.post("/v1/sessions", (await sessionBody(h, { dealId })).body), dealId, "REQUESTER_SECRET_MISSING", FAILURE_CAUSE.requester);
    const again = await h.post("/v1/sessions", (await sessionBody(h, { dealId, enclave: Wallet.createRandom() })).body);
    expect(again.body.error.code).to.equal("ENCLAVE_ALREADY_BOUND");
    expect(again.body.error.details).to.not.have.property("failure");
  });

  it("a verdict for a deal without a dataset cannot blame a dataset owner on-chain", async () => {
    const params = JSON.stringify({ requesterSecrets: ["never-stored"] });
    const orders = await defaultOrders(h.f, { dataset: emptyDatasetOrder(), request: await requestOrder(h.f, { dataset: 0n, params }) });
    const { dealId, deal } = await matchDeal(h.f, orders);
    const failure = expectVerdict(await h.post("/v1/sessions", (await sessionBody(h, { dealId })).body), dealId, "REQUESTER_SECRET_MISSING", FAILURE_CAUSE.requester);
    await expect(settle(deal, { ...failure, cause: FAILURE_CAUSE.datasetOwner })).to.be.revertedWithCustomError(h.f.continuum, "InvalidFailureCause");
  });
});
