// A marketplace on the in-process Hardhat network for the ingest benchmark: the protocol plus
// several apps, datasets, workerpools and categories owned by local keys (so signing needs no
// node round trip), and requesters and workerpool owners with escrow deposits.
import { Wallet, hexlify, randomBytes, type Contract, type TypedDataDomain } from "ethers";
import { FUNDS, MAX_RUN_TIME, loadProtocol, type Fixture } from "../../../test/helpers/protocolFixture.ts";

export type DevnetLayout = {
  apps: number;
  datasets: number;
  workerpools: number;
  /** Categories in all, the fixture's first one included. */
  categories: number;
  requesters: number;
  /** Distinct owners of each asset kind (assets are dealt to them in turn). */
  ownersPerKind: number;
};

export type OwnedAsset = { id: bigint; owner: Wallet };

export type MarketDevnet = {
  fixture: Fixture;
  domain: TypedDataDomain;
  apps: OwnedAsset[];
  datasets: OwnedAsset[];
  workerpools: OwnedAsset[];
  categories: bigint[];
  requesters: Wallet[];
  /** An expiry (chain seconds) far beyond any benchmark run. */
  expiry: bigint;
};

export const DEFAULT_LAYOUT: DevnetLayout = { apps: 8, datasets: 8, workerpools: 4, categories: 4, requesters: 6, ownersPerKind: 3 };

const DEPOSIT = FUNDS / 100n;

function localKeys(count: number): Wallet[] {
  return Array.from({ length: count }, () => new Wallet(hexlify(randomBytes(32))));
}

/** Sends `method(...args)` and returns what it returned (read first with a static call: blocks are mined one per transaction). */
async function sendReturning(contract: Contract, method: string, args: unknown[]): Promise<bigint> {
  const fn = contract.getFunction(method);
  const value = (await fn.staticCall(...args)) as bigint;
  await (await fn.send(...args)).wait();
  return value;
}

async function register(count: number, owners: Wallet[], registerOne: (owner: Wallet, index: number) => Promise<bigint>): Promise<OwnedAsset[]> {
  const assets: OwnedAsset[] = [];
  for (let index = 0; index < count; index++) {
    const owner = owners[index % owners.length]!;
    assets.push({ id: await registerOne(owner, index), owner });
  }
  return assets;
}

/** Deploys (or reverts to) the protocol and adds the benchmark's assets, categories and deposits. */
export async function deployMarketDevnet(layout: DevnetLayout = DEFAULT_LAYOUT): Promise<MarketDevnet> {
  const f = await loadProtocol();
  const digest = () => hexlify(randomBytes(32));
  const apps = await register(layout.apps, localKeys(layout.ownersPerKind), (owner, i) =>
    sendReturning(f.apps, "registerApp", [owner.address, `bench-app-${i}`, `bafybenchapp${i}`, digest(), digest()]),
  );
  const datasets = await register(layout.datasets, localKeys(layout.ownersPerKind), (owner, i) =>
    sendReturning(f.datasets, "registerDataset", [owner.address, `bench-dataset-${i}`, `bafybenchdata${i}`, digest()]),
  );
  const workerpools = await register(layout.workerpools, localKeys(layout.ownersPerKind), (owner, i) =>
    sendReturning(f.pools, "registerWorkerpool", [owner.address, `bench pool ${i}`]),
  );
  const categories = [1n];
  while (categories.length < layout.categories) {
    categories.push(await sendReturning(f.continuum, "createCategory", [`bench-${categories.length}`, "bench category", MAX_RUN_TIME]));
  }
  const requesters = localKeys(layout.requesters);
  const funded = [...requesters.map((wallet) => wallet.address), ...new Set(workerpools.map((pool) => pool.owner.address))];
  await (await f.token.getFunction("mint").send(f.deployer.address, DEPOSIT * BigInt(funded.length))).wait();
  await (await f.token.getFunction("approve").send(f.deployment.continuum, DEPOSIT * BigInt(funded.length))).wait();
  for (const account of funded) await (await f.continuum.getFunction("depositFor").send(account, DEPOSIT)).wait();
  const latest = await f.ethers.provider.getBlock("latest");
  return {
    fixture: f, domain: f.domain, apps, datasets, workerpools, categories, requesters,
    expiry: BigInt(latest!.timestamp) + 30n * 86_400n,
  };
}
