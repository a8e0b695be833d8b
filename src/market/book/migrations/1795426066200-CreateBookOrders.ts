// Creates the order book table. Amounts are numeric(78,0) (any uint256); the hash is the primary
// key, so one signed order is stored once; indexes serve "best price first" per kind and "newest
// first" for requests, both restricted to open orders.
import type { MigrationInterface, QueryRunner } from "typeorm";

const UINT = "numeric(78,0) NOT NULL CHECK";

export class CreateBookOrders1795426066200 implements MigrationInterface {
  name = "CreateBookOrders1795426066200";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE book_order (
        hash varchar(66) PRIMARY KEY CHECK (hash ~ '^0x[0-9a-f]{64}$'),
        kind varchar(16) NOT NULL CHECK (kind IN ('app', 'dataset', 'workerpool', 'request')),
        asset ${UINT} (asset >= 0),
        app ${UINT} (app >= 0),
        dataset ${UINT} (dataset >= 0),
        workerpool ${UINT} (workerpool >= 0),
        requester varchar(42) NOT NULL CHECK (requester ~ '^0x[0-9a-f]{40}$'),
        category numeric(78,0) CHECK (category >= 0),
        tag varchar(66) NOT NULL CHECK (tag ~ '^0x[0-9a-f]{64}$'),
        tag_bits bit(256) NOT NULL,
        price ${UINT} (price >= 0),
        volume ${UINT} (volume > 0),
        remaining ${UINT} (remaining >= 0 AND remaining <= volume),
        expiry ${UINT} (expiry >= 0),
        signer varchar(42) NOT NULL,
        signature varchar(132) NOT NULL,
        order_json jsonb NOT NULL,
        published_at bigint NOT NULL,
        status varchar(8) NOT NULL CHECK (status IN ('open', 'removed')),
        removed_reason varchar(16) CHECK (removed_reason IN ('unpublished', 'cancelled', 'consumed', 'expired')),
        removed_at bigint,
        CHECK ((status = 'open') = (removed_reason IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX book_order_price_idx ON book_order (kind, price, published_at, hash) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX book_order_recent_idx ON book_order (kind, published_at DESC, hash DESC) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX book_order_asset_idx ON book_order (kind, asset) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX book_order_requester_idx ON book_order (requester) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX book_order_expiry_idx ON book_order (expiry) WHERE status = 'open'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE book_order`);
  }
}
