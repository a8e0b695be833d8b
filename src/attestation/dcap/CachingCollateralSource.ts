// Keeps each platform's collateral in a store and fetches it again from the source before its
// earliest nextUpdate, so quotes are judged with current collateral without a fetch per quote.
// A refresh that fails leaves the stored collateral in use while it is still current.
import { BoundedMap } from "../../core/bounded.ts";
import type { CollateralRequest, CollateralSource, DcapCollateral } from "./collateral.ts";
import { DcapError } from "./DcapError.ts";
import { collateralKey, expectCollateralFor } from "./describeCollateral.ts";

export interface StoredCollateral {
  request: CollateralRequest;
  collateral: DcapCollateral;
  /** The earliest nextUpdate of the collateral's documents, ms since the epoch. */
  nextUpdate: number;
  /** When it was fetched, ms since the epoch. */
  fetchedAt: number;
}

/** Where cached collateral lives: memory here; a database table for services that restart. */
export interface CollateralStore {
  get(key: string): Promise<StoredCollateral | undefined>;
  put(key: string, entry: StoredCollateral): Promise<void>;
  keys(): Promise<string[]>;
}

export class MemoryCollateralStore implements CollateralStore {
  readonly #entries: BoundedMap<string, StoredCollateral>;

  /** Keeps at most `capacity` platforms' collateral, forgetting the oldest stored. */
  constructor(capacity = 1024) {
    this.#entries = new BoundedMap(capacity);
  }

  async get(key: string): Promise<StoredCollateral | undefined> {
    return this.#entries.get(key);
  }

  async put(key: string, entry: StoredCollateral): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  async keys(): Promise<string[]> {
    return [...this.#entries.keys()];
  }
}

export interface CachingCollateralSourceOptions {
  source: CollateralSource;
  store?: CollateralStore;
  /** Fetch again this long before the collateral's nextUpdate; one day unless given. */
  refreshBeforeMs?: number;
  /**
   * Fetch again collateral older than this, so a new CRL (a revoked platform) is seen within it;
   * never unless given (a PCCS refreshes its CRLs daily; a verifier may ask more often).
   */
  maxAgeMs?: number;
  /** The clock; the wall clock unless given. */
  now?: () => Date;
}

export interface RefreshReport {
  refreshed: string[];
  failed: { key: string; error: DcapError }[];
}

const DAY_MS = 86_400_000;

export class CachingCollateralSource implements CollateralSource {
  readonly #source: CollateralSource;
  readonly #store: CollateralStore;
  readonly #refreshBeforeMs: number;
  readonly #maxAgeMs: number;
  readonly #now: () => Date;
  /** Fetches under way, so concurrent requests for one platform share one fetch. */
  readonly #inFlight = new Map<string, Promise<StoredCollateral>>();

  constructor(options: CachingCollateralSourceOptions) {
    const refreshBeforeMs = options.refreshBeforeMs ?? DAY_MS;
    if (!Number.isFinite(refreshBeforeMs) || refreshBeforeMs < 0) {
      throw new DcapError("INVALID_CONFIGURATION", "refreshBeforeMs must be a non-negative number of milliseconds");
    }
    this.#source = options.source;
    this.#store = options.store ?? new MemoryCollateralStore();
    this.#refreshBeforeMs = refreshBeforeMs;
    this.#maxAgeMs = options.maxAgeMs ?? Number.POSITIVE_INFINITY;
    if (!(this.#maxAgeMs > 0)) throw new DcapError("INVALID_CONFIGURATION", "maxAgeMs must be a positive number of milliseconds");
    this.#now = options.now ?? (() => new Date());
  }

  async getCollateral(request: CollateralRequest): Promise<DcapCollateral> {
    const key = collateralKey(request);
    const stored = await this.#store.get(key);
    const now = this.#now().getTime();
    if (stored && !this.#isDue(stored, now)) return stored.collateral;
    try {
      return (await this.#fetch(key, request)).collateral;
    } catch (error) {
      if (stored && now < stored.nextUpdate && error instanceof DcapError) return stored.collateral;
      throw error;
    }
  }

  /** Fetches again every stored platform whose refresh time has come; for a periodic timer. */
  refreshDue(): Promise<RefreshReport> {
    return this.#refresh((stored, now) => this.#isDue(stored, now));
  }

  /** Fetches again every stored platform's collateral now, e.g. once a PCK is known to be revoked. */
  refreshAll(): Promise<RefreshReport> {
    return this.#refresh(() => true);
  }

  #isDue(stored: StoredCollateral, now: number): boolean {
    return now >= stored.nextUpdate - this.#refreshBeforeMs || now - stored.fetchedAt >= this.#maxAgeMs;
  }

  async #refresh(due: (stored: StoredCollateral, now: number) => boolean): Promise<RefreshReport> {
    const report: RefreshReport = { refreshed: [], failed: [] };
    const now = this.#now().getTime();
    for (const key of await this.#store.keys()) {
      const stored = await this.#store.get(key);
      if (!stored || !due(stored, now)) continue;
      try {
        await this.#fetch(key, stored.request);
        report.refreshed.push(key);
      } catch (error) {
        if (!(error instanceof DcapError)) throw error;
        report.failed.push({ key, error });
      }
    }
    return report;
  }

  #fetch(key: string, request: CollateralRequest): Promise<StoredCollateral> {
    let fetching = this.#inFlight.get(key);
    if (!fetching) {
      fetching = this.#fetchAndStore(key, request).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, fetching);
    }
    return fetching;
  }

  async #fetchAndStore(key: string, request: CollateralRequest): Promise<StoredCollateral> {
    const collateral = await this.#source.getCollateral(request);
    const description = expectCollateralFor(request, collateral);
    const entry: StoredCollateral = { request, collateral, nextUpdate: description.nextUpdate, fetchedAt: this.#now().getTime() };
    await this.#store.put(key, entry);
    return entry;
  }
}
