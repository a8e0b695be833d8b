// A real SMS for tests and the benchmark: started with startSms from a validated config, on a
// PGlite database in a temp directory, reading the in-process Hardhat chain, trusting the devnet's
// DCAP root and fetching collateral from the devnet collateral service over loopback, serving real
// HTTP on loopback, with every log line captured so tests can prove no secret ever reached the logs.
import { Writable } from "node:stream";
import { Wallet, computeAddress, hexlify, keccak256, randomBytes, type HDNodeWallet, type Signer } from "ethers";
import { pino } from "pino";
import { buildReportData } from "../../../src/attestation/reportData.ts";
import type { SgxEnclaveIdentity, SimulatedQuotingEnclave } from "../../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";
import { toJson } from "../../../src/core/bigintJson.ts";
import { loadConfig, type Config } from "../../../src/config/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { signAuthorization, taskIdOf, type Authorization } from "../../../src/wire/eip712/index.ts";
import { startSms, type RunningSms, type SmsPolicy } from "../../../sms/index.ts";
import { SECRET_KIND_NUMBER, type SecretKind } from "../../../src/wire/smsApi/secretKinds.ts";
import { secretHashOf, signSecretPush, signSessionRequest, type SessionRequestMessage } from "../../../src/wire/eip712/smsMessages.ts";
import { SMS_KEY, loadProtocol, type Fixture } from "../../helpers/protocolFixture.ts";
import { startTestAttestation, type TestAttestation } from "../../helpers/devnetAttestation.ts";

/** The honest enclave's MRSIGNER, product and ISV SVN (MRENCLAVE is app 1's registered measurement). */
export const HONEST_ENCLAVE = { mrSigner: randomBytes(32), isvProdId: 1, isvSvn: 3 } as const;
/** The lowest ISV SVN the harness's SMS serves. */
export const MIN_ISV_SVN = 3;
/** The harness's policy; its one client (loopback) may hold many challenges, as the property test leaves many unanswered. */
export const POLICY: SmsPolicy = { challengeTtlSeconds: 120, maxChallengesPerClient: 100_000 };

export type HttpResult = { status: number; body: any; text: string };

export type Harness = {
  f: Fixture;
  sms: RunningSms;
  url: string;
  /** The devnet DCAP platforms and collateral service the SMS trusts. */
  attestation: TestAttestation;
  /** The honest enclaves' platform: SGX, up to date. */
  platform: SimulatedQuotingEnclave;
  /** The measurement registered on-chain for app 1. */
  measurement: string;
  masterKey: string;
  /** The SMS's configuration: another replica started with it shares the database and the keys. */
  config: Config;
  /** Every log line the SMS wrote, as JSON text. */
  logs: () => string;
  /** Every secret value pushed so far, to look for in logs and responses. */
  secretValues: Uint8Array[];
  post(path: string, body: unknown): Promise<HttpResult>;
  close(): Promise<void>;
};

/**
 * `minIsvSvn` lowers the ISV SVN floor for enclaves of the real runtime (ISV SVN 1); `protocol`
 * loads the chain fixture (default: the protocol with the fixture's SMS signer registered).
 */
export async function startHarness(
  options: {
    policy?: SmsPolicy;
    minIsvSvn?: number;
    rateLimitPerMinute?: number;
    protocol?: () => Promise<Fixture>;
    /** A PostgreSQL database instead of PGlite, for replicas sharing it. */
    databaseUrl?: string;
  } = {},
): Promise<Harness> {
  const f = await (options.protocol ?? loadProtocol)();
  const directory: TemporaryDirectory = await createTemporaryDirectory("continuum-sms-");
  const lines: string[] = [];
  const logger = pino(
    { level: "trace" },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const masterKey = hexlify(randomBytes(32)).slice(2);
  const attestation = await startTestAttestation();
  const config = loadConfig({
    env: {},
    // Tests and the benchmark send far more than a client's fair share; the limit itself has its own test.
    overrides: {
      dataDir: directory.path,
      logLevel: "trace",
      ...(options.databaseUrl === undefined ? {} : { database: { url: options.databaseUrl } }),
      sms: {
        host: "127.0.0.1",
        port: 0,
        masterKey,
        // The fixture's registered SMS signer, so the verdicts settle on this chain.
        signerKey: SMS_KEY.privateKey,
        rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
        attestation: { ...attestation.smsConfig, minIsvSvn: options.minIsvSvn ?? MIN_ISV_SVN },
      },
    },
  });
  const platform = await attestation.platform();
  const sms = await startSms({
    config,
    provider: f.ethers.provider,
    deployment: f.deployment,
    policy: options.policy ?? POLICY,
    logger,
  });
  const measurement = ((await f.apps.appOf(1n)).measurement as string).toLowerCase();
  return {
    f,
    sms,
    url: sms.url,
    attestation,
    platform,
    measurement,
    masterKey,
    config,
    logs: () => lines.join(""),
    secretValues: [],
    post: (path, body) => postJson(`${sms.url}${path}`, body),
    close: async () => {
      await sms.close();
      await attestation.close();
      await directory.remove();
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : toJson(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

export type PushPlan = {
  kind: SecretKind;
  asset: bigint;
  owner: string;
  name?: string;
  version?: number;
  expiry?: bigint;
  value?: Uint8Array;
  /** Who signs; defaults to the owner's signer found among the fixture's accounts. */
  signer: Signer;
};

/** A signed POST /v1/secrets body; its value is remembered, to be looked for where it must never be. */
export async function secretPushBody(h: Harness, plan: PushPlan) {
  const value = plan.value ?? randomBytes(32);
  h.secretValues.push(value);
  const push = {
    kind: plan.kind,
    asset: plan.asset,
    owner: plan.owner,
    name: plan.name ?? "",
    version: plan.version ?? 1,
    expiry: plan.expiry ?? BigInt(Math.floor(Date.now() / 1000) + 3600),
  };
  const signature = await signSecretPush(plan.signer, h.f.domain, {
    kind: SECRET_KIND_NUMBER[push.kind],
    asset: push.asset,
    owner: push.owner,
    name: push.name,
    secretHash: secretHashOf(value),
    version: BigInt(push.version),
    expiry: push.expiry,
  });
  return { body: { push, value: hexlify(value), signature }, value };
}

/** Pushes a secret, remembering its value so tests can look for it where it must never be. */
export async function pushSecret(h: Harness, plan: PushPlan): Promise<{ result: HttpResult; value: Uint8Array }> {
  const { body, value } = await secretPushBody(h, plan);
  return { result: await h.post("/v1/secrets", body), value };
}

/** How to build one enclave's session request; every field defaults to the honest value. */
export type SessionPlan = {
  dealId: string;
  taskIndex?: bigint;
  worker?: string;
  /** The enclave key whose public key is sent (and that authorizations name). */
  enclave?: Wallet | HDNodeWallet;
  /** The address the quote's report data commits to; defaults to the enclave's. */
  boundEnclave?: string;
  /** Changes to the honest enclave's identity in the quote. */
  quote?: Partial<SgxEnclaveIdentity>;
  /** The platform that quotes; the honest one by default. */
  platform?: SimulatedQuotingEnclave;
  /** Makes the quote instead (a TD's, another version's) from the report data. */
  makeQuote?: (reportData: Uint8Array) => Uint8Array;
  /** The app's measurement document, when its registered measurement is the hash of one. */
  measurementDocument?: string;
  /** Defaults to a fresh challenge from the SMS. */
  nonce?: Uint8Array;
  authorizer?: Signer;
  /** Overrides of the authorization message the authorizer signs. */
  authorization?: Partial<Authorization>;
  dataset?: bigint;
  /** Which attempt of the task; 1 by default. */
  attempt?: number;
  /** The deal's block; found from its DealCreated log by default. */
  dealBlock?: number;
  /** Who signs the session request; the named worker's signer by default. */
  workerSigner?: Signer;
  /** Overrides of the session request message the worker signs. */
  sessionRequest?: Partial<SessionRequestMessage>;
};

export type SessionBody = {
  quote: string;
  enclavePublicKey: string;
  worker: string;
  dealId: string;
  taskIndex: string;
  attempt: number;
  dealBlock: number;
  authorization: string;
  workerSignature: string;
  dataset?: string;
  measurementDocument?: string;
};

/** The fixture's signer of `address` (an attacker naming itself signs with its own key); the worker's otherwise. */
function fixtureSigner(h: Pick<Harness, "f">, address: string): Signer {
  const { f } = h;
  const accounts = [f.worker, f.stranger, f.poolOwner, f.requester, f.appOwner, f.datasetOwner, f.beneficiary, f.deployer];
  return accounts.find((account) => account.address.toLowerCase() === address.toLowerCase()) ?? f.worker;
}

/** The block of the deal's DealCreated log, as the worker's scheduler knows it. */
export async function dealBlockOf(h: Pick<Harness, "f">, dealId: string): Promise<number> {
  const logs = await h.f.continuum.queryFilter(h.f.continuum.filters.DealCreated(dealId));
  return logs[0]?.blockNumber ?? 0;
}

export async function challenge(h: Harness): Promise<Uint8Array> {
  const { status, body } = await h.post("/v1/challenges", {});
  if (status !== 201) throw new Error(`challenge failed: ${status}`);
  return Uint8Array.from(Buffer.from((body.nonce as string).slice(2), "hex"));
}

export async function sessionBody(h: Harness, plan: SessionPlan): Promise<{ body: SessionBody; enclave: Wallet | HDNodeWallet }> {
  const enclave = plan.enclave ?? Wallet.createRandom();
  const taskIndex = plan.taskIndex ?? 0n;
  const worker = plan.worker ?? h.f.worker.address;
  const nonce = plan.nonce ?? (await challenge(h));
  const reportData = buildReportData(plan.boundEnclave ?? enclave.address, nonce);
  const quote =
    plan.makeQuote?.(reportData) ??
    (plan.platform ?? h.platform).sgxQuote(
      { mrEnclave: Buffer.from(h.measurement.slice(2), "hex"), ...HONEST_ENCLAVE, debug: false, ...plan.quote },
      reportData,
      { version: 3 },
    );
  const message: Authorization = {
    worker,
    taskId: taskIdOf(plan.dealId, taskIndex),
    enclave: enclave.address,
    ...plan.authorization,
  };
  const authorization = await signAuthorization(plan.authorizer ?? h.f.poolOwner, h.f.domain, message);
  const attempt = plan.attempt ?? 1;
  const workerSignature = await signSessionRequest(plan.workerSigner ?? fixtureSigner(h, worker), h.f.domain, {
    worker,
    taskId: taskIdOf(plan.dealId, taskIndex),
    attempt: BigInt(attempt),
    enclave: enclave.address,
    quoteHash: keccak256(quote),
    ...plan.sessionRequest,
  });
  const body: SessionBody = {
    quote: hexlify(quote),
    enclavePublicKey: enclave.signingKey.publicKey,
    worker,
    dealId: plan.dealId,
    taskIndex: taskIndex.toString(),
    attempt,
    dealBlock: plan.dealBlock ?? (await dealBlockOf(h, plan.dealId)),
    authorization,
    workerSignature,
    ...(plan.dataset === undefined ? {} : { dataset: plan.dataset.toString() }),
    ...(plan.measurementDocument === undefined ? {} : { measurementDocument: plan.measurementDocument }),
  };
  return { body, enclave };
}

/**
 * The body with the worker's signature made again over what it now says (quote, enclave key, task,
 * attempt): what an attacker who holds the worker's key sends after editing a request.
 */
export async function resignedByWorker(h: Harness, body: SessionBody): Promise<SessionBody> {
  const enclave = computeAddress(body.enclavePublicKey);
  const taskId = taskIdOf(body.dealId, BigInt(body.taskIndex));
  const workerSignature = await signSessionRequest(fixtureSigner(h, body.worker), h.f.domain, {
    worker: body.worker,
    taskId,
    attempt: BigInt(body.attempt),
    enclave,
    quoteHash: keccak256(body.quote),
  });
  return { ...body, workerSignature };
}

/** Every text form a secret could take in a log line or a response. */
export function secretEncodings(value: Uint8Array): string[] {
  const buffer = Buffer.from(value);
  const forms = [buffer.toString("hex"), buffer.toString("hex").toUpperCase(), buffer.toString("base64"), buffer.toString("base64url")];
  const text = buffer.toString("utf8");
  if (/^[\x20-\x7e]{8,}$/.test(text)) forms.push(text);
  return forms.filter((form) => form.length >= 8);
}

/** The secret forms found in `text`: empty when nothing leaked. */
export function leakedSecrets(h: Pick<Harness, "secretValues" | "masterKey">, text: string): string[] {
  const forms = [...h.secretValues.flatMap(secretEncodings), h.masterKey, h.masterKey.toUpperCase()];
  return forms.filter((form) => text.includes(form));
}

/** Whether a response gave away anything: a success, a secrets field, or a secret's bytes. */
export function responseLeaks(h: Harness, result: HttpResult): boolean {
  return result.status === 200 || (result.body && "secrets" in result.body) || leakedSecrets(h, result.text).length > 0;
}
