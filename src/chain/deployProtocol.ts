// Deploys the protocol (registries, protocol contract and, on devnets, the payment token) from
// one signer, and describes the deployment for every other component.
import { ContractFactory, ZeroAddress, type BaseContract, type Signer } from "ethers";
import { loadArtifact, type ContractName } from "./artifacts.ts";
import { readCodeHashes, type DeployedContract } from "./deploymentCode.ts";

export type Deployment = {
  chainId: string;
  deployBlock: number;
  token: string;
  continuum: string;
  appRegistry: string;
  datasetRegistry: string;
  workerpoolRegistry: string;
  /** keccak256 of each contract's runtime code as deployed; services refuse a chain whose code differs (deploymentCode.ts). */
  codeHashes: Record<DeployedContract, string>;
};

export type DeployOptions = {
  /** Existing payment token; a DevnetToken owned by the deployer is deployed when absent. */
  token?: string;
  /** Protocol owner; defaults to the deployer. */
  owner?: string;
  /** Workerpool stake per task in basis points of its price (default 3000 = 30%). */
  stakeRatioBps?: bigint;
  /**
   * The SMS's signing address (its EnclaveAttested and TaskFailure verdicts). Without it, TEE
   * results need no SMS attestation and failTask is unavailable until the owner calls setSmsSigner.
   */
  smsSigner?: string;
};

export const DEFAULT_STAKE_RATIO_BPS = 3000n;

async function deploy(name: ContractName, signer: Signer, args: unknown[]): Promise<BaseContract> {
  const artifact = loadArtifact(name);
  const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract as BaseContract;
}

export async function deployProtocol(signer: Signer, options: DeployOptions = {}): Promise<Deployment> {
  const provider = signer.provider;
  if (!provider) throw new Error("deployProtocol needs a signer connected to a provider");
  const deployer = await signer.getAddress();
  const deployBlock = await provider.getBlockNumber();
  const token = options.token ?? (await (await deploy("DevnetToken", signer, [deployer])).getAddress());
  const apps = await (await deploy("AppRegistry", signer, [])).getAddress();
  const datasets = await (await deploy("DatasetRegistry", signer, [])).getAddress();
  const pools = await (await deploy("WorkerpoolRegistry", signer, [])).getAddress();
  const continuum = await deploy("Continuum", signer, [
    token,
    apps,
    datasets,
    pools,
    options.owner ?? deployer,
    options.stakeRatioBps ?? DEFAULT_STAKE_RATIO_BPS,
    options.smsSigner ?? ZeroAddress,
  ]);
  const network = await provider.getNetwork();
  const addresses = { token, continuum: await continuum.getAddress(), appRegistry: apps, datasetRegistry: datasets, workerpoolRegistry: pools };
  return { chainId: network.chainId.toString(), deployBlock, ...addresses, codeHashes: await readCodeHashes(provider, addresses) };
}
