// What a request order's `params` may say to the parties that act on it, checked by one rule at
// every door: the market refuses a request that breaks it, and the SMS refuses a session for a deal
// whose params break it (a deal can be matched on-chain without the market). Free-form params
// are allowed; a JSON object's `requesterSecrets`, when present, names secrets the SMS must find,
// its `priority`, when present, is the priority class the workerpool's scheduler queues it in, and
// its `pipeline` and `stage`, when present, name the pipeline stage the request runs (the SMS then
// releases that stage's intermediate keys, see src/wire/pipelines).
import { SECRET_NAME } from "./smsApi/secretKinds.ts";
import { STAGE_ID } from "./pipelines/pipelineDocument.ts";

/** Most requester secrets one request may name. */
export const MAX_REQUESTER_SECRETS = 16;

/** Priority classes, most urgent first; a request that names none is `normal`. */
export const PRIORITY_CLASSES = ["urgent", "normal", "batch"] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];
export const DEFAULT_PRIORITY_CLASS: PriorityClass = "normal";

/** The pipeline stage a request runs: the pipeline's id (bytes32, lowercase hex) and the stage's id. */
export type PipelineStageRef = { pipeline: string; stage: string };

export type RequestParams =
  | { ok: true; requesterSecrets: string[]; priority: PriorityClass; pipeline?: PipelineStageRef }
  | { ok: false; problem: string };

const PIPELINE_ID = /^0x[0-9a-fA-F]{64}$/;

/**
 * The requester secrets `params` names (distinct, in order) and its priority class, or the first
 * problem: a NUL character anywhere (no database stores it as text), a `requesterSecrets` that is
 * not an array of at most 16 secret names (letters, digits, '_', '.', '-', at most 64 characters),
 * a `priority` that is not one of urgent, normal, batch, or a `pipeline` that is not a 32-byte hex id
 * or comes without a `stage` id (or a `stage` without a `pipeline`).
 */
export function readRequestParams(params: string): RequestParams {
  if (params.includes("\u0000")) return { ok: false, problem: "params must not contain the NUL character (U+0000)" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch {
    return { ok: true, requesterSecrets: [], priority: DEFAULT_PRIORITY_CLASS };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: true, requesterSecrets: [], priority: DEFAULT_PRIORITY_CLASS };
  }
  const priority = readPriority(parsed);
  if (priority === undefined) return { ok: false, problem: `params.priority must be one of ${PRIORITY_CLASSES.join(", ")}` };
  const stage = readPipelineStage(parsed);
  if (typeof stage === "string") return { ok: false, problem: stage };
  const common = { priority, ...(stage === undefined ? {} : { pipeline: stage }) };
  if (!("requesterSecrets" in parsed)) return { ok: true, requesterSecrets: [], ...common };
  const names = (parsed as { requesterSecrets: unknown }).requesterSecrets;
  if (!Array.isArray(names)) return { ok: false, problem: "params.requesterSecrets must be an array of secret names" };
  if (names.length > MAX_REQUESTER_SECRETS) {
    return { ok: false, problem: `params.requesterSecrets names at most ${MAX_REQUESTER_SECRETS} secrets` };
  }
  for (const name of names) {
    if (typeof name !== "string" || !SECRET_NAME.test(name)) {
      return {
        ok: false,
        problem: "params.requesterSecrets holds a name that is not a secret name (letters, digits, '_', '.', '-'; at most 64 characters)",
      };
    }
  }
  return { ok: true, requesterSecrets: [...new Set(names as string[])], ...common };
}

/** The pipeline stage the object names, undefined when it names none, or the problem. */
function readPipelineStage(parsed: object): PipelineStageRef | undefined | string {
  const { pipeline, stage } = parsed as { pipeline?: unknown; stage?: unknown };
  if (pipeline === undefined && stage === undefined) return undefined;
  if (typeof pipeline !== "string" || !PIPELINE_ID.test(pipeline)) return "params.pipeline must be a pipeline id (32 bytes as 0x-prefixed hex) beside params.stage";
  if (typeof stage !== "string" || !STAGE_ID.test(stage)) return "params.stage must be a stage id (letters, digits, '_', '-'; at most 32) beside params.pipeline";
  return { pipeline: pipeline.toLowerCase(), stage };
}

/** The object's priority class; the default when it names none, undefined when it names an unknown one. */
function readPriority(parsed: object): PriorityClass | undefined {
  if (!("priority" in parsed)) return DEFAULT_PRIORITY_CLASS;
  const value = (parsed as { priority: unknown }).priority;
  return PRIORITY_CLASSES.find((known) => known === value);
}

/** `params` naming `priority`: empty params become {"priority":…}; undefined when params are not a JSON object. */
export function paramsWithPriority(params: string, priority: PriorityClass): string | undefined {
  if (params.trim() === "") return JSON.stringify({ priority });
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  return JSON.stringify({ ...parsed, priority });
}
