// The adversarial cases against the SMS, each one attack with the answer the SMS must give: run by
// test/sms/attacks.test.ts and by the benchmark (scripts/bench/sms.ts), which counts leaks.
// Each attack starts from the honest request and changes one thing an attacker controls.
import { Wallet, getBytes, hexlify, randomBytes } from "ethers";
import { parseSessionRequest, type SessionOutcome } from "../../../sms/index.ts";
import { toJson } from "../../../src/core/bigintJson.ts";
import { DevnetDcap, type ProvisionRequest } from "../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import type { SimulatedQuotingEnclave } from "../../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";
import { QUOTE_HEADER_LENGTH } from "../../../src/attestation/dcap/index.ts";
import {
  MEASUREMENT_DOCUMENT_FORMAT,
  canonicalMeasurementDocument,
  measurementOfDocument,
  type MeasurementDocument,
} from "../../../src/attestation/policy/index.ts";
import { taskIdOf } from "../../../src/wire/eip712/index.ts";
import {
  NO_TAG,
  by,
  appOrder,
  datasetOrder,
  defaultOrders,
  emptyDatasetOrder,
  matchDeal,
  requestOrder,
  teeResult,
  workerpoolOrder,
} from "../../helpers/protocolFixture.ts";
import {
  HONEST_ENCLAVE,
  pushSecret,
  resignedByWorker,
  responseLeaks,
  secretPushBody,
  sessionBody,
  type Harness,
  type HttpResult,
  type SessionPlan,
} from "./smsHarness.ts";
import { signAuditQuery } from "../../../src/wire/eip712/smsMessages.ts";
import { SECRET_KIND_NUMBER } from "../../../src/wire/smsApi/secretKinds.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";
import { fanInDocument, registeredPipeline, signedPipeline, stageDeal } from "./pipelineFixture.ts";

export type Attack = {
  name: string;
  /** The answer the SMS must give. */
  expected: { status: number; code: string };
  run(h: Harness): Promise<HttpResult>;
};

/** Secrets every attack may target: dataset 1's key and an app secret of app 1. Idempotent per harness. */
export async function seedSecrets(h: Harness): Promise<void> {
  const { f } = h;
  await pushSecret(h, { kind: "dataset", asset: 1n, owner: f.datasetOwner.address, signer: f.datasetOwner });
  await pushSecret(h, { kind: "app", asset: 1n, owner: f.appOwner.address, name: "MODEL_TOKEN", signer: f.appOwner });
}

async function honestDeal(h: Harness, volume = 1n) {
  return matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { volume }) }));
}

/** A session for a fresh honest deal, with `change` applied to the plan. */
async function sessionAttack(h: Harness, change: (dealId: string) => Partial<SessionPlan> | Promise<Partial<SessionPlan>>, volume = 1n) {
  const { dealId } = await honestDeal(h, volume);
  const { body } = await sessionBody(h, { dealId, ...(await change(dealId)) });
  return h.post("/v1/sessions", body);
}

/** A platform of another DCAP root: a devnet the SMS does not trust. */
async function roguePlatform(): Promise<SimulatedQuotingEnclave> {
  const rogue = await DevnetDcap.create({ issuedAt: new Date(Date.now() - 60_000) });
  return rogue.provisionPlatform({ name: "rogue", tee: "sgx" }, new Date(Date.now() - 60_000));
}

/** A platform of the trusted devnet provisioned for this attack (each attack names its own). */
function trustedPlatform(h: Harness, name: string, request: Omit<ProvisionRequest, "name">): Promise<SimulatedQuotingEnclave> {
  return h.attestation.platform(name, request);
}

/** Registers app `measurement` as a new app of the app owner and matches a TEE deal for it (no dataset). */
async function dealForApp(h: Harness, measurement: string): Promise<string> {
  const { f } = h;
  const receipt = await (await by(f.apps, f.appOwner).registerApp(f.appOwner.address, "measured-app", "bafyapp", hexlify(randomBytes(32)), measurement)).wait();
  const registered = receipt!.logs.map((log: { topics: string[]; data: string }) => f.apps.interface.parseLog(log)).find((parsed: { name?: string } | null) => parsed?.name === "AppRegistered");
  const app = BigInt(registered!.args.app);
  const orders = await defaultOrders(f, {
    app: await appOrder(f, { app }),
    dataset: emptyDatasetOrder(),
    request: await requestOrder(f, { app, dataset: 0n, datasetMaxPrice: 0n }),
  });
  return (await matchDeal(f, orders)).dealId;
}

const TDX_REGISTERS = { mrTd: randomBytes(48), rtmr: [randomBytes(48), randomBytes(48), randomBytes(48), randomBytes(48)] as const };
const TDX_DOCUMENT: MeasurementDocument = {
  format: MEASUREMENT_DOCUMENT_FORMAT,
  tee: "tdx",
  mrTd: hexlify(TDX_REGISTERS.mrTd) as `0x${string}`,
  rtmr0: hexlify(TDX_REGISTERS.rtmr[0]) as `0x${string}`,
  rtmr1: hexlify(TDX_REGISTERS.rtmr[1]) as `0x${string}`,
  rtmr2: hexlify(TDX_REGISTERS.rtmr[2]) as `0x${string}`,
  rtmr3: hexlify(TDX_REGISTERS.rtmr[3]) as `0x${string}`,
};

/** SGX ATTRIBUTES.FLAGS besides DEBUG: INIT | MODE64BIT is an ordinary enclave. */
const PLAIN_FLAGS = 0x05n;

function flipByte(hex: string, offset: number): string {
  const bytes = Buffer.from(hex.slice(2), "hex");
  bytes[offset] ^= 0x01;
  return hexlify(bytes);
}

const refused = (code: string) => ({ status: 403, code });

export const ATTACKS: readonly Attack[] = [
  {
    name: "forged quote: one bit of the measured report changed",
    expected: refused("QUOTE_SIGNATURE"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const { body } = await sessionBody(h, { dealId });
      return h.post("/v1/sessions", await resignedByWorker(h, { ...body, quote: flipByte(body.quote, QUOTE_HEADER_LENGTH + 64) }));
    },
  },
  {
    name: "quote from a platform of an untrusted attestation root",
    expected: refused("PCK_CHAIN"),
    run: async (h) => sessionAttack(h, async () => ({ platform: await roguePlatform() })),
  },
  {
    name: "quote from a platform whose PCK certificate has expired",
    expected: refused("PCK_CHAIN_EXPIRED"),
    run: async (h) =>
      sessionAttack(h, async () => ({
        platform: await trustedPlatform(h, "expired-pck", { tee: "sgx", pckValidity: { notBefore: new Date(Date.now() - 3 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) } }),
      })),
  },
  {
    name: "quote from a platform whose PCK certificate was revoked",
    expected: refused("PCK_REVOKED"),
    async run(h) {
      const platform = await trustedPlatform(h, "revoked-pck", { tee: "sgx" });
      await h.attestation.dcap.revokePck("revoked-pck");
      await h.attestation.collateral.reissue();
      await h.sms.refreshCollateral();
      return sessionAttack(h, () => ({ platform }));
    },
  },
  {
    name: "quote from an out-of-date platform (its TCB below the current level)",
    expected: refused("TCB_STATUS_NOT_ACCEPTED"),
    run: async (h) => sessionAttack(h, async () => ({ platform: await trustedPlatform(h, "out-of-date", { tee: "sgx", tcbState: "OutOfDate" }) })),
  },
  {
    name: "quote from a platform whose CPU SVN, PCE SVN and QE SVN match no TCB level",
    expected: refused("TCB_STATUS"),
    run: async (h) => sessionAttack(h, async () => ({ platform: await trustedPlatform(h, "below-all-levels", { tee: "sgx", tcbState: "BelowAllLevels" }) })),
  },
  {
    name: "quote from a platform whose configuration needs fixing",
    expected: refused("TCB_STATUS_NOT_ACCEPTED"),
    run: async (h) => sessionAttack(h, async () => ({ platform: await trustedPlatform(h, "configuration-needed", { tee: "sgx", tcbState: "ConfigurationNeeded" }) })),
  },
  {
    name: "debug enclave",
    expected: refused("DEBUG_ENCLAVE"),
    run: (h) => sessionAttack(h, () => ({ quote: { debug: true } })),
  },
  {
    name: "enclave below the minimum ISV SVN",
    expected: refused("ISV_SVN_TOO_LOW"),
    run: (h) => sessionAttack(h, () => ({ quote: { isvSvn: 2 } })),
  },
  {
    name: "enclave that was never initialised (ATTRIBUTES.INIT clear)",
    expected: refused("SGX_ATTRIBUTES"),
    run: (h) => sessionAttack(h, () => ({ quote: { flags: PLAIN_FLAGS & ~0x01n } })),
  },
  {
    name: "enclave with the provisioning key (ATTRIBUTES.PROVISIONKEY)",
    expected: refused("SGX_ATTRIBUTES"),
    run: (h) => sessionAttack(h, () => ({ quote: { flags: PLAIN_FLAGS | 0x10n } })),
  },
  {
    name: "enclave with key separation and sharing (ATTRIBUTES.KSS)",
    expected: refused("SGX_ATTRIBUTES"),
    run: (h) => sessionAttack(h, () => ({ quote: { flags: PLAIN_FLAGS | 0x80n } })),
  },
  {
    name: "enclave with an odd MISCSELECT",
    expected: refused("SGX_MISCSELECT"),
    run: (h) => sessionAttack(h, () => ({ quote: { miscSelect: 1 } })),
  },
  {
    name: "attacker's key sent with another enclave's quote (key not bound in report data)",
    expected: refused("REPORT_DATA_MISMATCH"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const honest = Wallet.createRandom();
      const { body } = await sessionBody(h, { dealId, enclave: honest });
      const attacker = Wallet.createRandom();
      return h.post("/v1/sessions", await resignedByWorker(h, { ...body, enclavePublicKey: attacker.signingKey.publicKey }));
    },
  },
  {
    name: "replayed quote and authorization of a served session",
    expected: refused("REPLAYED_QUOTE"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const { body } = await sessionBody(h, { dealId });
      const first = await h.post("/v1/sessions", body);
      if (first.status !== 200) throw new Error(`the honest session was refused: ${first.text}`);
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "quote over a nonce the SMS never issued",
    expected: refused("STALE_QUOTE"),
    run: (h) => sessionAttack(h, () => ({ nonce: randomBytes(32) })),
  },
  {
    name: "enclave running another app (wrong MRENCLAVE)",
    expected: refused("MEASUREMENT_MISMATCH"),
    run: (h) => sessionAttack(h, () => ({ quote: { mrEnclave: randomBytes(32) } })),
  },
  {
    name: "the app's enclave re-signed by someone else (MRSIGNER), for an app registered by signer and product",
    expected: refused("MEASUREMENT_MISMATCH"),
    async run(h) {
      const document: MeasurementDocument = {
        format: MEASUREMENT_DOCUMENT_FORMAT,
        tee: "sgx",
        mrSigner: hexlify(HONEST_ENCLAVE.mrSigner) as `0x${string}`,
        isvProdId: HONEST_ENCLAVE.isvProdId,
        minIsvSvn: HONEST_ENCLAVE.isvSvn,
      };
      const dealId = await dealForApp(h, measurementOfDocument(document));
      const { body } = await sessionBody(h, { dealId, quote: { mrSigner: randomBytes(32) }, measurementDocument: canonicalMeasurementDocument(document) });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "a TD whose RTMR3 (the application) differs from the app's registered TD",
    expected: refused("MEASUREMENT_MISMATCH"),
    async run(h) {
      const dealId = await dealForApp(h, measurementOfDocument(TDX_DOCUMENT));
      const td = await trustedPlatform(h, "tdx-1", { tee: "tdx" });
      const rtmr = [TDX_REGISTERS.rtmr[0], TDX_REGISTERS.rtmr[1], TDX_REGISTERS.rtmr[2], randomBytes(48)] as const;
      const { body } = await sessionBody(h, {
        dealId,
        makeQuote: (reportData) => td.tdxQuote({ mrTd: TDX_REGISTERS.mrTd, rtmr, debug: false }, reportData),
        measurementDocument: canonicalMeasurementDocument(TDX_DOCUMENT),
      });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "an SGX enclave for an app registered as a TD",
    expected: refused("TEE_MISMATCH"),
    async run(h) {
      const dealId = await dealForApp(h, measurementOfDocument(TDX_DOCUMENT));
      const { body } = await sessionBody(h, { dealId, measurementDocument: canonicalMeasurementDocument(TDX_DOCUMENT) });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "authorization for another task of the deal",
    expected: refused("INVALID_AUTHORIZATION"),
    run: (h) => sessionAttack(h, (dealId) => ({ authorization: { taskId: taskIdOf(dealId, 1n) } }), 2n),
  },
  {
    name: "authorization signed by someone other than the workerpool owner",
    expected: refused("INVALID_AUTHORIZATION"),
    run: (h) => sessionAttack(h, () => ({ authorizer: h.f.stranger })),
  },
  {
    name: "authorization of another worker presented by a stranger",
    expected: refused("INVALID_AUTHORIZATION"),
    run: (h) => sessionAttack(h, () => ({ worker: h.f.stranger.address, authorization: { worker: h.f.worker.address } })),
  },
  {
    name: "authorization naming another enclave key",
    expected: refused("INVALID_AUTHORIZATION"),
    run: (h) => sessionAttack(h, () => ({ authorization: { enclave: Wallet.createRandom().address } })),
  },
  {
    name: "deal that does not require an enclave (non-TEE)",
    expected: refused("DEAL_NOT_TEE"),
    async run(h) {
      const { f } = h;
      const orders = {
        app: await appOrder(f, { tag: NO_TAG }),
        dataset: await datasetOrder(f, { tag: NO_TAG }),
        workerpool: await workerpoolOrder(f, { tag: NO_TAG }),
        request: await requestOrder(f, { tag: NO_TAG }),
      };
      const { dealId } = await matchDeal(f, orders);
      const { body } = await sessionBody(h, { dealId });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "task already completed on-chain",
    expected: refused("TASK_FINALIZED"),
    async run(h) {
      const { dealId, deal } = await honestDeal(h);
      await (await h.f.continuum.pushResult(deal, await teeResult(h.f, dealId, 0n))).wait();
      const { body } = await sessionBody(h, { dealId });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "task claimed after the deadline",
    expected: refused("TASK_FINALIZED"),
    async run(h) {
      const { dealId, deal } = await honestDeal(h);
      await h.f.connection.networkHelpers.time.increaseTo(deal.deadline + 1n);
      await (await h.f.continuum.claim(deal, [0n])).wait();
      const { body } = await sessionBody(h, { dealId });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "deal past its deadline",
    expected: refused("DEAL_EXPIRED"),
    async run(h) {
      const { dealId, deal } = await honestDeal(h);
      await h.f.connection.networkHelpers.time.increaseTo(deal.deadline + 1n);
      const { body } = await sessionBody(h, { dealId });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "dataset key asked for a deal that does not include the dataset",
    expected: refused("DATASET_NOT_IN_DEAL"),
    async run(h) {
      const orders = await defaultOrders(h.f, {
        dataset: emptyDatasetOrder(),
        request: await requestOrder(h.f, { dataset: 0n, datasetMaxPrice: 0n }),
      });
      const { dealId } = await matchDeal(h.f, orders);
      const { body } = await sessionBody(h, { dealId, dataset: 1n });
      return h.post("/v1/sessions", body);
    },
  },
  {
    name: "deal id that no deal has",
    expected: refused("DEAL_NOT_FOUND"),
    run: (h) => sessionAttack(h, () => ({ dealId: hexlify(randomBytes(32)) })),
  },
  {
    name: "task index beyond the deal's volume",
    expected: refused("TASK_INDEX_OUT_OF_RANGE"),
    run: (h) => sessionAttack(h, () => ({ taskIndex: 1n })),
  },
  {
    name: "bytes that are not a quote",
    expected: refused("MALFORMED_QUOTE"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const { body } = await sessionBody(h, { dealId });
      return h.post("/v1/sessions", await resignedByWorker(h, { ...body, quote: hexlify(randomBytes(4_600)) }));
    },
  },
  {
    name: "dataset key pushed by someone who does not own the dataset",
    expected: { status: 403, code: "NOT_ASSET_OWNER" },
    async run(h) {
      const { body } = await secretPushBody(h, { kind: "dataset", asset: 1n, owner: h.f.stranger.address, version: 2, signer: h.f.stranger });
      return h.post("/v1/secrets", body);
    },
  },
  {
    name: "dataset key push in the owner's name signed by a stranger",
    expected: { status: 401, code: "INVALID_SIGNATURE" },
    async run(h) {
      const { body } = await secretPushBody(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, version: 2, signer: h.f.stranger });
      return h.post("/v1/secrets", body);
    },
  },
  {
    name: "overwrite of a stored dataset key without a signed update",
    expected: { status: 409, code: "SECRET_EXISTS" },
    async run(h) {
      const { body } = await secretPushBody(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, signer: h.f.datasetOwner });
      return h.post("/v1/secrets", body);
    },
  },
  {
    name: "update skipping versions (not exactly the next one)",
    expected: { status: 409, code: "VERSION_CONFLICT" },
    async run(h) {
      const { body } = await secretPushBody(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, version: 1000, signer: h.f.datasetOwner });
      return h.post("/v1/secrets", body);
    },
  },
  {
    name: "app secret pushed by the dataset owner",
    expected: { status: 403, code: "NOT_ASSET_OWNER" },
    async run(h) {
      const { body } = await secretPushBody(h, { kind: "app", asset: 1n, owner: h.f.datasetOwner.address, name: "MODEL_TOKEN", version: 2, signer: h.f.datasetOwner });
      return h.post("/v1/secrets", body);
    },
  },
  {
    name: "expired signed push replayed",
    expected: { status: 401, code: "REQUEST_EXPIRED" },
    async run(h) {
      const expiry = BigInt(Math.floor(Date.now() / 1000) - 60);
      const { body } = await secretPushBody(h, { kind: "dataset", asset: 1n, owner: h.f.datasetOwner.address, version: 2, expiry, signer: h.f.datasetOwner });
      return h.post("/v1/secrets", body);
    },
  },
  {
    name: "dataset audit log read by someone who does not own the dataset",
    expected: { status: 403, code: "NOT_ASSET_OWNER" },
    async run(h) {
      const query = { reader: h.f.stranger.address, kind: "dataset" as const, asset: 1n, expiry: BigInt(Math.floor(Date.now() / 1000) + 600) };
      const signature = await signAuditQuery(h.f.stranger, h.f.domain, { ...query, kind: SECRET_KIND_NUMBER.dataset });
      return h.post("/v1/audit", { query, signature });
    },
  },
  {
    name: "dataset audit log read with a query signed by someone other than its reader",
    expected: { status: 401, code: "INVALID_SIGNATURE" },
    async run(h) {
      const query = { reader: h.f.datasetOwner.address, kind: "dataset" as const, asset: 1n, expiry: BigInt(Math.floor(Date.now() / 1000) + 600) };
      const signature = await signAuditQuery(h.f.stranger, h.f.domain, { ...query, kind: SECRET_KIND_NUMBER.dataset });
      return h.post("/v1/audit", { query, signature });
    },
  },
  {
    name: "a second enclave for an attempt of a task already served",
    expected: refused("ENCLAVE_ALREADY_BOUND"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const first = await h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
      if (first.status !== 200) throw new Error(`the honest session was refused: ${first.text}`);
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "an older attempt reopened after the task was reassigned",
    expected: refused("STALE_ATTEMPT"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const later = await h.post("/v1/sessions", (await sessionBody(h, { dealId, attempt: 2 })).body);
      if (later.status !== 200) throw new Error(`the reassigned session was refused: ${later.text}`);
      return h.post("/v1/sessions", (await sessionBody(h, { dealId, attempt: 1 })).body);
    },
  },
  {
    name: "the worker's authorization replayed by someone without the worker's key",
    expected: refused("BAD_WORKER_SIGNATURE"),
    run: (h) => sessionAttack(h, () => ({ workerSigner: h.f.stranger })),
  },
  {
    // The quote is judged while the signers are recovered; its verdict must still come second.
    name: "a debug enclave's quote in a session request the worker never signed",
    expected: refused("BAD_WORKER_SIGNATURE"),
    run: (h) => sessionAttack(h, () => ({ workerSigner: h.f.stranger, quote: { debug: true } })),
  },
  {
    name: "in process: an honest enclave's address with the attacker's public key",
    expected: refused("ENCLAVE_KEY_MISMATCH"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const honest = Wallet.createRandom();
      const { body } = await sessionBody(h, { dealId, enclave: honest });
      const attacker = Wallet.createRandom();
      const request = { ...parseSessionRequest(body), enclavePublicKey: getBytes(attacker.signingKey.publicKey) };
      return inProcess(await h.sms.sessions.open(request));
    },
  },
  {
    name: "a deal reorganised away after its first session",
    expected: refused("DEAL_NOT_FOUND"),
    async run(h) {
      const node = await NodeControl.of(h.f.ethers.provider);
      const snapshot = await node.snapshot();
      const { dealId } = await honestDeal(h, 2n);
      const first = await h.post("/v1/sessions", (await sessionBody(h, { dealId, taskIndex: 0n })).body);
      if (first.status !== 200) throw new Error(`the honest session was refused: ${first.text}`);
      await node.revert(snapshot);
      return h.post("/v1/sessions", (await sessionBody(h, { dealId, taskIndex: 1n })).body);
    },
  },
  {
    name: "a session when the chain time has reached the deal's deadline",
    expected: refused("DEAL_EXPIRED"),
    async run(h) {
      const { dealId, deal } = await honestDeal(h);
      const node = await NodeControl.of(h.f.ethers.provider);
      await node.setNextBlockTimestamp(Number(deal.deadline));
      await node.mine();
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "a deal whose params name a requester secret holding NUL, matched without the market",
    expected: refused("INVALID_REQUEST_PARAMS"),
    async run(h) {
      const params = JSON.stringify({ requesterSecrets: ["city\u0000api"] });
      const { dealId } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { params }) }));
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "a pipeline stage's deal naming a pipeline the SMS never registered (matched without the market)",
    expected: refused("PIPELINE_UNKNOWN"),
    async run(h) {
      const { id } = await signedPipeline(h, fanInDocument());
      const { dealId } = await stageDeal(h, id, fanInDocument(), "C");
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "a requester's deal naming a stage of another requester's pipeline, to read its intermediate outputs",
    expected: refused("PIPELINE_REQUESTER_MISMATCH"),
    async run(h) {
      const { id } = await registeredPipeline(h, fanInDocument(), { requester: h.f.stranger.address, signer: h.f.stranger });
      const { dealId } = await stageDeal(h, id, fanInDocument(), "C");
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "a deal naming a stage its pipeline does not have",
    expected: refused("PIPELINE_STAGE_UNKNOWN"),
    async run(h) {
      const { id } = await registeredPipeline(h, fanInDocument());
      const { dealId } = await stageDeal(h, id, fanInDocument(), "E");
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "a pipeline stage run by another app than the document's, to receive the stage's keys",
    expected: refused("PIPELINE_APP_MISMATCH"),
    async run(h) {
      const document = fanInDocument();
      document.stages[2]!.app = "2";
      const { id } = await registeredPipeline(h, document);
      const { dealId } = await stageDeal(h, id, document, "C", { app: 1n });
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "a pipeline stage run on another dataset than the document's",
    expected: refused("PIPELINE_DATASET_MISMATCH"),
    async run(h) {
      const { id } = await registeredPipeline(h, fanInDocument());
      const { dealId } = await stageDeal(h, id, fanInDocument(), "B", { dataset: 1n });
      return h.post("/v1/sessions", (await sessionBody(h, { dealId })).body);
    },
  },
  {
    name: "a pipeline registered in a requester's name with someone else's signature",
    expected: { status: 401, code: "INVALID_PIPELINE_SIGNATURE" },
    async run(h) {
      const { body } = await signedPipeline(h, fanInDocument(), { signer: h.f.stranger });
      return h.post("/v1/pipelines", body);
    },
  },
  {
    name: "in process: a stage of another requester's pipeline",
    expected: refused("PIPELINE_REQUESTER_MISMATCH"),
    async run(h) {
      const { id } = await registeredPipeline(h, fanInDocument(), { requester: h.f.stranger.address, signer: h.f.stranger });
      const { dealId } = await stageDeal(h, id, fanInDocument(), "D");
      return inProcess(await h.sms.sessions.open(parseSessionRequest((await sessionBody(h, { dealId })).body)));
    },
  },
];

/** An in-process session outcome as the HTTP route would answer it. */
function inProcess(outcome: SessionOutcome): HttpResult {
  const body =
    outcome.outcome === "released"
      ? { sessionId: outcome.sessionId, ...outcome.session, secrets: outcome.secrets }
      : { error: { code: outcome.reason, message: outcome.detail, details: { sessionId: outcome.sessionId, ...outcome.session } } };
  const text = toJson(body);
  return { status: outcome.outcome === "released" ? 200 : 403, body: JSON.parse(text), text };
}

export type AttackOutcome = { attack: Attack; result: HttpResult; asExpected: boolean; leaked: boolean };

/** Runs one attack and judges it: the expected refusal, and nothing given away. */
export async function runAttack(h: Harness, attack: Attack): Promise<AttackOutcome> {
  const result = await attack.run(h);
  const asExpected = result.status === attack.expected.status && result.body?.error?.code === attack.expected.code;
  return { attack, result, asExpected, leaked: responseLeaks(h, result) };
}
