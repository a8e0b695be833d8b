// What a worker checks before it starts anything heavy: that the scheduler URL is an http(s) URL
// and that a Continuum scheduler answers there (GET /v1/info names its workerpool and owner).
import { fetchWithRetry } from "../core/fetchWithRetry.ts";
import { CliError, UsageError } from "./errors.ts";

export type SchedulerInfo = { workerpool: string; workerpoolOwner: string; chainId: string; continuum: string };

const INFO_TIMEOUT_MS = 10_000;

/** The scheduler's base URL without a trailing slash or `/v1`; INVALID_URL if it is not http(s). */
export function schedulerBaseUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new UsageError("INVALID_URL", `The scheduler URL "${url}" is not an http(s) URL, e.g. http://127.0.0.1:8070`, { url });
  }
  return url.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/** GET /v1/info; SCHEDULER_UNREACHABLE when nothing answers or what answers is not a scheduler. */
export async function fetchSchedulerInfo(baseUrl: string): Promise<SchedulerInfo> {
  let response: Response;
  try {
    response = await fetchWithRetry(`${baseUrl}/v1/info`, () => ({ signal: AbortSignal.timeout(INFO_TIMEOUT_MS) }));
  } catch (cause) {
    throw new CliError("SCHEDULER_UNREACHABLE", `Cannot reach the scheduler at ${baseUrl}: is it running?`, { url: baseUrl }, { cause });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok || !isSchedulerInfo(body)) {
    throw new CliError(
      "SCHEDULER_UNREACHABLE",
      `${baseUrl} answered HTTP ${response.status} but is not a Continuum scheduler (no workerpool in /v1/info)`,
      { url: baseUrl, status: response.status },
    );
  }
  return body;
}

function isSchedulerInfo(value: unknown): value is SchedulerInfo {
  if (typeof value !== "object" || value === null) return false;
  const info = value as Record<string, unknown>;
  return ["workerpool", "workerpoolOwner", "chainId", "continuum"].every((field) => typeof info[field] === "string");
}
