// What a request order's `params` may say to the parties that act on it, checked by one rule at
// every door: the market refuses a request that breaks it, and the SMS refuses a session for a deal
// whose params break it (a deal can be matched on-chain without the market). Free-form params
// are allowed; a JSON object's `requesterSecrets`, when present, names secrets the SMS must find.
import { SECRET_NAME } from "./smsApi/secretKinds.ts";

/** Most requester secrets one request may name. */
export const MAX_REQUESTER_SECRETS = 16;

export type RequestParams = { ok: true; requesterSecrets: string[] } | { ok: false; problem: string };

/**
 * The requester secrets `params` names (distinct, in order), or the first problem: a NUL character
 * anywhere (no database stores it as text), or a `requesterSecrets` that is not an array of at
 * most 16 secret names (letters, digits, '_', '.', '-', at most 64 characters).
 */
export function readRequestParams(params: string): RequestParams {
  if (params.includes("\u0000")) return { ok: false, problem: "params must not contain the NUL character (U+0000)" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch {
    return { ok: true, requesterSecrets: [] };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !("requesterSecrets" in parsed)) {
    return { ok: true, requesterSecrets: [] };
  }
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
  return { ok: true, requesterSecrets: [...new Set(names as string[])] };
}
