// `continuum protocol deploy`: deploys the registries and the protocol to the chain at --rpc-url
// from the account's key file, paying in an existing ERC-20 (checked first) or a new devnet token,
// and writes the deployment every service and command reads: <data-dir>/deployments/<chain id>.json
// and the active deployment file (chain.deploymentFile, <data-dir>/deployment.json by default).
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Contract, JsonRpcProvider, getAddress, isError, type Provider } from "ethers";
import { loadArtifact } from "../chain/artifacts.ts";
import { DEFAULT_STAKE_RATIO_BPS, deployProtocol, type Deployment } from "../chain/deployProtocol.ts";
import { loadAccountWallet } from "./accountKey.ts";
import type { CliContext } from "./context.ts";
import { CliError, toContinuumError } from "./errors.ts";

export type ProtocolDeployOptions = {
  /** An existing ERC-20 to pay in; absent, a DevnetToken owned by the deployer is deployed. */
  token?: string;
  smsSigner?: string;
  owner?: string;
  stakeRatioBps?: number;
  /** Replace deployment files that already exist. */
  force?: boolean;
};

/** What the deployment files hold: the deployment, where it was made, and how. */
export type DeploymentRecord = Deployment & {
  rpcUrl: string;
  owner: string;
  deployer: string;
  paymentToken: "existing" | "devnet";
  deployedAt: string;
};

export function keyedDeploymentFile(dataDir: string, chainId: bigint | string): string {
  return join(dataDir, "deployments", `${chainId}.json`);
}

export async function deployProtocolFromCli(context: CliContext, options: ProtocolDeployOptions): Promise<{ record: DeploymentRecord; files: string[] }> {
  const { config, output } = context;
  const rpcUrl = config.chain.rpcUrl;
  const wallet = await loadAccountWallet(context);
  const provider = new JsonRpcProvider(rpcUrl, undefined, { cacheTimeout: -1, pollingInterval: 250 });
  try {
    const chainId = await reach(provider, rpcUrl);
    if (config.chain.chainId !== undefined && BigInt(config.chain.chainId) !== chainId) {
      throw new CliError("CHAIN_MISMATCH", `The node at ${rpcUrl} runs chain ${chainId}, but chain.chainId is ${config.chain.chainId}`, {
        rpcUrl,
        chainId: chainId.toString(),
        configured: config.chain.chainId,
      });
    }
    const files = [keyedDeploymentFile(config.dataDir, chainId), config.chain.deploymentFile];
    const existing = files.filter((file) => existsSync(file));
    if (existing.length > 0 && options.force !== true) {
      throw new CliError("DEPLOYMENT_EXISTS", `A deployment file already exists at ${existing.join(" and ")}: pass --force to replace it, or choose another --data-dir`, {
        files: existing,
      });
    }
    if (options.token !== undefined) await requireErc20(provider, options.token);
    if ((await provider.getBalance(wallet.address)) === 0n) {
      throw new CliError("INSUFFICIENT_FUNDS", `The deployer ${wallet.address} holds no ETH on chain ${chainId} to pay for gas`, { account: wallet.address });
    }
    output.status(`deploying the protocol to chain ${chainId} at ${rpcUrl} from ${wallet.address} ...`);
    const deployment = await deployProtocol(wallet.connect(provider), {
      token: options.token,
      smsSigner: options.smsSigner,
      owner: options.owner,
      stakeRatioBps: options.stakeRatioBps === undefined ? undefined : BigInt(options.stakeRatioBps),
    }).catch((error: unknown) => {
      throw deployFailure(error, wallet.address);
    });
    const record: DeploymentRecord = {
      rpcUrl,
      ...deployment,
      owner: getAddress(options.owner ?? wallet.address),
      deployer: wallet.address,
      paymentToken: options.token === undefined ? "devnet" : "existing",
      deployedAt: new Date().toISOString(),
    };
    const text = `${JSON.stringify(record, null, 2)}\n`;
    for (const file of [...new Set(files)]) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    }
    return { record, files: [...new Set(files)] };
  } finally {
    provider.destroy();
  }
}

/** The stake ratio a deployment starts with when none is given. */
export const DEFAULT_STAKE_RATIO = Number(DEFAULT_STAKE_RATIO_BPS);

async function reach(provider: Provider, rpcUrl: string): Promise<bigint> {
  try {
    return (await provider.getNetwork()).chainId;
  } catch (cause) {
    throw new CliError("CHAIN_UNREACHABLE", `Cannot reach a JSON-RPC node at ${rpcUrl}`, { rpcUrl }, { cause });
  }
}

/** An ERC-20 answers decimals, symbol and totalSupply; anything else is refused before gas is spent. */
async function requireErc20(provider: Provider, address: string): Promise<void> {
  if ((await provider.getCode(address)) === "0x") {
    throw new CliError("TOKEN_NOT_ERC20", `No contract at ${address}: --token must be the address of an ERC-20 on this chain`, { token: address });
  }
  const token = new Contract(address, loadArtifact("DevnetToken").abi as never, provider);
  try {
    await Promise.all([token.getFunction("decimals")(), token.getFunction("symbol")(), token.getFunction("totalSupply")()]);
  } catch (cause) {
    throw new CliError("TOKEN_NOT_ERC20", `The contract at ${address} does not answer as an ERC-20 (decimals, symbol, totalSupply)`, { token: address }, { cause });
  }
}

function deployFailure(error: unknown, account: string) {
  if (isError(error, "INSUFFICIENT_FUNDS")) {
    return new CliError("INSUFFICIENT_FUNDS", `The deployer ${account} has not enough ETH to pay for the deployment`, { account });
  }
  if (isError(error, "CALL_EXCEPTION")) {
    return new CliError("TRANSACTION_REVERTED", `A deployment transaction reverted: ${error.shortMessage}`);
  }
  return toContinuumError(error);
}
