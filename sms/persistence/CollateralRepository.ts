// The SMS's collateral cache in its database, behind the verifier's CollateralStore interface:
// one row per platform (TEE, FMSPC, PCK CA), written when collateral is fetched or refreshed.
import type { EntityManager } from "typeorm";
import type { CollateralStore, StoredCollateral } from "../../src/attestation/dcap/index.ts";
import { collateralFromJson } from "../../src/attestation/dcap/index.ts";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";

type CollateralRow = { request: StoredCollateral["request"]; collateral: unknown; next_update: Date | string; fetched_at: Date | string };

export class CollateralRepository implements CollateralStore {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  async get(key: string): Promise<StoredCollateral | undefined> {
    const [row]: CollateralRow[] = await this.#manager.query(
      "SELECT request, collateral, next_update, fetched_at FROM sms_collateral WHERE platform_key = $1",
      [key],
    );
    if (!row) return undefined;
    return {
      request: row.request,
      collateral: collateralFromJson(row.collateral),
      nextUpdate: new Date(row.next_update).getTime(),
      fetchedAt: new Date(row.fetched_at).getTime(),
    };
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
