// Which requester secrets a deal asks for: the request's params (committed on-chain as the deal's
// paramsHash) may be a JSON object whose "requesterSecrets" array names them.
/**
 * The distinct names listed in params.requesterSecrets, or none when params is not such a JSON
 * object. Every name is kept as given: one that is not stored makes the session fail as missing
 * rather than run without it.
 */
export function requesterSecretNames(params: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
  const names = (parsed as Record<string, unknown>).requesterSecrets;
  if (!Array.isArray(names)) return [];
  return [...new Set(names.map((name) => String(name)))];
}
