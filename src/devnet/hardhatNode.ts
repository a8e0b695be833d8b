// Runs a Hardhat JSON-RPC node as a child process on loopback and waits until it answers;
// the devnet's chain when no external RPC URL is configured. The child exits with its parent,
// and is stopped by it, never directly by the terminal.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { ContinuumError } from "../core/ContinuumError.ts";
import { requirePortFree } from "./portCheck.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HARDHAT_CLI = join(PROJECT_ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
const NODE_CONFIG = join(PROJECT_ROOT, "src", "devnet", "chain", "hardhatNode.config.ts");
const EXIT_WITH_PARENT = new URL("./chain/exitWithParent.ts", import.meta.url).href;

export type HardhatNode = { url: string; process: ChildProcess; stop(): Promise<void> };

export type HardhatNodeOptions = {
  host: string;
  /** 0 picks a free port (read back from the node's banner). */
  port: number;
  readyTimeoutMs?: number;
  /** Genesis time (ISO date, whole seconds); the same date gives the same genesis block, so a replayed chain hashes as before. */
  genesisDate?: string;
};

export async function startHardhatNode(options: HardhatNodeOptions): Promise<HardhatNode> {
  if (options.port !== 0) await requirePortFree(options.host, options.port, "The Hardhat JSON-RPC node");
  const configArgs = options.genesisDate ? ["--config", NODE_CONFIG] : [];
  const child = spawn(
    process.execPath,
    ["--import", EXIT_WITH_PARENT, HARDHAT_CLI, ...configArgs, "node", "--hostname", options.host, "--port", String(options.port)],
    {
      cwd: PROJECT_ROOT,
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group: a terminal's Ctrl-C reaches the devnet, which stops its services
      // first and this node last. Were the node in the devnet's group, it would die at once and
      // the stopping services would log failed chain reads. Stdin still ties it to its parent.
      detached: true,
      env: options.genesisDate ? { ...process.env, CONTINUUM_DEVNET_GENESIS_DATE: options.genesisDate } : process.env,
    },
  );
  let output = "";
  let banner = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    if (banner.length < 4000) banner += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const url = options.port === 0 ? await boundUrl(child, () => banner, () => output) : `http://${options.host}:${options.port}`;
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

/** The URL the node printed once listening, for a node started on port 0. */
async function boundUrl(child: ChildProcess, banner: () => string, output: () => string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = /JSON-RPC server at (http:\/\/[^/\s]+)/.exec(banner());
    if (match) return match[1];
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new ContinuumError("CHAIN_START_FAILED", `The Hardhat node did not report its address:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
