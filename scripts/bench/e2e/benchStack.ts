// What the end-to-end benchmark runs its tasks on: the market, SMS and gateway URLs, the
// workerpool, the chain to read pushes from, and the data directory the roles' CLI uses (the
// deployment file, and the IPFS store the gateway serves). Either the devnet in one process tree
// (`startInProcessStack`) or every service as its own OS process (`processStack.ts`).
import { join } from "node:path";
import type { JsonRpcProvider } from "ethers";
import type { ChainNodeKind } from "../../../src/devnet/chainNode.ts";
import { startTestDevnet } from "../../../test/helpers/testDevnet.ts";

export type BenchStack = {
  /** How the stack runs, for the report: e.g. "hardhat, in process". */
  readonly setup: { chain: ChainNodeKind; processes: boolean };
  /** The roles' data directory: deployment.json, and the IPFS store they publish into. */
  readonly dataDir: string;
  /** Where the roles keep their key files and working files. */
  readonly workDir: string;
  readonly marketUrl: string;
  readonly smsUrl: string;
  readonly workerpool: bigint;
  readonly workers: number;
  readonly deployment: { chainId: string; continuum: string };
  readonly provider: JsonRpcProvider;
  /** The gateway serving results; known once `startCompute` resolved. */
  gatewayUrl(): string;
  /** Starts what must wait until apps and datasets are published (separate processes: the gateway, scheduler and workers). */
  startCompute(): Promise<void>;
  close(): Promise<void>;
};

/** The devnet stack of `npm start` (chain node aside, one process), with its two workers. */
export async function startInProcessStack(chain: ChainNodeKind): Promise<BenchStack> {
  const stack = await startTestDevnet({ chain });
  const { devnet } = stack;
  return {
    setup: { chain, processes: false },
    dataDir: stack.dataDir,
    workDir: join(stack.dataDir, "bench"),
    marketUrl: devnet.endpoints.marketUrl,
    smsUrl: devnet.endpoints.smsUrl,
    workerpool: devnet.compute!.workerpool,
    workers: devnet.compute!.workers.length,
    deployment: devnet.deployment,
    provider: devnet.provider,
    gatewayUrl: () => devnet.endpoints.gatewayUrl,
    startCompute: async () => undefined,
    close: () => stack.close(),
  };
}
