// Runs the real `continuum` CLI as a child process, and starts a real Hardhat JSON-RPC node with
// the protocol deployed and deployment.json written into a temporary data directory.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, JsonRpcProvider, parseEther, parseUnits, type JsonRpcSigner } from "ethers";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import type { Deployment } from "../../../src/chain/deployProtocol.ts";
import { startHardhatNode, type HardhatNode } from "../../../src/devnet/hardhatNode.ts";
import { seedDevnet } from "../../../src/devnet/seedDevnet.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { freePort } from "../../helpers/freePort.ts";

const CLI = join(import.meta.dirname, "../../../bin/continuum.ts");

/** Global options that make new key files cheap to create (scrypt N = 2^10) in tests. */
export const FAST_KDF = ["--scrypt-log-n", "10"];
export const PASSWORD = "correct horse battery staple";

export type CliRun = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `continuum <args>` with a clean environment (no inherited CONTINUUM_*, IPFS or database
 * settings). `onStderr` hears the whole stderr so far each time more arrives.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; onStderr?: (stderr: string) => void } = {},
): Promise<CliRun> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CONTINUUM_|IPFS_API_URL$|DATABASE_URL$)/.test(name)),
  );
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...inherited, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    options.onStderr?.(stderr);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export type CliDevnet = {
  node: HardhatNode;
  dataDir: TemporaryDirectory;
  deployment: Deployment & { rpcUrl: string };
  provider: JsonRpcProvider;
  /** Sends ETH for gas and `tokens` devnet tokens from the deployer to `address`. */
  fund(address: string, tokens: string): Promise<void>;
  stop(): Promise<void>;
};

export async function startCliDevnet(): Promise<CliDevnet> {
  const node = await startHardhatNode({ host: "127.0.0.1", port: await freePort() });
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const dataDir = await createTemporaryDirectory("continuum-cli-");
  try {
    const [deployer] = await provider.listAccounts();
    const deployment = { rpcUrl: node.url, ...(await seedDevnet(deployer, [deployer.address])) };
    await writeFile(join(dataDir.path, "deployment.json"), `${JSON.stringify(deployment, null, 2)}\n`);
    return {
      node,
      dataDir,
      deployment,
      provider,
      fund: (address, tokens) => fund(deployer, deployment.token, address, tokens),
      stop: async () => {
        provider.destroy();
        await node.stop();
        await dataDir.remove();
      },
    };
  } catch (error) {
    provider.destroy();
    await node.stop();
    await dataDir.remove();
    throw error;
  }
}

export type CliWallet = {
  devnet: CliDevnet;
  /** `--data-dir <the devnet's data dir>`, where the wallet's key file lives. */
  global: string[];
  address: string;
  keyFile: string;
};

/** A CLI devnet with one wallet created by `continuum wallet create` (password PASSWORD) and funded with `tokens`. */
export async function startCliDevnetWithWallet(tokens: string): Promise<CliWallet> {
  const devnet = await startCliDevnet();
  try {
    const global = ["--data-dir", devnet.dataDir.path];
    const created = await runCli([...FAST_KDF, ...global, "--json", "wallet", "create"], { env: { CONTINUUM_PASSWORD: PASSWORD } });
    if (created.code !== 0) throw new Error(`continuum wallet create failed (${created.code}):\n${created.stderr}`);
    const { address, keyFile } = JSON.parse(created.stdout) as { address: string; keyFile: string };
    await devnet.fund(address, tokens);
    return { devnet, global, address, keyFile };
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}

/**
 * Mocha hooks for the enclosing describe: before, startCliDevnetWithWallet(tokens); after, its stop.
 * The before hook fills the returned object in, so read it inside tests and hooks only.
 */
export function useCliDevnetWithWallet(tokens: string): CliWallet {
  const wallet = {} as CliWallet;
  before(async () => {
    Object.assign(wallet, await startCliDevnetWithWallet(tokens));
  });
  after(async () => {
    await wallet.devnet?.stop();
  });
  return wallet;
}

async function fund(deployer: JsonRpcSigner, tokenAddress: string, address: string, tokens: string): Promise<void> {
  await (await deployer.sendTransaction({ to: address, value: parseEther("10") })).wait();
  const token = new Contract(tokenAddress, loadArtifact("DevnetToken").abi as never, deployer);
  await (await token.transfer(address, parseUnits(tokens, 18))).wait();
}

/** Asserts the CLI's failure shape: one `error [CODE]: …` line, no stack trace. */
export function errorLine(run: CliRun): { code: string; message: string } {
  const lines = run.stderr.trimEnd().split("\n");
  const last = lines[lines.length - 1] ?? "";
  const match = /^error \[([A-Z0-9_]+)\]: (.+)$/.exec(last);
  if (!match) throw new Error(`expected an error line on stderr, got:\n${run.stderr}`);
  if (/\n\s+at /.test(run.stderr)) throw new Error(`stack trace on stderr:\n${run.stderr}`);
  return { code: match[1]!, message: match[2]! };
}
