// The SMS's collateral cache in its database, behind the verifier's CollateralStore interface:
// one row per platform (TEE, FMSPC, PCK CA), written when collateral is fetched or refreshed.
// Every session reads its platform's row, so reads asked at the same time share one query.
import type { EntityManager } from "typeorm";
import { Batcher } from "../../src/core/batcher.ts";
import type { CollateralStore, StoredCollateral } from "../../src/attestation/dcap/index.ts";
import { collateralFromJson } from "../../src/attestation/dcap/index.ts";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";

type CollateralRow = { platform_key: string; request: StoredCollateral["request"]; collateral: unknown; next_update: Date | string; fetched_at: Date | string };

export class CollateralRepository implements CollateralStore {
  readonly #manager: EntityManager;
  readonly #reads: Batcher<string, StoredCollateral | undefined>;

  constructor(db: Database) {
    this.#manager = managerOf(db);
    this.#reads = new Batcher((keys) => this.#getBatch(keys));
  }

  /**
   * The stored row of one platform. Reads asked at the same time share one query (see Batcher),
   * never one begun before they were asked, so a refresh committed before a read is what it gets.
   */
  get(key: string): Promise<StoredCollateral | undefined> {
    return this.#reads.submit(key);
  }

  async #getBatch(keys: readonly string[]): Promise<(StoredCollateral | undefined)[]> {
    const rows: CollateralRow[] = await this.#manager.query(
      "SELECT platform_key, request, collateral, next_update, fetched_at FROM sms_collateral WHERE platform_key = ANY($1::varchar[])",
      [[...new Set(keys)]],
    );
    const stored = new Map(rows.map((row) => [row.platform_key, storedOf(row)]));
    return keys.map((key) => stored.get(key));
  }

  async put(key: string, entry: StoredCollateral): Promise<void> {
    await this.#manager.query(
      `INSERT INTO sms_collateral (platform_key, request, collateral, next_update, fetched_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (platform_key) DO UPDATE SET request = $2, collateral = $3, next_update = $4, fetched_at = $5`,
      [key, JSON.stringify(entry.request), JSON.stringify(entry.collateral), new Date(entry.nextUpdate), new Date(entry.fetchedAt)],
    );
  }

  async keys(): Promise<string[]> {
    const rows: { platform_key: string }[] = await this.#manager.query("SELECT platform_key FROM sms_collateral ORDER BY platform_key");
    return rows.map((row) => row.platform_key);
  }
}

function storedOf(row: CollateralRow): StoredCollateral {
  return {
    request: row.request,
    collateral: collateralFromJson(row.collateral),
    nextUpdate: new Date(row.next_update).getTime(),
    fetchedAt: new Date(row.fetched_at).getTime(),
  };
}
