// The SecretsClient of a real SMS over HTTP: POST /v1/challenges for the quote's freshness nonce,
// POST /v1/sessions for the sealed secrets, which it opens with the enclave key (openAsEnclave).
// A 4xx answer is the SMS refusing (SMS_REFUSED with its reason code); a 5xx or a malformed answer
// is SMS_UNAVAILABLE. Transport failures are left to the runtime, which reports SMS_UNAVAILABLE.
import { getAddress } from "ethers";
import { z } from "zod";
import { EnclaveCryptoError, openAsEnclave } from "../src/crypto/enclave/index.ts";
import { hexToBytes, toHex } from "../src/crypto/hex.ts";
import { checksummedAddress } from "../src/wire/eip712/checksummedAddress.ts";
import { readFailureVerdict } from "../src/wire/smsApi/sessionVerdicts.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { ReleasedSecrets, SecretsClient, SecretsSessionRequest } from "./SecretsClient.ts";

export interface HttpSecretsClientOptions {
  /** The SMS's base URL, e.g. http://127.0.0.1:8090. */
  baseUrl: string;
}

const hex = (bytes?: number) =>
  z.string().regex(bytes === undefined ? /^0x(?:[0-9a-fA-F]{2})+$/ : new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`));

const challengeSchema = z.object({ nonce: hex(32) });

const namedSecretSchema = z.object({ name: z.string(), version: z.number(), sealed: hex() });

const verdictSchema = z.object({
  signature: hex(65),
  signer: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  teeType: z.enum(["SGX", "TDX"]),
  tcbStatus: z.string(),
  advisoryIds: z.array(z.string()),
  measurement: hex(32),
  judgmentBlock: z.number(),
  judgedAt: z.string(),
  collateral: z
    .object({ fmspc: hex(), pceId: hex(), tcbEvaluationDataNumber: z.number(), tcbInfoIssueDate: z.string(), tcbDate: z.string(), validUntil: z.string() })
    .optional(),
});

const sessionSchema = z.object({
  sessionId: z.number(),
  taskId: hex(32),
  enclave: z.string(),
  attestation: verdictSchema.optional(),
  secrets: z.object({
    dataset: z.object({ id: z.string(), version: z.number(), sealedKey: hex() }).nullable(),
    app: z.array(namedSecretSchema),
    requester: z.array(namedSecretSchema),
  }),
});

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

export class HttpSecretsClient implements SecretsClient {
  readonly #baseUrl: string;

  constructor(options: HttpSecretsClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  async freshnessNonce(signal: AbortSignal): Promise<Uint8Array> {
    const body = await this.#post("/v1/challenges", {}, signal);
    return hexToBytes(parseAnswer(challengeSchema, body).nonce);
  }

  async requestSession(request: SecretsSessionRequest): Promise<ReleasedSecrets> {
    const body = await this.#post(
      "/v1/sessions",
      {
        quote: toHex(request.quote),
        enclavePublicKey: request.enclavePublicKey,
        worker: request.worker,
        dealId: request.dealId,
        taskIndex: request.taskIndex.toString(),
        attempt: request.attempt,
        dealBlock: request.dealBlock,
        authorization: request.authorization,
        workerSignature: request.workerSignature,
        ...(request.dataset === undefined ? {} : { dataset: request.dataset.toString() }),
      },
      request.signal,
    );
    const session = parseAnswer(sessionSchema, body);
    if (session.taskId.toLowerCase() !== request.taskId.toLowerCase() || checksummedAddress(session.enclave) !== getAddress(request.enclaveAddress)) {
      throw nonsense("the session names another task or enclave");
    }
    const { dataset, app, requester } = session.secrets;
    if (dataset !== null && (request.dataset === undefined || dataset.id !== request.dataset.toString())) {
      throw nonsense("the released dataset key is for another dataset");
    }
    const open = (sealed: string) => openSealed(sealed, request.enclaveKey.privateKey);
    const named = (secrets: z.infer<typeof namedSecretSchema>[]) =>
      Object.fromEntries(secrets.map((secret) => [secret.name, open(secret.sealed)]));
    return {
      ...(dataset === null ? {} : { datasetKey: open(dataset.sealedKey) }),
      appSecrets: named(app),
      requesterSecrets: named(requester),
      ...(session.attestation === undefined ? {} : { attestation: session.attestation }),
    };
  }

  async #post(path: string, payload: unknown, signal: AbortSignal): Promise<unknown> {
    const response = await fetch(`${this.#baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(payload),
      signal,
    });
    const text = await response.text();
    const body = parseJson(text);
    if (response.ok) return body;
    const failure = errorSchema.safeParse(body);
    const reason = failure.success ? failure.data.error.code : `HTTP_${response.status}`;
    const detail = failure.success ? failure.data.error.message : response.statusText;
    if (response.status >= 400 && response.status < 500) {
      const verdict = failure.success ? readFailureVerdict(failure.data.error.details?.failure) : undefined;
      throw new EnclaveError("SMS_REFUSED", `The SMS refused: ${detail}`, {
        reason,
        status: response.status,
        ...(verdict === undefined ? {} : { failure: verdict }),
      });
    }
    throw new EnclaveError("SMS_UNAVAILABLE", `The SMS failed: ${detail}`, { reason, status: response.status });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseAnswer<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw nonsense("the answer does not have the documented shape");
  return parsed.data;
}

function openSealed(sealed: string, enclavePrivateKey: string): Uint8Array {
  try {
    return openAsEnclave(hexToBytes(sealed), enclavePrivateKey);
  } catch (error) {
    if (error instanceof EnclaveCryptoError) {
      throw new EnclaveError("SMS_UNAVAILABLE", "A released secret does not open with the enclave key.", {
        reason: error.code,
      });
    }
    throw error;
  }
}

function nonsense(what: string): EnclaveError {
  return new EnclaveError("SMS_UNAVAILABLE", `The SMS answered nonsense: ${what}.`, { reason: "BAD_RESPONSE" });
}
