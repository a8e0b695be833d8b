// Declared package sets as configuration writes them ("numpy==1.24.2") and as profiles and
// manifests use them ({ numpy: "1.24.2" }), names normalised (PEP 503).
import { normalizePackageName } from "../manifest.ts";
import { RuntimeProfileError } from "./RuntimeProfileError.ts";

export function parsePackagePins(pins: readonly string[]): Record<string, string> {
  const packages: Record<string, string> = {};
  for (const pin of pins) {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9A-Za-z][0-9A-Za-z.+!_-]*)$/.exec(pin.trim());
    if (match === null) throw new RuntimeProfileError("BAD_RUNTIME_PROFILE", `"${pin}" is not an exact pin such as numpy==1.24.2.`, { pin });
    packages[normalizePackageName(match[1]!)] = match[2]!;
  }
  return packages;
}
