// The devnet a demo script plays against: the one `npm start` is running (read from
// <data-dir>/devnet.json), or, when none is, a fresh one started for the demo in a temporary
// directory and stopped after it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEVNET_ENDPOINTS_FILE, type DevnetEndpoints } from "../../src/devnet/startDevnet.ts";
import { isContinuumError } from "../../src/core/ContinuumError.ts";
import { startTestDevnet } from "../../test/helpers/testDevnet.ts";

export type DemoDevnet = {
  dataDir: string;
  endpoints: DevnetEndpoints & { workerpool: string };
  /** Whether the demo started this devnet (and stops it on close). */
  startedHere: boolean;
  close(): Promise<void>;
};

/** The running devnet's endpoints, or undefined when `dataDir` holds none or it does not answer. */
async function runningDevnet(dataDir: string): Promise<(DevnetEndpoints & { workerpool: string }) | undefined> {
  let endpoints: DevnetEndpoints;
  try {
    endpoints = JSON.parse(await readFile(join(dataDir, DEVNET_ENDPOINTS_FILE), "utf8")) as DevnetEndpoints;
  } catch {
    return undefined;
  }
  const answers = await fetch(`${endpoints.marketUrl.replace(/\/+$/, "")}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!answers) return undefined;
  if (!endpoints.workerpool) throw new Error("the running devnet has no workerpool (started without compute)");
  return endpoints as DevnetEndpoints & { workerpool: string };
}

export async function demoDevnet(dataDir: string, say: (line: string) => void): Promise<DemoDevnet> {
  const running = await runningDevnet(dataDir);
  if (running !== undefined) {
    say(`playing against the devnet running from ${dataDir}`);
    return { dataDir, endpoints: running, startedHere: false, close: async () => undefined };
  }
  say(`no devnet is running from ${dataDir}: starting a fresh one for this demo (stopped after it) ...`);
  const stack = await startTestDevnet();
  const endpoints = { ...stack.devnet.endpoints, workerpool: stack.devnet.compute!.workerpool.toString() };
  return { dataDir: stack.dataDir, endpoints, startedHere: true, close: () => stack.close() };
}

/** Runs a demo script's `main`: exit 0 when it resolves, else the reason on stderr and exit 1. */
export function runDemoScript(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const message = isContinuumError(error) || error instanceof Error ? error.message : String(error);
      console.error(`${name} failed: ${message}`);
      process.exit(1);
    },
  );
}
