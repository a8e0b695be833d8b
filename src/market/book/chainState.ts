// What the order book reads from the chain to admit and refresh orders: asset owners and epochs, consumed
// volume, on-chain approvals, escrow balances, the stake ratio, categories and the chain clock.
// Values that change rarely (owners, settings) are cached briefly; volumes and balances never are.
import { Contract, type Provider } from "ethers";
import { loadArtifact } from "../../chain/artifacts.ts";
import type { Deployment } from "../../chain/deployProtocol.ts";
import { decodeAddress, decodeUint, selectorOf, wordCallData } from "../../chain/wordCalls.ts";
import { ChainReadError } from "../../chain/ChainReadError.ts";
import { TtlCache } from "./ttlCache.ts";

export type AssetKind = "app" | "dataset" | "workerpool";

/** Stake ratios are in basis points of the workerpool price. */
export const MAX_STAKE_RATIO_BPS = 10_000n;

/** A registered asset as orders see it: who signs them and the epoch they must sign. */
export type AssetSigner = { owner: string; epoch: bigint };

export interface OrderChainState {
  /** The asset's owner (checksummed) and epoch, or null when no such asset is registered. */
  assetOf(kind: AssetKind, id: bigint): Promise<AssetSigner | null>;
  /** Volume of the order already used by deals; `CANCELLED` once cancelled. */
  consumed(hash: string): Promise<bigint>;
  /** Who approved the order on-chain (zero address when nobody did). */
  approvedBy(hash: string): Promise<string>;
  /** Free escrow balance of an account. */
  escrowBalanceOf(account: string): Promise<bigint>;
  /** Workerpool stake per task in basis points of its price. */
  stakeRatioBps(): Promise<bigint>;
  categoryExists(category: bigint): Promise<boolean>;
  /** Timestamp (seconds) of the latest block: the clock order expiry is judged by. */
  latestTimestamp(): Promise<bigint>;
}

export type ContractOrderStateOptions = {
  provider: Provider;
  deployment: Pick<Deployment, "continuum" | "appRegistry" | "datasetRegistry" | "workerpoolRegistry">;
  /** How long an asset's owner and epoch are trusted without re-reading (default 5 s); matchOrders re-checks anyway. */
  ownerTtlMs?: number;
  /** How long the stake ratio is trusted (default 30 s). */
  settingsTtlMs?: number;
  /** How long the latest block timestamp and the category count are reused (default 1 s). */
  clockTtlMs?: number;
  now?: () => number;
};

type CallException = { revert?: { name?: unknown } | null; data?: unknown };

export class ContractOrderState implements OrderChainState {
  readonly #provider: Provider;
  readonly #continuum: Contract;
  readonly #continuumAddress: string;
  readonly #selectors: Record<"consumed" | "approvedBy" | "balanceOf", string>;
  readonly #registries: Record<AssetKind, Contract>;
  readonly #owners: TtlCache<string, AssetSigner | null>;
  readonly #settings: TtlCache<string, bigint>;
  readonly #clock: TtlCache<string, bigint>;
  #knownCategories = 0n;

  constructor(options: ContractOrderStateOptions) {
    const { provider, deployment } = options;
    this.#provider = provider;
    this.#continuum = new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, provider);
    this.#continuumAddress = deployment.continuum;
    const iface = this.#continuum.interface;
    this.#selectors = { consumed: selectorOf(iface, "consumed"), approvedBy: selectorOf(iface, "approvedBy"), balanceOf: selectorOf(iface, "balanceOf") };
    this.#registries = {
      app: new Contract(deployment.appRegistry, loadArtifact("AppRegistry").abi as never, provider),
      dataset: new Contract(deployment.datasetRegistry, loadArtifact("DatasetRegistry").abi as never, provider),
      workerpool: new Contract(deployment.workerpoolRegistry, loadArtifact("WorkerpoolRegistry").abi as never, provider),
    };
    this.#owners = new TtlCache({ ttlMs: options.ownerTtlMs ?? 5_000, now: options.now });
    this.#settings = new TtlCache({ ttlMs: options.settingsTtlMs ?? 30_000, now: options.now });
    this.#clock = new TtlCache({ ttlMs: options.clockTtlMs ?? 1_000, now: options.now });
  }

  assetOf(kind: AssetKind, id: bigint): Promise<AssetSigner | null> {
    return this.#owners.get(`${kind}:${id}`, async () => {
      try {
        const [owner, epoch] = (await this.#registries[kind].getFunction("ownerAndEpochOf").staticCall(id)) as [string, bigint];
        return { owner, epoch };
      } catch (error) {
        if (revertName(this.#registries[kind], error) === "ERC721NonexistentToken") return null;
        throw new ChainReadError(`the owner of ${kind} ${id}`, error);
      }
    });
  }

  consumed(hash: string): Promise<bigint> {
    return this.#read(`the consumed volume of order ${hash}`, () => this.#view("consumed", hash));
  }

  approvedBy(hash: string): Promise<string> {
    return this.#read(`the on-chain approval of order ${hash}`, () => this.#view("approvedBy", hash));
  }

  escrowBalanceOf(account: string): Promise<bigint> {
    return this.#read(`the escrow balance of ${account}`, () => this.#view("balanceOf", account));
  }

  /**
   * One eth_call of a Continuum view taking and returning one word, encoded by hand: the
   * per-order reads skip a Contract method's and the ABI coder's per-call setup.
   */
  async #view<T>(name: "consumed" | "approvedBy" | "balanceOf", argument: string): Promise<T> {
    const result = await this.#provider.call({ to: this.#continuumAddress, data: wordCallData(this.#selectors[name], argument) });
    return (name === "approvedBy" ? decodeAddress(result) : decodeUint(result)) as T;
  }

  stakeRatioBps(): Promise<bigint> {
    return this.#settings.get("stakeRatioBps", () =>
      this.#read("the stake ratio", () => this.#continuum.getFunction("stakeRatioBps").staticCall()),
    );
  }

  async categoryExists(category: bigint): Promise<boolean> {
    if (category === 0n) return false;
    // Categories are numbered 1..count and never deleted, so a count once seen stays true.
    if (category <= this.#knownCategories) return true;
    const count = await this.#clock.get("categoryCount", () =>
      this.#read("the category count", () => this.#continuum.getFunction("categoryCount").staticCall()),
    );
    if (count > this.#knownCategories) this.#knownCategories = count;
    return category <= count;
  }

  latestTimestamp(): Promise<bigint> {
    return this.#clock.get("latest", () =>
      this.#read("the latest block", async () => {
        const block = await this.#provider.getBlock("latest");
        if (!block) throw new Error("the node returned no latest block");
        return BigInt(block.timestamp);
      }),
    );
  }

  async #read<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new ChainReadError(what, error);
    }
  }
}

/**
 * The custom error a call reverted with. ethers decodes it for JSON-RPC providers; other EIP-1193
 * providers (such as Hardhat's in-process one) hand over the raw revert data, decoded here.
 */
function revertName(contract: Contract, error: unknown): string | undefined {
  const failure = error as CallException & { info?: { error?: { data?: unknown } }; error?: { data?: unknown } };
  if (typeof failure?.revert?.name === "string") return failure.revert.name;
  const data = [failure?.data, failure?.info?.error?.data, failure?.error?.data].find(
    (value): value is string => typeof value === "string" && /^0x[0-9a-fA-F]{8}/.test(value),
  );
  if (!data) return undefined;
  try {
    return contract.interface.parseError(data)?.name;
  } catch {
    return undefined;
  }
}
