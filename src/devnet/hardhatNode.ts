// Runs a Hardhat JSON-RPC node as a child process on loopback and waits until it answers;
// the devnet's chain when no external RPC URL is configured.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { ContinuumError } from "../errors/ContinuumError.ts";
import { requirePortFree } from "./portCheck.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HARDHAT_CLI = join(PROJECT_ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");

export type HardhatNode = { url: string; process: ChildProcess; stop(): Promise<void> };

export async function startHardhatNode(options: { host: string; port: number; readyTimeoutMs?: number }): Promise<HardhatNode> {
  await requirePortFree(options.host, options.port, "The Hardhat JSON-RPC node");
  const child = spawn(
    process.execPath,
    [HARDHAT_CLI, "node", "--hostname", options.host, "--port", String(options.port)],
    { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const url = `http://${options.host}:${options.port}`;
  const node: HardhatNode = {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
  };
  await waitUntilReady(url, child, () => output, options.readyTimeoutMs ?? 60_000);
  return node;
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new ContinuumError("CHAIN_START_FAILED", `The Hardhat node exited early:\n${output()}`);
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill("SIGKILL");
  throw new ContinuumError("CHAIN_START_FAILED", `The Hardhat node did not answer at ${url} within ${timeoutMs} ms.`);
}
