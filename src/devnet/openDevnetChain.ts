// Starts the devnet's chain from its data directory: resumes the recorded chain with the
// deployment made on it, or starts a fresh one. A chain that cannot be resumed is moved aside
// with everything bound to it (never deleted) and replaced by a fresh chain, with a message.
import { join } from "node:path";
import { readDeploymentFile } from "../chain/deploymentFile.ts";
import type { Deployment } from "../chain/deployProtocol.ts";
import type { Logger } from "../core/logger.ts";
import { ChainJournalError } from "./chain/ChainJournalError.ts";
import { callJsonRpc } from "./chain/jsonRpc.ts";
import { startPersistentChain, type PersistentChain } from "./chain/persistentChain.ts";
import { DEVNET_CHAIN_DIR, moveChainStateAside } from "./devnetState.ts";
import type { ChainNodeKind } from "./chainNode.ts";

export type DevnetChain = {
  readonly chain: PersistentChain;
  /** The deployment found on a resumed chain; undefined on a fresh chain, which the caller seeds. */
  readonly deployment: Deployment | undefined;
};

type OpenOptions = { dataDir: string; host: string; port: number; node?: ChainNodeKind; logger?: Logger };

export async function openDevnetChain(options: OpenOptions & { progress: (line: string) => void }): Promise<DevnetChain> {
  try {
    return await resumeOrStart(options);
  } catch (error) {
    if (!(error instanceof ChainJournalError)) throw error;
    const aside = await moveChainStateAside(options.dataDir);
    options.logger?.warn({ err: error, movedTo: aside }, "the recorded devnet chain cannot be resumed");
    options.progress(`the chain in ${options.dataDir} cannot be resumed (${error.message}); it was moved to ${aside} with its databases; starting a fresh chain`);
    return resumeOrStart(options);
  }
}

async function resumeOrStart(options: OpenOptions): Promise<DevnetChain> {
  const chain = await startPersistentChain({ chainDir: join(options.dataDir, DEVNET_CHAIN_DIR), host: options.host, port: options.port, node: options.node, logger: options.logger });
  if (chain.resumedAt === undefined) return { chain, deployment: undefined };
  try {
    return { chain, deployment: await deploymentOnChain(join(options.dataDir, "deployment.json"), chain.url) };
  } catch (error) {
    await chain.close();
    throw error;
  }
}

/** The deployment file of the resumed chain, checked against it: same chain id, protocol code present. */
async function deploymentOnChain(path: string, rpcUrl: string): Promise<Deployment> {
  let deployment: Deployment;
  try {
    deployment = await readDeploymentFile(path);
  } catch (error) {
    throw new ChainJournalError("CHAIN_STATE_INCOMPLETE", `the chain journal has no usable deployment beside it (${path})`, { path }, { cause: error });
  }
  const chainId = BigInt(await callJsonRpc<string>(rpcUrl, "eth_chainId")).toString();
  const code = await callJsonRpc<string>(rpcUrl, "eth_getCode", [deployment.continuum, "latest"]);
  if (chainId !== deployment.chainId || code === "0x") {
    throw new ChainJournalError("CHAIN_STATE_INCOMPLETE", `${path} does not describe the recorded chain (no protocol at ${deployment.continuum})`, { path });
  }
  return deployment;
}
