// The protocol owner's documented path (README, "Deploying to another chain"), run through the
// real CLI as child processes: import the owner's key, `protocol deploy --rpc-url`, then
// `protocol category add` for each compute category; later `protocol sms-signer set` once the
// SMS has printed its signer. For tests and benchmarks that deploy the way organisations do.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DeploymentRecord } from "../../src/cli/protocolDeploy.ts";
import { FAST_KDF, runCli } from "../integration/cli/cliTestKit.ts";

export type CliCategory = { name: string; description: string; maxRunTime: bigint | number };

export type CliProtocolOwner = {
  /** The owner's data directory: deployment.json and deployments/<chain id>.json. */
  dataDir: string;
  keyFile: string;
  rpcUrl: string;
  /** `continuum --json <args>` as the protocol owner; throws with stderr on a non-zero exit. */
  json(args: readonly string[]): Promise<Record<string, any>>;
  /** The deployment file protocol deploy wrote, as text (to hand to the other organisations). */
  deploymentText(): Promise<string>;
};

export type CliDeployOptions = {
  rpcUrl: string;
  dataDir: string;
  /** The owner's funded private key (0x-hex). */
  privateKey: string;
  password: string;
  categories: readonly CliCategory[];
};

/** Deploys the protocol and creates the categories; resolves with the deployment record `protocol deploy` printed. */
export async function deployProtocolWithCli(options: CliDeployOptions): Promise<{ owner: CliProtocolOwner; record: DeploymentRecord; categories: string[] }> {
  const keyFile = join(options.dataDir, "protocol-owner.json");
  const env = { CONTINUUM_PASSWORD: options.password };
  const json = async (args: readonly string[]) => {
    const run = await runCli(["--json", "--rpc-url", options.rpcUrl, "--data-dir", options.dataDir, "--key-file", keyFile, ...args], { env });
    if (run.code !== 0) throw new Error(`continuum ${args.join(" ")} failed (${run.code}):\n${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, any>;
  };
  const secret = join(options.dataDir, "protocol-owner.private");
  await writeFile(secret, `${options.privateKey}\n`, { mode: 0o600 });
  await json([...FAST_KDF, "wallet", "import", "--private-key-file", secret, "--out", keyFile]);
  const record = (await json(["protocol", "deploy"])) as DeploymentRecord;
  const categories: string[] = [];
  for (const category of options.categories) {
    const added = await json([
      "protocol", "category", "add", "--name", category.name, "--description", category.description, "--max-run-time", String(category.maxRunTime),
    ]);
    categories.push(String(added.id));
  }
  const owner: CliProtocolOwner = {
    dataDir: options.dataDir,
    keyFile,
    rpcUrl: options.rpcUrl,
    json,
    deploymentText: () => readFile(join(options.dataDir, "deployment.json"), "utf8"),
  };
  return { owner, record, categories };
}
