// The app runtimes this machine can run sandboxed, as a worker reports them to its scheduler: each
// with its runtime profile and the profile's digest, which app measurements are bound to. A runtime
// that cannot run here is left out, with the reason.
import { runtimeProfileDigest, type AppRuntime } from "../src/apps/index.ts";
import type { RuntimeOffer } from "../src/wire/workerApi/assignment.ts";
import { runtimeLaunchers, type RuntimeExecutables } from "./launchers/runtimeLaunchers.ts";

export interface OfferedRuntimes {
  offers: RuntimeOffer[];
  /** Runtimes left out, with why. */
  unavailable: Partial<Record<AppRuntime, string>>;
}

export async function offeredRuntimes(executables: RuntimeExecutables): Promise<OfferedRuntimes> {
  const offers: RuntimeOffer[] = [];
  const unavailable: Partial<Record<AppRuntime, string>> = {};
  const launchers = runtimeLaunchers(executables);
  for (const runtime of Object.keys(launchers) as AppRuntime[]) {
    const launcher = launchers[runtime];
    const reason = await launcher.unavailableReason();
    if (reason !== undefined) {
      unavailable[runtime] = reason;
      continue;
    }
    const profile = launcher.profile();
    offers.push(
      runtime === "node"
        ? { runtime }
        : { runtime, profile: runtimeProfileDigest(profile), profileDocument: profile as unknown as Record<string, unknown> },
    );
  }
  return { offers, unavailable };
}
