// A real SMS for tests and the benchmark: started with startSms from a validated config, on a
// PGlite database in a temp directory, reading the in-process Hardhat chain, serving real HTTP
// on loopback, with every log line captured so tests can prove no secret ever reached the logs.
import { Writable } from "node:stream";
import { Wallet, hexlify, randomBytes, type HDNodeWallet, type Signer } from "ethers";
import { pino } from "pino";
import {
  AttestationAuthority,
  SimulatedPlatform,
  SimulatedTrustedRoot,
  buildReportData,
  type QuoteRequest,
} from "../../../src/attestation/index.ts";
import { toJson } from "../../../src/core/bigintJson.ts";
import { loadConfig } from "../../../src/config/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { signAuthorization, taskIdOf, type Authorization } from "../../../src/wire/eip712/index.ts";
import { startSms, type RunningSms, type SmsPolicy } from "../../../sms/index.ts";
import { SECRET_KIND_NUMBER, type SecretKind } from "../../../src/wire/smsApi/secretKinds.ts";
import { secretHashOf, signSecretPush } from "../../../src/wire/eip712/smsMessages.ts";
import { loadProtocol, type Fixture } from "../../helpers/protocolFixture.ts";

export const SIGNER_MEASUREMENT = hexlify(randomBytes(32));
export const POLICY: SmsPolicy = { allowDebug: false, minSecurityVersion: 3, challengeTtlSeconds: 120 };
const YEAR_SECONDS = 365 * 24 * 3600;

export type HttpResult = { status: number; body: any; text: string };

export type Harness = {
  f: Fixture;
  sms: RunningSms;
  url: string;
  authority: AttestationAuthority;
  platform: SimulatedPlatform;
  /** The measurement registered on-chain for app 1. */
  measurement: string;
  masterKey: string;
  /** Every log line the SMS wrote, as JSON text. */
  logs: () => string;
  /** Every secret value pushed so far, to look for in logs and responses. */
  secretValues: Uint8Array[];
  post(path: string, body: unknown): Promise<HttpResult>;
  close(): Promise<void>;
};

/** `protocol` loads the chain fixture (default: the protocol with the fixture's SMS signer registered). */
export async function startHarness(options: { policy?: SmsPolicy; protocol?: () => Promise<Fixture> } = {}): Promise<Harness> {
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
  const config = loadConfig({
    env: {},
    overrides: { dataDir: directory.path, logLevel: "trace", sms: { host: "127.0.0.1", port: 0, masterKey } },
  });
  const validFrom = new Date(Date.now() - 3_600_000);
  const authority = AttestationAuthority.create({ now: validFrom, lifetimeSeconds: 10 * YEAR_SECONDS });
  const platform = new SimulatedPlatform(authority.issuePlatformKey({ now: validFrom, lifetimeSeconds: YEAR_SECONDS }));
  const sms = await startSms({
    config,
    trustedRoot: SimulatedTrustedRoot.fromHex(authority.trustedRootHex),
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
    authority,
    platform,
    measurement,
    masterKey,
    logs: () => lines.join(""),
    secretValues: [],
    post: (path, body) => postJson(`${sms.url}${path}`, body),
    close: async () => {
      await sms.close();
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
  quote?: Partial<QuoteRequest>;
  platform?: SimulatedPlatform;
  /** Defaults to a fresh challenge from the SMS. */
  nonce?: Uint8Array;
  authorizer?: Signer;
  /** Overrides of the authorization message the authorizer signs. */
  authorization?: Partial<Authorization>;
  dataset?: bigint;
};

export type SessionBody = {
  quote: string;
  enclavePublicKey: string;
  worker: string;
  dealId: string;
  taskIndex: string;
  authorization: string;
  dataset?: string;
};

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
  const quote = (plan.platform ?? h.platform).createQuote({
    measurement: h.measurement,
    signerMeasurement: SIGNER_MEASUREMENT,
    productId: 1,
    securityVersion: 3,
    debug: false,
    reportData: buildReportData(plan.boundEnclave ?? enclave.address, nonce),
    ...plan.quote,
  });
  const message: Authorization = {
    worker,
    taskId: taskIdOf(plan.dealId, taskIndex),
    enclave: enclave.address,
    ...plan.authorization,
  };
  const authorization = await signAuthorization(plan.authorizer ?? h.f.poolOwner, h.f.domain, message);
  const body: SessionBody = {
    quote: hexlify(quote),
    enclavePublicKey: enclave.signingKey.publicKey,
    worker,
    dealId: plan.dealId,
    taskIndex: taskIndex.toString(),
    authorization,
    ...(plan.dataset === undefined ? {} : { dataset: plan.dataset.toString() }),
  };
  return { body, enclave };
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
