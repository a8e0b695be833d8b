// The runtime code behind a deployment: its hashes are recorded when the protocol is deployed, and
// every service compares them with the chain before it trusts an address, so a file pointing at
// another chain, a reset chain or other contracts is refused instead of misread.
import { keccak256, type Provider } from "ethers";
import { ContinuumError } from "../core/ContinuumError.ts";

export const DEPLOYED_CONTRACTS = ["token", "continuum", "appRegistry", "datasetRegistry", "workerpoolRegistry"] as const;
export type DeployedContract = (typeof DEPLOYED_CONTRACTS)[number];

export type DeploymentCodeErrorCode = "DEPLOYMENT_NOT_ON_CHAIN" | "DEPLOYMENT_CODE_MISMATCH";
export class DeploymentCodeError extends ContinuumError<DeploymentCodeErrorCode> {}

type Addresses = Record<DeployedContract, string>;

/** keccak256 of the runtime code at each address ("0x" code hashes as keccak256("0x"), never matching a contract). */
export async function readCodeHashes(provider: Provider, addresses: Addresses): Promise<Record<DeployedContract, string>> {
  const codes = await Promise.all(DEPLOYED_CONTRACTS.map((name) => provider.getCode(addresses[name])));
  return Object.fromEntries(DEPLOYED_CONTRACTS.map((name, index) => [name, keccak256(codes[index]!)])) as Record<DeployedContract, string>;
}

/**
 * Checks that every contract of the deployment has code on the chain, exactly the code deployed. Fails with DEPLOYMENT_NOT_ON_CHAIN
 * (an address without code) or DEPLOYMENT_CODE_MISMATCH (other code), naming the contract.
 */
export async function verifyDeploymentCode(provider: Provider, deployment: Addresses & { chainId: string; codeHashes: Record<DeployedContract, string> }): Promise<void> {
  const codes = await Promise.all(DEPLOYED_CONTRACTS.map((name) => provider.getCode(deployment[name])));
  DEPLOYED_CONTRACTS.forEach((name, index) => {
    const code = codes[index]!;
    const address = deployment[name];
    if (code === "0x") {
      throw new DeploymentCodeError(
        "DEPLOYMENT_NOT_ON_CHAIN",
        `no contract at ${address} (${name}) on chain ${deployment.chainId}: the deployment file belongs to another chain, or the chain was reset after it was written`,
        { contract: name, address, chainId: deployment.chainId },
      );
    }
    const expected = deployment.codeHashes[name];
    const actual = keccak256(code);
    if (expected.toLowerCase() !== actual) {
      throw new DeploymentCodeError(
        "DEPLOYMENT_CODE_MISMATCH",
        `the code at ${address} (${name}) on chain ${deployment.chainId} is not the code deployed there: its hash is ${actual}, the deployment recorded ${expected}`,
        { contract: name, address, chainId: deployment.chainId, expected, actual },
      );
    }
  });
}
