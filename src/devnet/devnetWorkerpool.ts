// The devnet's own workerpool: registered to test account #3 ("the city's compute provider"),
// with escrow deposited for its stakes, so its scheduler and workers can serve deals at once.
import { Contract, parseUnits, type JsonRpcSigner } from "ethers";
import { loadArtifact } from "../chain/artifacts.ts";
import type { Deployment } from "../chain/deployProtocol.ts";
import { ContinuumError } from "../core/ContinuumError.ts";

/** Account index of the devnet workerpool's owner; its scheduler signs with this key. */
export const DEVNET_POOL_OWNER_ACCOUNT = 3;
/** Account indexes whose keys identify the devnet's two workers (they send no transactions). */
export const DEVNET_WORKER_ACCOUNTS = [5, 6] as const;
/** Escrow the pool owner deposits to cover workerpool stakes. */
export const DEVNET_POOL_DEPOSIT = parseUnits("10000", 18);

export async function registerDevnetWorkerpool(deployment: Deployment, owner: JsonRpcSigner): Promise<bigint> {
  const registry = new Contract(deployment.workerpoolRegistry, loadArtifact("WorkerpoolRegistry").abi as never, owner);
  const receipt = await (await registry.getFunction("registerWorkerpool")(owner.address, "City of Lyon compute pool (devnet)")).wait();
  const registered = receipt.logs
    .map((log: { topics: string[]; data: string }) => registry.interface.parseLog(log))
    .find((parsed: { name: string } | null) => parsed?.name === "WorkerpoolRegistered");
  if (!registered) throw new ContinuumError("DEVNET_SEED_FAILED", "registering the devnet workerpool emitted no WorkerpoolRegistered event");
  const token = new Contract(deployment.token, loadArtifact("DevnetToken").abi as never, owner);
  await (await token.getFunction("approve")(deployment.continuum, DEVNET_POOL_DEPOSIT)).wait();
  const continuum = new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, owner);
  await (await continuum.getFunction("deposit")(DEVNET_POOL_DEPOSIT)).wait();
  return registered.args.workerpool as bigint;
}
