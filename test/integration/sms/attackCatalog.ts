// The adversarial cases against the SMS, each one attack with the answer the SMS must give: run by
// test/sms/attacks.test.ts and by the benchmark (scripts/bench/sms.ts), which counts leaks.
// Each attack starts from the honest request and changes one thing an attacker controls.
import { Wallet, hexlify, randomBytes } from "ethers";
import {
  AttestationAuthority,
  SimulatedPlatform,
  encodeQuote,
  parseQuote,
} from "../../../src/attestation/index.ts";
import { taskIdOf } from "../../../src/wire/eip712/index.ts";
import {
  NO_TAG,
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
  pushSecret,
  responseLeaks,
  secretPushBody,
  sessionBody,
  type Harness,
  type HttpResult,
  type SessionPlan,
} from "./smsHarness.ts";
import { signAuditQuery } from "../../../src/wire/eip712/smsMessages.ts";
import { SECRET_KIND_NUMBER } from "../../../src/wire/smsApi/secretKinds.ts";

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

function roguePlatform(): SimulatedPlatform {
  const now = new Date(Date.now() - 60_000);
  const rogue = AttestationAuthority.create({ now, lifetimeSeconds: 86_400 });
  return new SimulatedPlatform(rogue.issuePlatformKey({ now, lifetimeSeconds: 86_400 }));
}

/** A platform certified by the trusted authority for a window that does not include now. */
function platformCertifiedAt(h: Harness, fromMs: number, lifetimeSeconds: number): SimulatedPlatform {
  return new SimulatedPlatform(h.authority.issuePlatformKey({ now: new Date(fromMs), lifetimeSeconds }));
}

function flipByte(hex: string, offset: number): string {
  const bytes = Buffer.from(hex.slice(2), "hex");
  bytes[offset] ^= 0x01;
  return hexlify(bytes);
}

const refused = (code: string) => ({ status: 403, code });

export const ATTACKS: readonly Attack[] = [
  {
    name: "forged quote: one bit of the measured report changed",
    expected: refused("BAD_QUOTE_SIGNATURE"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const { body } = await sessionBody(h, { dealId });
      return h.post("/v1/sessions", { ...body, quote: flipByte(body.quote, 112) });
    },
  },
  {
    name: "quote from a platform of an untrusted attestation root",
    expected: refused("UNTRUSTED_ROOT"),
    run: (h) => sessionAttack(h, () => ({ platform: roguePlatform() })),
  },
  {
    name: "rogue platform key presented under the trusted root certificate",
    expected: refused("BAD_CERT_CHAIN"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const { body } = await sessionBody(h, { dealId, platform: roguePlatform() });
      const quote = parseQuote(Buffer.from(body.quote.slice(2), "hex"));
      quote.certificationChain.root = h.authority.rootCertificate;
      return h.post("/v1/sessions", { ...body, quote: hexlify(encodeQuote(quote)) });
    },
  },
  {
    name: "quote from a trusted platform whose certificate has expired",
    expected: refused("CERT_EXPIRED"),
    run: (h) => sessionAttack(h, () => ({ platform: platformCertifiedAt(h, Date.now() - 3 * 86_400_000, 3600) })),
  },
  {
    name: "quote from a trusted platform whose certificate is not valid yet",
    expected: refused("CERT_NOT_YET_VALID"),
    run: (h) => sessionAttack(h, () => ({ platform: platformCertifiedAt(h, Date.now() + 86_400_000, 86_400) })),
  },
  {
    name: "debug enclave",
    expected: refused("DEBUG_ENCLAVE"),
    run: (h) => sessionAttack(h, () => ({ quote: { debug: true } })),
  },
  {
    name: "enclave below the minimum security version",
    expected: refused("SECURITY_VERSION_TOO_LOW"),
    run: (h) => sessionAttack(h, () => ({ quote: { securityVersion: 2 } })),
  },
  {
    name: "attacker's key sent with another enclave's quote (key not bound in report data)",
    expected: refused("REPORT_DATA_MISMATCH"),
    async run(h) {
      const { dealId } = await honestDeal(h);
      const honest = Wallet.createRandom();
      const { body } = await sessionBody(h, { dealId, enclave: honest });
      const attacker = Wallet.createRandom();
      return h.post("/v1/sessions", { ...body, enclavePublicKey: attacker.signingKey.publicKey });
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
    name: "enclave running another app (wrong measurement)",
    expected: refused("MEASUREMENT_MISMATCH"),
    run: (h) => sessionAttack(h, () => ({ quote: { measurement: randomBytes(32) } })),
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
      return h.post("/v1/sessions", { ...body, quote: hexlify(randomBytes(896)) });
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
];

export type AttackOutcome = { attack: Attack; result: HttpResult; asExpected: boolean; leaked: boolean };

/** Runs one attack and judges it: the expected refusal, and nothing given away. */
export async function runAttack(h: Harness, attack: Attack): Promise<AttackOutcome> {
  const result = await attack.run(h);
  const asExpected = result.status === attack.expected.status && result.body?.error?.code === attack.expected.code;
  return { attack, result, asExpected, leaked: responseLeaks(h, result) };
}
