// Runs Anvil, Foundry's JSON-RPC node from the npm registry (@foundry-rs/anvil), on loopback: the
// devnet's second, independent chain (`npm start -- --chain anvil`) and the one tests use to show
// nothing depends on Hardhat. Same accounts as Hardhat's (the same test mnemonic), chain id 31337.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ContinuumError } from "../core/ContinuumError.ts";
import { requirePortFree } from "./portCheck.ts";

const EXIT_WITH_PARENT = new URL("./chain/exitWithParent.ts", import.meta.url).href;
const ANVIL_PROCESS = new URL("./chain/anvilProcess.ts", import.meta.url).pathname;

/** Matches the Hardhat node's, so the same batches of results fit in a block on either chain. */
const BLOCK_GAS_LIMIT = 60_000_000;
/** Hardhat's node funds 20 accounts (the devnet's matcher is #19); Anvil funds 10 unless told. */
const FUNDED_ACCOUNTS = 20;

export type AnvilNode = { url: string; process: ChildProcess; stop(): Promise<void> };

export type AnvilNodeOptions = {
  host: string;
  /** 0 picks a free port (read back from Anvil's banner). */
  port: number;
  readyTimeoutMs?: number;
  /** Genesis time (ISO date, whole seconds); the same date gives the same genesis block. */
  genesisDate?: string;
  /** Seconds between blocks; absent, Anvil mines one block per transaction, as the Hardhat node does. */
  blockTimeSeconds?: number;
};

/** The Anvil binary of the installed @foundry-rs/anvil-<platform>-<arch> package. */
export function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const packageJson = createRequire(import.meta.url).resolve(`${platformPackage}/package.json`);
    const binary = join(dirname(packageJson), "bin", "anvil");
    if (existsSync(binary)) return binary;
  } catch {
    // Reported below.
  }
  throw new ContinuumError("ANVIL_NOT_INSTALLED", `Anvil is not installed for ${process.platform}-${process.arch}: npm install @foundry-rs/anvil (it brings ${platformPackage})`, {
    package: platformPackage,
  });
}

export async function startAnvilNode(options: AnvilNodeOptions): Promise<AnvilNode> {
  if (options.port !== 0) await requirePortFree(options.host, options.port, "The Anvil JSON-RPC node");
  const args = ["--host", options.host, "--port", String(options.port), "--gas-limit", String(BLOCK_GAS_LIMIT), "--accounts", String(FUNDED_ACCOUNTS)];
  if (options.genesisDate) args.push("--timestamp", String(Math.floor(Date.parse(options.genesisDate) / 1000)));
  if (options.blockTimeSeconds !== undefined) args.push("--block-time", String(options.blockTimeSeconds));
  const child = spawn(process.execPath, ["--import", EXIT_WITH_PARENT, ANVIL_PROCESS, anvilBinary(), ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, like the Hardhat node: Ctrl-C reaches the devnet, which stops the node last.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  const url = await listeningUrl(child, () => output, options.readyTimeoutMs ?? 30_000);
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
  };
}

/** Anvil prints "Listening on host:port" once it serves; it answers from then on. */
async function listeningUrl(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /Listening on ([^\s]+:\d+)/.exec(output());
    if (match) return `http://${match[1]}`;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new ContinuumError("CHAIN_START_FAILED", `Anvil did not start:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
