// Seeds a fresh devnet: deploys the protocol, creates compute categories and funds the test
// accounts with devnet tokens, so every role can act at once.
import { Contract, parseUnits, type JsonRpcSigner } from "ethers";
import { deployProtocol, type Deployment } from "../chain/deployProtocol.ts";
import { loadArtifact } from "../chain/artifacts.ts";

export const DEVNET_CATEGORIES = [
  { name: "S", description: "1 vCPU, 2 GiB RAM, no GPU", maxRunTime: 60n },
  { name: "M", description: "2 vCPU, 8 GiB RAM, no GPU", maxRunTime: 300n },
  { name: "L", description: "8 vCPU, 32 GiB RAM, 1 GPU", maxRunTime: 1800n },
] as const;

export const DEVNET_FUNDING = parseUnits("1000000", 18);

export async function seedDevnet(deployer: JsonRpcSigner, accounts: string[]): Promise<Deployment> {
  const deployment = await deployProtocol(deployer);
  const continuum = new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, deployer);
  for (const category of DEVNET_CATEGORIES) {
    await (await continuum.createCategory(category.name, category.description, category.maxRunTime)).wait();
  }
  const token = new Contract(deployment.token, loadArtifact("DevnetToken").abi as never, deployer);
  for (const account of accounts) await (await token.mint(account, DEVNET_FUNDING)).wait();
  return deployment;
}
