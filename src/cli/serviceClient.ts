// The CLI's way to Continuum's HTTP services (market API, SMS): JSON in and out under /v1, with an
// unreachable service, an API refusal and a malformed answer each turned into a typed CliError.
// A busy service (429, or 503 to a GET) is asked again after its Retry-After (fetchWithRetry).
import { toJson } from "../core/bigintJson.ts";
import { fetchWithRetry, type FetchWithRetryOptions } from "../core/fetchWithRetry.ts";
import { CliError } from "./errors.ts";

export type ServiceName = "market" | "SMS";

const DEFAULT_TIMEOUT_MS = 30_000;
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EAI_AGAIN"]);

export type QueryValues = Record<string, string | number | bigint | undefined>;

export class ServiceClient {
  readonly baseUrl: string;
  readonly #service: ServiceName;
  readonly #timeoutMs: number;
  readonly #retry: FetchWithRetryOptions;

  /** `retry` tunes how a busy service is asked again (the defaults of fetchWithRetry otherwise). */
  constructor(service: ServiceName, baseUrl: string, options: { timeoutMs?: number; retry?: FetchWithRetryOptions } = {}) {
    this.#service = service;
    this.baseUrl = baseUrl;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retry = options.retry ?? {};
  }

  /** GET /v1<path>?query; undefined query values are left out. */
  get<T>(path: string, query: QueryValues = {}): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
    const suffix = search.size > 0 ? `?${search}` : "";
    return this.#request<T>("GET", `${path}${suffix}`);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#request<T>("POST", path, toJson(body));
  }

  /** PUT /v1<path> (its query included) with no body, e.g. with a signed account request's headers. */
  put<T>(path: string, headers: Record<string, string>): Promise<T> {
    return this.#request<T>("PUT", path, undefined, headers);
  }

  async #request<T>(method: string, path: string, body?: string, extraHeaders: Record<string, string> = {}): Promise<T> {
    const url = `${this.baseUrl}/v1${path}`;
    let response: Response;
    try {
      // Each attempt has the whole timeout: a pause for Retry-After is not the service being slow.
      response = await fetchWithRetry(
        url,
        (): RequestInit => ({
          method,
          headers: {
            ...(body === undefined ? { accept: "application/json" } : { "content-type": "application/json", accept: "application/json" }),
            ...extraHeaders,
          },
          body,
          signal: AbortSignal.timeout(this.#timeoutMs),
        }),
        this.#retry,
      );
    } catch (error) {
      throw this.#unreachable(error);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok && json !== undefined) return json as T;
    const refusal = apiErrorOf(json);
    if (refusal) {
      throw new CliError(refusal.code, `The ${this.#service} refused the request: ${refusal.message}`, {
        ...refusal.details,
        status: response.status,
        url,
      });
    }
    throw new CliError(
      "BAD_RESPONSE",
      `The ${this.#service} at ${this.baseUrl} answered ${method} ${path} with HTTP ${response.status} and no usable JSON`,
      { status: response.status, url },
    );
  }

  #unreachable(error: unknown): CliError {
    const code = this.#service === "market" ? "MARKET_UNREACHABLE" : "SMS_UNREACHABLE";
    const variable = this.#service === "market" ? "--market-url or CONTINUUM_MARKET_URL" : "--sms-url or CONTINUUM_SMS_URL";
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const cause = error instanceof Error ? error.cause : undefined;
    const causeCode = cause instanceof Error && "code" in cause ? String(cause.code) : "";
    const reason = timedOut
      ? `no answer within ${this.#timeoutMs / 1000} s`
      : UNREACHABLE_CODES.has(causeCode)
        ? causeCode
        : error instanceof Error
          ? error.message
          : String(error);
    return new CliError(code, `Cannot reach the ${this.#service} at ${this.baseUrl} (${reason}): is it running? Set ${variable}`, {
      url: this.baseUrl,
    });
  }
}

type ApiRefusal = { code: string; message: string; details: Record<string, unknown> };

function apiErrorOf(json: unknown): ApiRefusal | undefined {
  if (typeof json !== "object" || json === null || !("error" in json)) return undefined;
  const error = (json as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message, details } = error as Record<string, unknown>;
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  const safeDetails = typeof details === "object" && details !== null ? (details as Record<string, unknown>) : {};
  return { code, message, details: safeDetails };
}
