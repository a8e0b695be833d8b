// The SMS signing address the contract accepts verdicts from (Governance.smsSigner), read and set.
import { Contract, type Provider, type Signer } from "ethers";
import { loadArtifact } from "./artifacts.ts";
import type { Deployment } from "./deployProtocol.ts";

function governance(runner: Provider | Signer, deployment: Pick<Deployment, "continuum">): Contract {
  return new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, runner);
}

/** The registered SMS signer; the zero address when none is. */
export async function smsSignerOf(provider: Provider, deployment: Pick<Deployment, "continuum">): Promise<string> {
  return (await governance(provider, deployment).smsSigner()) as string;
}

/** Registers `signer` as the SMS signer (the governor only), and waits for the transaction. */
export async function setSmsSigner(governor: Signer, deployment: Pick<Deployment, "continuum">, signer: string): Promise<void> {
  const tx = await governance(governor, deployment).setSmsSigner(signer);
  await tx.wait();
}
