// The devnet's one configuration: the environment (and the file CONTINUUM_CONFIG names) under the
// devnet's own choices — loopback ports, its matcher and SMS keys, brisk chain polling — read alike
// by the market, the SMS, the gateway, the workerpool's scheduler and its workers.
import { loadConfig, type Config, type Environment } from "../config/index.ts";

export const DEVNET_HOST = "127.0.0.1";

/** How often the devnet's services poll its chain and match: a local node mines at once. */
const DEVNET_POLL_MS = 500;

export type DevnetConfigInputs = {
  dataDir: string;
  rpcUrl: string;
  marketPort: number;
  smsPort: number;
  gatewayPort: number;
  /** 0 picks a free port. */
  schedulerPort: number;
  /** Private key of the wallet that sends matchOrders. */
  matcherKey: string;
  smsMasterKey: string;
  /** The SMS's attestation: the devnet root it trusts and the devnet collateral service. */
  attestation: { trustedRootFile: string; collateralUrl: string };
  env: Environment;
};

const DEVNET_SCHEDULER_CHECK_MS = 5_000;

export function devnetConfig(inputs: DevnetConfigInputs): Config {
  return loadConfig({
    env: inputs.env,
    overrides: {
      dataDir: inputs.dataDir,
      chain: { rpcUrl: inputs.rpcUrl },
      market: {
        host: DEVNET_HOST,
        port: inputs.marketPort,
        matcherKey: inputs.matcherKey,
        matchIntervalMs: DEVNET_POLL_MS,
        indexIntervalMs: DEVNET_POLL_MS,
        // The explorer follows the devnet's workers (and an autoscaled fleet) within seconds.
        schedulerCheckIntervalMs: DEVNET_SCHEDULER_CHECK_MS,
      },
      sms: { host: DEVNET_HOST, port: inputs.smsPort, masterKey: inputs.smsMasterKey, attestation: inputs.attestation },
      scheduler: { host: DEVNET_HOST, port: inputs.schedulerPort, indexIntervalMs: DEVNET_POLL_MS },
      gateway: { host: DEVNET_HOST, port: inputs.gatewayPort },
    },
  });
}
