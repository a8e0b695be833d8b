// Before a service trusts any address in its deployment, the node it talks to must be the chain
// the deployment was made on (and the one configured, when `chain.chainId` is set), holding the
// code deployed there.
import type { Provider } from "ethers";
import { ContinuumError } from "../core/ContinuumError.ts";
import type { Deployment } from "./deployProtocol.ts";
import { verifyDeploymentCode } from "./deploymentCode.ts";

/**
 * The node's chain id; fails with code CHAIN_MISMATCH when it is not the deployment's (or the
 * configured) chain. A node that cannot be reached rejects with the provider's own error.
 */
export async function chainIdMatching(provider: Provider, deployment: Deployment, configuredChainId?: number): Promise<bigint> {
  const { chainId } = await provider.getNetwork();
  const expected = [BigInt(deployment.chainId), ...(configuredChainId === undefined ? [] : [BigInt(configuredChainId)])];
  if (expected.some((id) => id !== chainId)) {
    throw new ContinuumError("CHAIN_MISMATCH", `the node reports chain ${chainId}, but the deployment is for chain ${expected.join(" / ")}`, {
      node: chainId.toString(),
      expected: expected.map(String),
    });
  }
  return chainId;
}

/**
 * What a service checks before it starts: the node is the deployment's chain (chainIdMatching) and
 * holds exactly the code deployed at every address (verifyDeploymentCode). Returns the chain id.
 */
export async function deploymentOnChain(provider: Provider, deployment: Deployment, configuredChainId?: number): Promise<bigint> {
  const chainId = await chainIdMatching(provider, deployment, configuredChainId);
  await verifyDeploymentCode(provider, deployment);
  return chainId;
}
