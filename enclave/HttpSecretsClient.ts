// The SecretsClient of a real SMS over HTTP: POST /v1/challenges for the quote's freshness nonce,
// POST /v1/sessions for the sealed secrets, which it opens with the enclave key (openAsEnclave).
// A 4xx answer is the SMS refusing (SMS_REFUSED with its reason code); a 5xx or a malformed answer
// is SMS_UNAVAILABLE. Transport failures are left to the runtime, which reports SMS_UNAVAILABLE.
// With several replicas' URLs the client asks the next one for a challenge when one does not
// answer, and holds the session at the replica that issued the challenge; when that one fails
// mid-session it moves on, and the runtime starts the exchange again there.
// A 429 is asked again after the SMS's Retry-After before it counts as a refusal.
import { getAddress } from "ethers";
import { z } from "zod";
import { EnclaveCryptoError, openAsEnclave } from "../src/crypto/enclave/index.ts";
import { hexToBytes, toHex } from "../src/crypto/hex.ts";
import { checksummedAddress } from "../src/wire/eip712/checksummedAddress.ts";
import { readFailureVerdict } from "../src/wire/smsApi/sessionVerdicts.ts";
import { fetchWithRetry, type FetchWithRetryOptions } from "../src/core/fetchWithRetry.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { ReleasedSecrets, SecretsClient, SecretsSessionRequest } from "./SecretsClient.ts";

export interface HttpSecretsClientOptions {
  /** The SMS's base URL, e.g. http://127.0.0.1:8090, or its replicas' URLs in order of preference. */
  baseUrl: string | readonly string[];
  /** How a busy SMS is asked again (fetchWithRetry's defaults otherwise). */
  retry?: FetchWithRetryOptions;
}

const hex = (bytes?: number) =>
  z.string().regex(bytes === undefined ? /^0x(?:[0-9a-fA-F]{2})+$/ : new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`));

const challengeSchema = z.object({ nonce: hex(32) });
const MAX_OUTSTANDING_CHALLENGES = 1_024;
/** How long a replica that did not answer is asked only after the others. */
const FAILED_REPLICA_PAUSE_MS = 10_000;

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
    pipeline: z
      .object({
        id: hex(32),
        stage: z.string(),
        inputs: z.array(z.object({ stage: z.string(), sealedKey: hex() })),
        output: z.object({ stage: z.string(), sealedKey: hex() }).nullable(),
      })
      .optional(),
  }),
});

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

export class HttpSecretsClient implements SecretsClient {
  readonly #urls: readonly string[];
  readonly #retry: FetchWithRetryOptions;
  /** The replica asked first for the next challenge. */
  #current = 0;
  /** Which replica issued each outstanding challenge (by hex): its session goes there. */
  readonly #issuedBy = new Map<string, number>();
  /** When each replica last failed to answer (ms): it is asked last for a while. */
  readonly #failedAt: number[];

  constructor(options: HttpSecretsClientOptions) {
    const urls = typeof options.baseUrl === "string" ? [options.baseUrl] : options.baseUrl;
    if (urls.length === 0) throw new TypeError("HttpSecretsClient needs at least one SMS URL");
    this.#urls = urls.map((url) => url.replace(/\/+$/, ""));
    this.#failedAt = urls.map(() => Number.NEGATIVE_INFINITY);
    this.#retry = options.retry ?? {};
  }

  get replicas(): number {
    return this.#urls.length;
  }

  /** A challenge from the first replica that answers: from the current one on, replicas that just failed last. */
  async freshnessNonce(signal: AbortSignal): Promise<Uint8Array> {
    let failure: unknown;
    const now = Date.now();
    const order = this.#urls.map((_, step) => (this.#current + step) % this.#urls.length);
    const recentlyFailed = (index: number) => now - this.#failedAt[index]! < FAILED_REPLICA_PAUSE_MS;
    for (const index of [...order.filter((index) => !recentlyFailed(index)), ...order.filter(recentlyFailed)]) {
      try {
        const body = await this.#post(this.#urls[index]!, "/v1/challenges", {}, signal);
        this.#current = index;
        const { nonce } = parseAnswer(challengeSchema, body);
        // Challenges are few at a time (one per running task); the oldest is forgotten past a bound.
        if (this.#issuedBy.size >= MAX_OUTSTANDING_CHALLENGES) this.#issuedBy.delete(this.#issuedBy.keys().next().value!);
        this.#issuedBy.set(nonce.toLowerCase(), index);
        return hexToBytes(nonce);
      } catch (error) {
        if (!isUnavailable(error) || signal.aborted) throw error;
        this.#failedAt[index] = Date.now();
        failure = error;
      }
    }
    throw failure;
  }

  async requestSession(request: SecretsSessionRequest): Promise<ReleasedSecrets> {
    const issued = request.nonce === undefined ? undefined : toHex(request.nonce).toLowerCase();
    const at = (issued === undefined ? undefined : this.#issuedBy.get(issued)) ?? this.#current;
    if (issued !== undefined) this.#issuedBy.delete(issued);
    const body = await this.#post(
      this.#urls[at]!,
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
    ).catch((error: unknown) => {
      // The next challenge, and so the next session, goes to another replica.
      if (isUnavailable(error)) {
        this.#failedAt[at] = Date.now();
        if (this.#current === at) this.#current = (at + 1) % this.#urls.length;
      }
      throw error;
    });
    const session = parseAnswer(sessionSchema, body);
    if (session.taskId.toLowerCase() !== request.taskId.toLowerCase() || checksummedAddress(session.enclave) !== getAddress(request.enclaveAddress)) {
      throw nonsense("the session names another task or enclave");
    }
    const { dataset, app, requester, pipeline } = session.secrets;
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
      ...(pipeline === undefined
        ? {}
        : {
            stageKeys: {
              pipeline: pipeline.id.toLowerCase(),
              stage: pipeline.stage,
              inputs: pipeline.inputs.map((input) => ({ stage: input.stage, key: open(input.sealedKey) })),
              output: pipeline.output === null ? null : { stage: pipeline.output.stage, key: open(pipeline.output.sealedKey) },
            },
          }),
      ...(session.attestation === undefined ? {} : { attestation: session.attestation }),
    };
  }

  async #post(baseUrl: string, path: string, payload: unknown, signal: AbortSignal): Promise<unknown> {
    // A busy SMS (429, including too many open challenges) refused before looking: ask again after its Retry-After.
    const response = await fetchWithRetry(
      `${baseUrl}${path}`,
      { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(payload), signal },
      { ...this.#retry, signal },
    );
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

/** No answer, or a server error: another replica may do better. A refusal (SMS_REFUSED) would be the same everywhere. */
function isUnavailable(error: unknown): boolean {
  return !(error instanceof EnclaveError && error.code === "SMS_REFUSED");
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
