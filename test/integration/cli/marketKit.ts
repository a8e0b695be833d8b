// The whole devnet (Hardhat node, market with indexer and matcher, SMS, IPFS gateway) for CLI
// tests of the market commands, with one CLI data directory holding the deployment and one key
// file per role, each funded with ETH and devnet tokens.
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, parseEther, parseUnits } from "ethers";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import { startHttpServer } from "../../../src/http/index.ts";
import { createMarketApp } from "../../../src/market/http/createMarketApp.ts";
import { createAuditRoutes } from "../../../src/market/routes/audit.ts";
import { createRequestStatusRoutes } from "../../../src/market/routes/requestStatus.ts";
import type { Devnet } from "../../../src/devnet/startDevnet.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { createTemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { startTestDevnet } from "../../helpers/testDevnet.ts";
import { FAST_KDF, PASSWORD, runCli, type CliRun } from "./cliTestKit.ts";

export type Role = "provider" | "developer" | "owner" | "requester" | "stranger";
export const ROLES: readonly Role[] = ["provider", "developer", "owner", "requester", "stranger"];

export type MarketDevnet = {
  devnet: Devnet;
  /** The devnet's data directory (chain, attestation, databases). */
  devnetDir: string;
  cliDir: string;
  addresses: Record<Role, string>;
  /** Runs the CLI as `role` against the devnet's market and SMS; `--json` parses stdout. */
  as(role: Role, args: readonly string[], options?: { env?: Record<string, string> }): Promise<CliRun>;
  json(role: Role, args: readonly string[]): Promise<any>;
  contract(name: "Continuum" | "DatasetRegistry" | "AppRegistry"): Contract;
  stop(): Promise<void>;
};

export async function startMarketDevnet(): Promise<MarketDevnet> {
  const cliDir = await createTemporaryDirectory("continuum-cli-market-");
  const running = await startTestDevnet({ compute: false }).catch(async (error: unknown) => {
    await cliDir.remove();
    throw error;
  });
  const { devnet } = running;
  const stop = async () => {
    await running.close();
    await cliDir.remove();
  };
  try {
    // The CLI keeps its own data dir (its embedded IPFS node must not share the devnet's).
    await copyFile(devnet.deploymentFile, join(cliDir.path, "deployment.json"));
    const env = { CONTINUUM_PASSWORD: PASSWORD };
    const globals = (role: Role) => [
      "--data-dir", cliDir.path,
      "--key-file", join(cliDir.path, `${role}.json`),
      "--market-url", devnet.market.url,
      "--sms-url", devnet.sms.url,
    ];
    const as = (role: Role, args: readonly string[], options: { env?: Record<string, string> } = {}) =>
      runCli([...globals(role), ...args], { env: { ...env, ...options.env } });
    const json = async (role: Role, args: readonly string[]) => {
      const run = await as(role, ["--json", ...args]);
      if (run.code !== 0) throw new Error(`continuum ${args.join(" ")} failed (${run.code}):\n${run.stderr}`);
      return JSON.parse(run.stdout);
    };
    const addresses = {} as Record<Role, string>;
    const funder = devnet.accounts[0]!;
    const token = new Contract(devnet.deployment.token, loadArtifact("DevnetToken").abi as never, funder);
    for (const role of ROLES) {
      const created = await runCli([...FAST_KDF, ...globals(role), "--json", "wallet", "create"], { env });
      if (created.code !== 0) throw new Error(created.stderr);
      addresses[role] = JSON.parse(created.stdout).address;
      await (await funder.sendTransaction({ to: addresses[role], value: parseEther("10") })).wait();
      await (await token.transfer(addresses[role], parseUnits("1000", 18))).wait();
    }
    const contract = (name: "Continuum" | "DatasetRegistry" | "AppRegistry") => {
      const address = { Continuum: devnet.deployment.continuum, DatasetRegistry: devnet.deployment.datasetRegistry, AppRegistry: devnet.deployment.appRegistry }[name];
      return new Contract(address, loadArtifact(name).abi as never, devnet.provider);
    };
    return { devnet, devnetDir: running.dataDir, cliDir: cliDir.path, addresses, as, json, contract, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type AuditServer = { url: string; close(): Promise<void> };

/**
 * The market's auditor and request-status routes over the devnet market's own ledger and book,
 * served on a second loopback port (the devnet's market process serves orders).
 */
export async function startAuditServer(m: MarketDevnet): Promise<AuditServer> {
  const { ledger, book } = m.devnet.market;
  const app = createMarketApp({
    modules: [createAuditRoutes(ledger), createRequestStatusRoutes(ledger, { book })],
    bodyLimitBytes: 64 * 1_024,
    rateLimitPerMinute: 100_000,
    logger: silentLogger(),
  });
  const server = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  return { url: server.url, close: () => server.close() };
}
