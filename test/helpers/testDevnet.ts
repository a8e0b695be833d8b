// A whole devnet stack for end-to-end tests: startDevnet on free loopback ports in a temporary data
// directory, removed again on close; and the polling helper those tests wait with.
import type { Environment } from "../../src/config/index.ts";
import { startDevnet, type Devnet } from "../../src/devnet/startDevnet.ts";
import type { ChainNodeKind } from "../../src/devnet/chainNode.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { createTemporaryDirectory } from "../../src/persistence/testing/index.ts";
import { freePort } from "./freePort.ts";

export type TestDevnet = { devnet: Devnet; dataDir: string; close(): Promise<void> };

export async function startTestDevnet(options: { compute?: boolean; env?: Environment; chain?: ChainNodeKind } = {}): Promise<TestDevnet> {
  const directory = await createTemporaryDirectory("continuum-devnet-e2e-");
  try {
    const devnet = await startDevnet({
      chain: options.chain,
      dataDir: directory.path,
      rpcPort: await freePort(),
      marketPort: await freePort(),
      smsPort: await freePort(),
      gatewayPort: await freePort(),
      collateralPort: 0,
      schedulerPort: 0,
      compute: options.compute ?? true,
      env: options.env,
      logger: silentLogger(),
    });
    return {
      devnet,
      dataDir: directory.path,
      close: async () => {
        await devnet.close();
        await directory.remove();
      },
    };
  } catch (error) {
    await directory.remove();
    throw error;
  }
}

/** Polls `probe` until it returns something truthy; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
