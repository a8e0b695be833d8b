// Property: starting from an honest enclave's session request, any mutation an attacker can make
// (quote bytes, quote contents re-signed by a real platform, certification chain, nonce,
// authorization fields, signer, domain or signature bytes, request fields, the worker's signature
// of the request, an older attempt, and combinations of these) gets no secret back from POST
// /v1/sessions, while the unmutated request (each a new attempt of the task) does.
//
// Mutations of the same kind are never combined, and each kind draws its values from its own
// pool (fresh random keys, odd task indexes for authorizations and even ones for the request, a
// different deal for each side), so no combination can rebuild an honest request by accident.
import { expect } from "chai";
import fc from "fast-check";
import { Wallet, getBytes, hexlify, keccak256, randomBytes, type HDNodeWallet, type Signer, type TypedDataDomain } from "ethers";
import { buildReportData } from "../../../src/attestation/reportData.ts";
import { DevnetDcap, type ProvisionRequest } from "../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import type { SgxEnclaveIdentity, SimulatedQuotingEnclave } from "../../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";
import {
  ATTESTATION_KEY_LENGTH,
  ECDSA_SIGNATURE_LENGTH,
  QE_REPORT_SIGNATURE_LENGTH,
  QUOTE_HEADER,
  QUOTE_HEADER_LENGTH,
  SGX_REPORT_BODY,
  SGX_REPORT_BODY_LENGTH,
  parseQuote,
} from "../../../src/attestation/dcap/index.ts";
import { openAsEnclave } from "../../../src/crypto/enclave/index.ts";
import { FAILURE_CAUSE, recoverTaskFailureSigner, signAuthorization, taskIdOf, type Authorization } from "../../../src/wire/eip712/index.ts";
import { continuumDomain } from "../../../src/wire/eip712/types.ts";
import { signSessionRequest } from "../../../src/wire/eip712/smsMessages.ts";
import { SESSION_REFUSALS } from "../../../sms/sessions/sessionRefusals.ts";
import { SMS_KEY, defaultOrders, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { seedSecrets } from "./attackCatalog.ts";
import {
  HONEST_ENCLAVE,
  MIN_ISV_SVN,
  challenge,
  dealBlockOf,
  leakedSecrets,
  responseLeaks,
  startHarness,
  type Harness,
  type SessionBody,
} from "./smsHarness.ts";

/** The signed regions of a devnet SGX quote (v3, see src/attestation/dcap/quoteLayout.ts), each a target of raw edits. */
function quoteFields(qeAuthDataLength: number): ReadonlyArray<readonly [name: string, offset: number, length: number]> {
  const within = (prefix: string, base: number, fields: Record<string, { offset: number; length: number }>) =>
    Object.entries(fields).map(([name, span]) => [`${prefix}.${name}`, base + span.offset, span.length] as const);
  const signatureData = QUOTE_HEADER_LENGTH + SGX_REPORT_BODY_LENGTH + 4;
  const qeReport = signatureData + ECDSA_SIGNATURE_LENGTH + ATTESTATION_KEY_LENGTH;
  const qeAuth = qeReport + SGX_REPORT_BODY_LENGTH + QE_REPORT_SIGNATURE_LENGTH;
  const fields: (readonly [string, number, number])[] = [
    ...within("header", 0, QUOTE_HEADER),
    ...within("body", QUOTE_HEADER_LENGTH, SGX_REPORT_BODY),
    ["signatureDataLength", QUOTE_HEADER_LENGTH + SGX_REPORT_BODY_LENGTH, 4],
    ["signature", signatureData, ECDSA_SIGNATURE_LENGTH],
    ["attestationKey", signatureData + ECDSA_SIGNATURE_LENGTH, ATTESTATION_KEY_LENGTH],
    ...within("qeReport", qeReport, SGX_REPORT_BODY),
    ["qeReportSignature", qeReport + SGX_REPORT_BODY_LENGTH, QE_REPORT_SIGNATURE_LENGTH],
    ["qeAuthDataLength", qeAuth, 2],
    ["qeAuthData", qeAuth + 2, qeAuthDataLength],
    ["certificationDataHeader", qeAuth + 2 + qeAuthDataLength, 6],
    ["pckChain", qeAuth + 2 + qeAuthDataLength + 6, 2_000],
  ];
  return fields.filter(([, , length]) => length > 0);
}

const HONEST_VOLUME = 8n;
/** What a refused session may answer: a refusal of the trust model, or a request the API rejects outright. */
const REFUSAL_CODES = new Set<string>([...SESSION_REFUSALS.map(([code]) => code), "INVALID_ENCLAVE_KEY", "INVALID_REQUEST"]);

/** Everything one session request is built from, before and after signing. */
type Draft = {
  /** The enclave's identity as the platform quotes it (re-signed: a genuine quote of another enclave). */
  quote: SgxEnclaveIdentity;
  platform: SimulatedQuotingEnclave;
  nonce: Uint8Array;
  boundEnclave: string;
  authorization: Authorization;
  authorizer: Signer;
  authorizationDomain: TypedDataDomain;
  /** Which attempt of the task the request says it is. */
  attempt: number;
  /** Who signs the worker's session request. */
  workerSigner: Signer;
  quoteEdits: ((quote: Uint8Array) => void)[];
  signatureEdits: ((signature: Uint8Array) => void)[];
  bodyEdits: ((body: SessionBody) => void)[];
};

/** Deals, keys and platforms the mutations draw from, made once. */
type World = {
  h: Harness;
  dealId: string;
  /** Another live deal of the same parties: its tasks are what authorization mutations name. */
  otherDealForAuthorization: string;
  /** A third live deal: what request mutations move the session to. */
  otherDealForRequest: string;
  spentNonce: Uint8Array;
  dealBlock: number;
  /** The next attempt of task 0 an honest session opens: each honest session is a new attempt. */
  nextAttempt: number;
  /** A platform of another DCAP root. */
  rogue: SimulatedQuotingEnclave;
  /** Trusted platforms the SMS must still refuse: PCK expired, PCK not yet valid, out of date, revoked. */
  expired: SimulatedQuotingEnclave;
  notYetValid: SimulatedQuotingEnclave;
  outOfDate: SimulatedQuotingEnclave;
  revoked: SimulatedQuotingEnclave;
  /** The honest quote's QE authentication data length, which places the regions after it. */
  qeAuthDataLength: number;
};

type Mutation = { kind: string; label: string; apply(draft: Draft, world: World): void };

const flip = (offset: number, xor: number) => (bytes: Uint8Array) => {
  bytes[offset] ^= xor;
};

const ANOTHER_MRENCLAVE = "re-signed quote of another MRENCLAVE";

function mutations(world: World): fc.Arbitrary<Mutation> {
  const xor = fc.integer({ min: 1, max: 0xff });
  const quoteBytes = fc
    .constantFrom(...quoteFields(world.qeAuthDataLength))
    .chain(([name, offset, length]) =>
      fc.record({ at: fc.integer({ min: offset, max: offset + length - 1 }), xor }).map(({ at, xor }): Mutation => ({
        kind: "quoteBytes",
        label: `${name} byte ${at} ^ ${xor}`,
        apply: (draft) => void draft.quoteEdits.push(flip(at, xor)),
      })),
    );
  const quoteContent = fc.oneof(
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((mrEnclave): Mutation => ({
      kind: "quoteContent",
      label: ANOTHER_MRENCLAVE,
      apply: (draft) => void (draft.quote.mrEnclave = mrEnclave),
    })),
    fc.constant<Mutation>({ kind: "quoteContent", label: "re-signed debug quote", apply: (draft) => void (draft.quote.debug = true) }),
    fc.integer({ min: 0, max: MIN_ISV_SVN - 1 }).map((isvSvn): Mutation => ({
      kind: "quoteContent",
      label: `re-signed quote of ISV SVN ${isvSvn}`,
      apply: (draft) => void (draft.quote.isvSvn = isvSvn),
    })),
    fc.constantFrom(0x10n, 0x20n, 0x80n, 0x100n).map((flag): Mutation => ({
      kind: "quoteContent",
      label: `re-signed quote with ATTRIBUTES flag 0x${flag.toString(16)}`,
      apply: (draft) => void (draft.quote.flags = 0x05n | flag),
    })),
    fc.constant<Mutation>({
      kind: "quoteContent",
      label: "report data bound to another enclave key",
      apply: (draft) => void (draft.boundEnclave = Wallet.createRandom().address),
    }),
  );
  const platform = fc.constantFrom<Mutation>(
    { kind: "platform", label: "platform of an untrusted root", apply: (draft, world) => void (draft.platform = world.rogue) },
    { kind: "platform", label: "PCK certificate expired", apply: (draft, world) => void (draft.platform = world.expired) },
    { kind: "platform", label: "PCK certificate not yet valid", apply: (draft, world) => void (draft.platform = world.notYetValid) },
    { kind: "platform", label: "out-of-date platform", apply: (draft, world) => void (draft.platform = world.outOfDate) },
    { kind: "platform", label: "platform with a revoked PCK", apply: (draft, world) => void (draft.platform = world.revoked) },
  );
  const nonce = fc.oneof(
    fc.constant<Mutation>({ kind: "nonce", label: "replayed nonce", apply: (draft, world) => void (draft.nonce = world.spentNonce) }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes): Mutation => ({
      kind: "nonce",
      label: "nonce never issued",
      apply: (draft) => void (draft.nonce = bytes),
    })),
  );
  const authSigner = fc.constantFrom("stranger", "requester", "appOwner", "datasetOwner", "worker", "random").map((who): Mutation => ({
    kind: "authSigner",
    label: `authorization signed by ${who}`,
    apply: (draft, { h }) => {
      const { f } = h;
      const signers: Record<string, Signer> = {
        stranger: f.stranger,
        requester: f.requester,
        appOwner: f.appOwner,
        datasetOwner: f.datasetOwner,
        worker: f.worker,
        random: Wallet.createRandom(),
      };
      draft.authorizer = signers[who];
    },
  }));
  const authWorker = fc.constant<Mutation>({
    kind: "authWorker",
    label: "authorization for another worker",
    apply: (draft) => void (draft.authorization.worker = Wallet.createRandom().address),
  });
  const authTask = fc.oneof(
    fc.integer({ min: 0, max: Number(HONEST_VOLUME) / 2 - 1 }).map((k): Mutation => ({
      kind: "authTask",
      label: `authorization for task ${2 * k + 1} of the deal`,
      apply: (draft, world) => void (draft.authorization.taskId = taskIdOf(world.dealId, BigInt(2 * k + 1))),
    })),
    fc.constant<Mutation>({
      kind: "authTask",
      label: "authorization for a task of another deal",
      apply: (draft, world) => void (draft.authorization.taskId = taskIdOf(world.otherDealForAuthorization, 0n)),
    }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes): Mutation => ({
      kind: "authTask",
      label: "authorization for a task id of no deal",
      apply: (draft) => void (draft.authorization.taskId = hexlify(bytes)),
    })),
  );
  const authEnclave = fc.constant<Mutation>({
    kind: "authEnclave",
    label: "authorization for another enclave address",
    apply: (draft) => void (draft.authorization.enclave = Wallet.createRandom().address),
  });
  const authDomain = fc.constantFrom("chainId", "verifyingContract").map((field): Mutation => ({
    kind: "authDomain",
    label: `authorization signed under another ${field}`,
    apply: (draft) => {
      const domain = draft.authorizationDomain;
      draft.authorizationDomain = field === "chainId"
        ? continuumDomain(BigInt(domain.chainId!) + 1n, domain.verifyingContract!)
        : continuumDomain(BigInt(domain.chainId!), Wallet.createRandom().address);
    },
  }));
  const authSignatureBytes = fc.record({ at: fc.integer({ min: 0, max: 64 }), xor }).map(({ at, xor }): Mutation => ({
    kind: "authSignatureBytes",
    label: `authorization signature byte ${at} ^ ${xor}`,
    apply: (draft) => void draft.signatureEdits.push(flip(at, xor)),
  }));
  const bodyDeal = fc.oneof(
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes): Mutation => ({
      kind: "bodyDeal",
      label: "request for a deal id of no deal",
      apply: (draft) => void draft.bodyEdits.push((body) => void (body.dealId = hexlify(bytes))),
    })),
    fc.constant<Mutation>({
      kind: "bodyDeal",
      label: "request moved to another live deal",
      apply: (draft, world) => void draft.bodyEdits.push((body) => void (body.dealId = world.otherDealForRequest)),
    }),
  );
  const bodyTaskIndex = fc.oneof(
    fc.integer({ min: 1, max: Number(HONEST_VOLUME) / 2 - 1 }).map((k) => BigInt(2 * k)),
    fc.bigInt({ min: HONEST_VOLUME, max: (1n << 256n) - 1n }),
  ).map((taskIndex): Mutation => ({
    kind: "bodyTaskIndex",
    label: `request for task index ${taskIndex}`,
    apply: (draft) => void draft.bodyEdits.push((body) => void (body.taskIndex = taskIndex.toString())),
  }));
  const bodyWorker = fc.constant<Mutation>({
    kind: "bodyWorker",
    label: "request naming another worker",
    apply: (draft) => void draft.bodyEdits.push((body) => void (body.worker = Wallet.createRandom().address)),
  });
  const bodyEnclaveKey = fc.oneof(
    fc.constant<Mutation>({
      kind: "bodyEnclaveKey",
      label: "request carrying another enclave public key",
      apply: (draft) => void draft.bodyEdits.push((body) => void (body.enclavePublicKey = Wallet.createRandom().signingKey.publicKey)),
    }),
    fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes): Mutation => ({
      kind: "bodyEnclaveKey",
      label: "request carrying 64 random bytes as the enclave public key",
      apply: (draft) => void draft.bodyEdits.push((body) => void (body.enclavePublicKey = `0x04${Buffer.from(bytes).toString("hex")}`)),
    })),
  );
  const bodyDataset = fc.bigInt({ min: 2n, max: 1n << 64n }).map((dataset): Mutation => ({
    kind: "bodyDataset",
    label: `request naming dataset ${dataset}`,
    apply: (draft) => void draft.bodyEdits.push((body) => void (body.dataset = dataset.toString())),
  }));
  const workerSigner = fc.constantFrom("stranger", "poolOwner", "random").map((who): Mutation => ({
    kind: "workerSigner",
    label: `session request signed by ${who}, not the worker`,
    apply: (draft, { h }) => {
      const signers: Record<string, Signer> = { stranger: h.f.stranger, poolOwner: h.f.poolOwner, random: Wallet.createRandom() };
      draft.workerSigner = signers[who];
    },
  }));
  const bodyAttempt = fc.constant<Mutation>({
    kind: "bodyAttempt",
    label: "request reusing an attempt already served to another enclave",
    apply: (draft) => void (draft.attempt = 1),
  });
  return fc.oneof(
    quoteBytes, quoteContent, platform, nonce, authSigner, authWorker, authTask, authEnclave, authDomain,
    authSignatureBytes, bodyDeal, bodyTaskIndex, bodyWorker, bodyEnclaveKey, bodyDataset, workerSigner, bodyAttempt,
  );
}

function honestDraft(world: World, enclave: Wallet | HDNodeWallet, nonce: Uint8Array): Draft {
  const { h } = world;
  return {
    quote: { mrEnclave: getBytes(h.measurement), ...HONEST_ENCLAVE, mrSigner: HONEST_ENCLAVE.mrSigner.slice(), debug: false },
    platform: h.platform,
    nonce,
    boundEnclave: enclave.address,
    authorization: { worker: h.f.worker.address, taskId: taskIdOf(world.dealId, 0n), enclave: enclave.address },
    authorizer: h.f.poolOwner,
    authorizationDomain: h.f.domain,
    attempt: world.nextAttempt,
    workerSigner: h.f.worker,
    quoteEdits: [],
    signatureEdits: [],
    bodyEdits: [],
  };
}

/** Builds the request the draft describes: quote made and edited, authorization signed and edited. */
async function buildRequest(world: World, draft: Draft, enclave: Wallet | HDNodeWallet): Promise<SessionBody> {
  const quote = draft.platform.sgxQuote(draft.quote, buildReportData(draft.boundEnclave, draft.nonce), { version: 3 });
  for (const edit of draft.quoteEdits) edit(quote);
  const signature = getBytes(await signAuthorization(draft.authorizer, draft.authorizationDomain, draft.authorization));
  for (const edit of draft.signatureEdits) edit(signature);
  const workerSignature = await signSessionRequest(draft.workerSigner, world.h.f.domain, {
    worker: world.h.f.worker.address,
    taskId: taskIdOf(world.dealId, 0n),
    attempt: BigInt(draft.attempt),
    enclave: enclave.address,
    quoteHash: keccak256(quote),
  });
  const body: SessionBody = {
    quote: hexlify(quote),
    enclavePublicKey: enclave.signingKey.publicKey,
    worker: world.h.f.worker.address,
    dealId: world.dealId,
    taskIndex: "0",
    attempt: draft.attempt,
    dealBlock: world.dealBlock,
    authorization: hexlify(signature),
    workerSignature,
  };
  for (const edit of draft.bodyEdits) edit(body);
  return body;
}

async function liveDeal(h: Harness, volume: bigint): Promise<string> {
  const { dealId } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { volume }) }));
  return dealId;
}

describe("SMS sessions under random mutation", function () {
  this.timeout(120_000);
  let world: World;
  let datasetKey: string;

  before(async () => {
    const h = await startHarness();
    await seedSecrets(h);
    datasetKey = hexlify(h.secretValues[0]);
    const dealId = await liveDeal(h, HONEST_VOLUME);
    const now = new Date();
    const rogueDevnet = await DevnetDcap.create({ issuedAt: new Date(now.getTime() - 60_000) });
    const trusted = (name: string, request: Omit<ProvisionRequest, "name">) => h.attestation.platform(name, request);
    const revoked = await trusted("revoked", { tee: "sgx" });
    await h.attestation.dcap.revokePck("revoked");
    await h.attestation.collateral.reissue();
    world = {
      h,
      dealId,
      otherDealForAuthorization: await liveDeal(h, 1n),
      otherDealForRequest: await liveDeal(h, 1n),
      spentNonce: await challenge(h),
      dealBlock: await dealBlockOf(h, dealId),
      nextAttempt: 1,
      rogue: await rogueDevnet.provisionPlatform({ name: "rogue", tee: "sgx" }, now),
      expired: await trusted("expired", { tee: "sgx", pckValidity: { notBefore: new Date(now.getTime() - 3 * 86_400_000), notAfter: new Date(now.getTime() - 86_400_000) } }),
      notYetValid: await trusted("not-yet-valid", { tee: "sgx", pckValidity: { notBefore: new Date(now.getTime() + 86_400_000), notAfter: new Date(now.getTime() + 2 * 86_400_000) } }),
      outOfDate: await trusted("out-of-date", { tee: "sgx", tcbState: "OutOfDate" }),
      revoked,
      qeAuthDataLength: 0,
    };
    world.qeAuthDataLength = parseQuote(h.platform.sgxQuote({ mrEnclave: new Uint8Array(32), ...HONEST_ENCLAVE, debug: false }, new Uint8Array(64))).qe.qeAuthData.length;
    // Answer the spent nonce's challenge honestly, so "replayed nonce" replays a served session.
    const enclave = Wallet.createRandom();
    const served = await world.h.post("/v1/sessions", await buildRequest(world, honestDraft(world, enclave, world.spentNonce), enclave));
    expect(served.status, served.text).to.equal(200);
    world.nextAttempt += 1;
  });

  after(async () => {
    await world?.h.close();
  });

  async function honestSession() {
    const enclave = Wallet.createRandom();
    const body = await buildRequest(world, honestDraft(world, enclave, await challenge(world.h)), enclave);
    const result = await world.h.post("/v1/sessions", body);
    world.nextAttempt += 1;
    return { enclave, result };
  }

  it("releases the dataset key to the unmutated request", async () => {
    const { enclave, result } = await honestSession();
    expect(result.status, result.text).to.equal(200);
    const opened = openAsEnclave(getBytes(result.body.secrets.dataset.sealedKey), enclave.privateKey);
    expect(hexlify(opened)).to.equal(datasetKey);
  });

  it("returns no secret for any mutated request", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(mutations(world), { minLength: 1, maxLength: 3, selector: (m) => m.kind }), async (chosen) => {
        const enclave = Wallet.createRandom();
        const draft = honestDraft(world, enclave, await challenge(world.h));
        for (const mutation of chosen) mutation.apply(draft, world);
        const result = await world.h.post("/v1/sessions", await buildRequest(world, draft, enclave));
        const labels = chosen.map((m) => m.label).join(" + ");
        expect(result.status, `${labels}: ${result.text}`).to.be.oneOf([400, 403]);
        expect(REFUSAL_CODES, `${labels}: ${result.text}`).to.include(result.body?.error?.code);
        expect(responseLeaks(world.h, result), labels).to.equal(false);
        // A signed failure verdict only when the workerpool's side is whole: here, an enclave of another MRENCLAVE alone.
        const failure = result.body?.error?.details?.failure;
        if (failure !== undefined) {
          expect(chosen.every((m) => m.label === ANOTHER_MRENCLAVE), `verdict for ${labels}`).to.equal(true);
          expect(result.body.error.code).to.equal("MEASUREMENT_MISMATCH");
          const taskId = taskIdOf(world.dealId, 0n);
          expect(recoverTaskFailureSigner(world.h.f.domain, { taskId, cause: failure.cause, attempt: failure.attempt }, failure.signature)).to.equal(SMS_KEY.address);
          expect(failure.cause).to.equal(FAILURE_CAUSE.appOwner);
        }
        for (const m of chosen) seen.add(m.kind);
      }),
      { numRuns: 1000 },
    );
    expect(seen.size, [...seen].join(", ")).to.equal(17);
  });

  it("still serves an honest request after the mutated ones, and logged no secret", async () => {
    // A mutated request the SMS blamed on the app bound the attempt it named: the honest one is the next.
    world.nextAttempt += 1;
    const { result } = await honestSession();
    expect(result.status, result.text).to.equal(200);
    expect(leakedSecrets(world.h, world.h.logs())).to.deep.equal([]);
  });
});
