// One read of an announced scheduler: GET <url>/v1/info within a timeout, checked to be the
// announced workerpool's, its live workers' runtime offers summarised for people (runtime,
// profile digest, interpreter, declared native packages). Never throws: a scheduler that does not
// answer, or answers nonsense, is "unreachable" with the reason.
import { z } from "zod";
import type { OfferedRuntimeJson } from "../../wire/marketApi/workerpoolScheduler.ts";
import type { SchedulerCheck } from "./SchedulerDirectory.ts";

/** An info document is a few kilobytes; a scheduler answering more is not read further. */
const MAX_INFO_BYTES = 256 * 1024;
const MAX_OFFERS = 64;

const packageSchema = z.object({ name: z.string().max(200), version: z.string().max(100) });
const offerSchema = z.object({
  runtime: z.string().min(1).max(32),
  profile: z.string().max(100).optional(),
  profileDocument: z
    .object({
      interpreter: z.object({ implementation: z.string().max(100), version: z.string().max(100) }).partial().optional(),
      packages: z.array(packageSchema).max(1_000).optional(),
    })
    .optional(),
});
const infoSchema = z.object({ workerpool: z.string().max(80), runtimes: z.array(offerSchema).max(MAX_OFFERS).default([]) });

export async function readSchedulerRuntimes(url: string, workerpool: bigint, timeoutMs: number): Promise<SchedulerCheck> {
  let body: unknown;
  try {
    const response = await fetch(`${url.replace(/\/+$/, "")}/v1/info`, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    if (!response.ok) return { status: "unreachable", problem: `GET /v1/info answered HTTP ${response.status}` };
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength > MAX_INFO_BYTES) return { status: "unreachable", problem: `GET /v1/info answered more than ${MAX_INFO_BYTES} bytes` };
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { status: "unreachable", problem: timedOut ? `no answer within ${timeoutMs} ms` : `cannot read GET /v1/info: ${describe(error)}` };
  }
  const info = infoSchema.safeParse(body);
  if (!info.success) return { status: "unreachable", problem: "GET /v1/info did not answer a scheduler's info document" };
  if (info.data.workerpool !== workerpool.toString()) {
    return { status: "mismatch", problem: `the scheduler serves workerpool ${info.data.workerpool}, not ${workerpool}` };
  }
  return { status: "reachable", runtimes: info.data.runtimes.map(summarise) };
}

function summarise(offer: z.infer<typeof offerSchema>): OfferedRuntimeJson {
  const interpreter = offer.profileDocument?.interpreter;
  return {
    runtime: offer.runtime,
    profile: offer.profile ?? null,
    interpreter: interpreter?.version === undefined ? null : `${interpreter.implementation ?? ""} ${interpreter.version}`.trim(),
    packages: (offer.profileDocument?.packages ?? []).map(({ name, version }) => ({ name, version })),
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
