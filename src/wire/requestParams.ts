// What a request order's `params` may say to the parties that act on it, checked by one rule at
// every door: the market refuses a request that breaks it, and the SMS refuses a session for a deal
// whose params break it (a deal can be matched on-chain without the market). Free-form params
// are allowed; a JSON object's `requesterSecrets`, when present, names secrets the SMS must find,
// and its `priority`, when present, is the priority class the workerpool's scheduler queues it in.
import { SECRET_NAME } from "./smsApi/secretKinds.ts";

/** Most requester secrets one request may name. */
export const MAX_REQUESTER_SECRETS = 16;

/** Priority classes, most urgent first; a request that names none is `normal`. */
export const PRIORITY_CLASSES = ["urgent", "normal", "batch"] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];
export const DEFAULT_PRIORITY_CLASS: PriorityClass = "normal";

export type RequestParams =
  | { ok: true; requesterSecrets: string[]; priority: PriorityClass }
  | { ok: false; problem: string };

/**
 * The requester secrets `params` names (distinct, in order) and its priority class, or the first
 * problem: a NUL character anywhere (no database stores it as text), a `requesterSecrets` that is
 * not an array of at most 16 secret names (letters, digits, '_', '.', '-', at most 64 characters),
 * or a `priority` that is not one of urgent, normal, batch.
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
  if (!("requesterSecrets" in parsed)) return { ok: true, requesterSecrets: [], priority };
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
  return { ok: true, requesterSecrets: [...new Set(names as string[])], priority };
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
