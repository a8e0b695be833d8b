// Converts wall-clock dates to the whole unix seconds used by certificate validity windows
// and freshness nonces, so every time comparison in the module uses one unit.
import { AttestationError } from "./AttestationError.ts";

export function unixSeconds(date: Date): number {
  const millis = date.getTime();
  if (!Number.isFinite(millis)) throw new AttestationError("INVALID_ATTESTATION_INPUT", "invalid date");
  return Math.floor(millis / 1000);
}
