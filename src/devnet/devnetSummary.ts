// What `npm start` prints once the devnet is up, written for people: where each service listens,
// the contracts, and every test account with its private key and the part it plays, under a
// warning that these keys are public.
import { Wallet } from "ethers";
import type { Deployment } from "../chain/deployProtocol.ts";
import { formatTokenAmount, type TokenUnit } from "../core/tokenAmount.ts";
import { DEVNET_MATCHER_ACCOUNT, DEVNET_MNEMONIC, devnetPrivateKey } from "./devnetKeys.ts";
import { DEVNET_POOL_OWNER_ACCOUNT, DEVNET_WORKER_ACCOUNTS } from "./devnetWorkerpool.ts";

export type DevnetAccount = { index: number; address: string; privateKey: string; roles: readonly string[] };

export type DevnetSummaryFacts = {
  chainId: string;
  rpcUrl: string;
  marketUrl: string;
  smsUrl: string;
  gatewayUrl: string;
  /** The embedded IPFS node's address for `continuum worker start --ipfs-peer`; absent with Kubo. */
  ipfsPeer: string | undefined;
  /** The devnet workerpool and its scheduler; absent when started without compute. */
  compute: { workerpool: bigint; schedulerUrl: string; autoscale?: { min: number; max: number } } | undefined;
  deployment: Pick<Deployment, "token" | "continuum" | "appRegistry" | "datasetRegistry" | "workerpoolRegistry">;
  deploymentFile: string;
  token: TokenUnit;
  /** Tokens each funded account received when the chain was seeded. */
  funding: bigint;
  categories: readonly { name: string; maxRunTime: bigint }[];
  accounts: readonly DevnetAccount[];
};

/** The part each devnet account plays in the devnet itself (the demo adds its own roles). */
export function devnetRoles(workerpool: bigint | undefined): Map<number, string[]> {
  const roles = new Map<number, string[]>([[0, ["deployer and owner of the protocol"]]]);
  if (workerpool !== undefined) {
    roles.set(DEVNET_POOL_OWNER_ACCOUNT, [`owner of workerpool ${workerpool}: its scheduler signs and pushes results with this key`]);
    DEVNET_WORKER_ACCOUNTS.forEach((index, i) => roles.set(index, [`worker ${i + 1} of workerpool ${workerpool}: its identity (it sends no transactions)`]));
  }
  roles.set(DEVNET_MATCHER_ACCOUNT, ["the market's matcher: sends matchOrders"]);
  return roles;
}

/** The funded accounts (`addresses`, #0 first) and the matcher's, each with its key and roles. */
export function devnetAccounts(addresses: readonly string[], roles: ReadonlyMap<number, readonly string[]>): DevnetAccount[] {
  const indexes = [...addresses.keys(), DEVNET_MATCHER_ACCOUNT];
  return indexes.map((index) => {
    const privateKey = devnetPrivateKey(index);
    return { index, address: addresses[index] ?? new Wallet(privateKey).address, privateKey, roles: roles.get(index) ?? [] };
  });
}

export function devnetSummaryLines(facts: DevnetSummaryFacts): string[] {
  const services: [string, string][] = [
    ["JSON-RPC", facts.rpcUrl],
    ["market API", `${facts.marketUrl}/v1`],
    ["OpenAPI document", `${facts.marketUrl}/openapi.json`],
    ["live feed (SSE)", `${facts.marketUrl}/v1/feed`],
    ["explorer", `${facts.marketUrl}/explorer`],
    ["SMS", `${facts.smsUrl}/v1`],
    ["IPFS gateway", `${facts.gatewayUrl}/ipfs/<cid>`],
    ...(facts.ipfsPeer === undefined ? [] : [["IPFS peer", `${facts.ipfsPeer}   (for \`continuum worker start --ipfs-peer\`)`] as [string, string]]),
    ...(facts.compute === undefined
      ? []
      : ([
          ["scheduler", `${facts.compute.schedulerUrl}/v1   (workerpool ${facts.compute.workerpool})`],
          [
            "workers",
            facts.compute.autoscale
              ? `${facts.compute.autoscale.min} to ${facts.compute.autoscale.max}, autoscaled on ${facts.compute.schedulerUrl}/v1/queue, each with a fresh key`
              : `${DEVNET_WORKER_ACCOUNTS.length}, with the keys of accounts ${DEVNET_WORKER_ACCOUNTS.map((index) => `#${index}`).join(" and ")} (below)`,
          ],
          [`workerpool ${facts.compute.workerpool}`, `${facts.marketUrl}/explorer/workerpools/${facts.compute.workerpool}`],
        ] as [string, string][])),
  ];
  const { deployment, token } = facts;
  const contracts: [string, string][] = [
    ["token", `${deployment.token}   ${token.symbol}, ${token.decimals} decimals`],
    ["continuum", deployment.continuum],
    ["app registry", deployment.appRegistry],
    ["dataset registry", deployment.datasetRegistry],
    ["workerpool registry", deployment.workerpoolRegistry],
    ["categories", facts.categories.map((category) => `${category.name} (${category.maxRunTime} s)`).join(", ")],
  ];
  const funded = facts.accounts.filter((account) => account.index !== DEVNET_MATCHER_ACCOUNT).length;
  // One value column for both tables.
  const width = Math.max(...[...services, ...contracts].map(([label]) => label.length)) + 2;
  return [
    `Continuum devnet is up (chain id ${facts.chainId})`,
    "",
    "services",
    ...aligned(services, width),
    "",
    `contracts (addresses written to ${facts.deploymentFile})`,
    ...aligned(contracts, width),
    "",
    `test accounts: #0 to #${funded - 1} funded with ${formatTokenAmount(facts.funding, token)} each when the chain was seeded`,
    "  WARNING: these are Hardhat's public test keys, derived from the mnemonic",
    `  "${DEVNET_MNEMONIC}".`,
    "  Anyone can take what they hold on any network: use them on this devnet only.",
    ...facts.accounts.flatMap(accountLines),
  ];
}

function accountLines(account: DevnetAccount): string[] {
  const number = `#${account.index}`.padEnd(4);
  return [`  ${number} ${account.address}  ${account.roles.join("; ")}`.trimEnd(), `       key ${account.privateKey}`];
}

/** "  label      value" rows, the values starting `width` characters after the indent. */
function aligned(rows: readonly [string, string][], width: number): string[] {
  return rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`);
}
