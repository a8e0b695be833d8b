// The only code writing the ledger tables: appends the rows of an indexed block range, keeps the
// aggregates (escrow accounts, reputation, task counts, order states, asset owners) in step, and
// rewinds everything from a fork block after a reorg. Build it on the indexer's transaction.
import type { EntityManager } from "typeorm";
import { managerOf, type Database } from "../managerOf.ts";
import {
  PAYMENT_EFFECTS,
  PAYMENT_KINDS,
  type AssetKind,
  type ChainPosition,
  type DealRow,
  type DealTerms,
  type FactsOf,
  type LedgerChanges,
  type PaymentRow,
} from "./ledgerRows.ts";
import { insertRows, timeOf } from "./sqlStatements.ts";

const ZERO_HASH = `0x${"0".repeat(64)}`;
const LATEST = "ORDER BY block_number DESC, log_index DESC";

type AssetKey = { kind: AssetKind; assetId: string };

export class LedgerWriter {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  /** Terms of already stored deals, by id, for settling their tasks. */
  async dealTerms(dealIds: readonly string[]): Promise<Map<string, DealTerms>> {
    if (dealIds.length === 0) return new Map();
    const rows: DealTerms[] = await this.#manager.query(
      `SELECT deal_id AS "dealId", dataset::text, workerpool::text, app_owner AS "appOwner",
        dataset_owner AS "datasetOwner", workerpool_owner AS "workerpoolOwner", app_price::text AS "appPrice",
        dataset_price::text AS "datasetPrice", workerpool_price::text AS "workerpoolPrice", requester,
        stake_per_task::text AS "stakePerTask"
       FROM ledger_deal WHERE deal_id = ANY($1)`,
      [[...dealIds]],
    );
    return new Map(rows.map((row) => [row.dealId, row]));
  }

  /** Stores one range's rows and updates every aggregate they touch. */
  async apply(changes: LedgerChanges): Promise<void> {
    await this.#insertRowTables(changes);
    await this.#addEscrowMovements(changes.payments);
    await this.#setReputations(changes);
    await this.#recountTasks(unique(changes.tasks.map((task) => task.dealId)));
    await this.#recomputeOrderStates(
      unique([
        ...changes.deals.flatMap((deal) => [deal.appOrderHash, deal.datasetOrderHash, deal.workerpoolOrderHash, deal.requestHash]),
        ...changes.orderEvents.map((event) => event.orderHash),
      ]),
    );
    await this.#recomputeAssets(uniqueAssets(changes.assetEvents));
  }

  /**
   * Forgets every row proven at block `fromBlock` or later and recomputes the aggregates those
   * rows had touched from what remains, so the ledger equals one built up to `fromBlock - 1`.
   */
  async rewind(fromBlock: number): Promise<void> {
    const m = this.#manager;
    const addresses = column<string>(
      await m.query(
        `SELECT DISTINCT address FROM ledger_payment, unnest(ARRAY[from_address, to_address]) AS address
         WHERE block_number >= $1 AND address IS NOT NULL`,
        [fromBlock],
      ),
      "address",
    );
    const workerpools = column<string>(
      await m.query(
        `SELECT DISTINCT d.workerpool::text AS workerpool FROM ledger_task t JOIN ledger_deal d ON d.deal_id = t.deal_id
         WHERE t.block_number >= $1`,
        [fromBlock],
      ),
      "workerpool",
    );
    const dealsWithTasks = column<string>(
      await m.query(`SELECT DISTINCT deal_id FROM ledger_task WHERE block_number >= $1`, [fromBlock]),
      "deal_id",
    );
    const orderHashes = column<string>(
      await m.query(
        `SELECT DISTINCT order_hash FROM (
           SELECT unnest(ARRAY[app_order_hash, dataset_order_hash, workerpool_order_hash, request_hash]) AS order_hash
           FROM ledger_deal WHERE block_number >= $1
           UNION ALL SELECT order_hash FROM ledger_order_event WHERE block_number >= $1) touched`,
        [fromBlock],
      ),
      "order_hash",
    );
    const assets: AssetKey[] = await m.query(
      `SELECT DISTINCT kind, asset_id::text AS "assetId" FROM ledger_asset_event WHERE block_number >= $1`,
      [fromBlock],
    );
    for (const table of [
      "ledger_payment",
      "ledger_task",
      "ledger_deal",
      "ledger_order_event",
      "ledger_asset_event",
      "ledger_asset",
      "ledger_category",
    ]) {
      await m.query(`DELETE FROM ${table} WHERE block_number >= $1`, [fromBlock]);
    }
    await this.#recomputeEscrowAccounts(addresses);
    await this.#recomputeReputations(workerpools);
    await this.#recountTasks(dealsWithTasks);
    await this.#recomputeOrderStates(orderHashes);
    await this.#recomputeAssets(assets);
  }

  async #insertRowTables(changes: LedgerChanges): Promise<void> {
    const m = this.#manager;
    await insertFacts(m, "ledger_category", ["category", "name", "description", "maxRunTime"], changes.categories);
    await insertFacts(
      m,
      "ledger_asset",
      ["kind", "assetId", "owner", "name", "contentCid", "checksum", "measurement", "description"],
      changes.assets,
    );
    await insertFacts(m, "ledger_asset_event", ["kind", "assetId", "change", "fromAddress", "toAddress", "description"], changes.assetEvents);
    await insertFacts(m, "ledger_deal", DEAL_FIELDS, changes.deals);
    await insertFacts(
      m,
      "ledger_task",
      ["dealId", "taskIndex", "taskId", "status", "worker", "enclave", "resultDigest", "resultCid", "failureCause", "failureAttempt"],
      changes.tasks,
    );
    await insertFacts(m, "ledger_payment", ["kind", "fromAddress", "toAddress", "amount", "dealId", "taskIndex", "seq"], changes.payments);
    await insertFacts(m, "ledger_order_event", ["orderHash", "kind", "action", "signer"], changes.orderEvents);
  }

  /** Adds the range's movements to the escrow accounts (existing accounts updated, new ones created). */
  async #addEscrowMovements(payments: readonly PaymentRow[]): Promise<void> {
    const deltas = escrowDeltas(payments);
    if (deltas.size === 0) return;
    const existing = new Set(
      column<string>(
        await this.#manager.query(`SELECT address FROM ledger_escrow_account WHERE address = ANY($1)`, [[...deltas.keys()]]),
        "address",
      ),
    );
    const updates = [...deltas].filter(([address]) => existing.has(address));
    const inserts = [...deltas].filter(([address]) => !existing.has(address));
    for (const [address, delta] of updates) {
      await this.#manager.query(
        `UPDATE ledger_escrow_account SET balance = balance + $2::numeric, locked = locked + $3::numeric,
           block_number = $4, block_time = $5, tx_hash = $6 WHERE address = $1`,
        [address, delta.balance.toString(), delta.locked.toString(), delta.last.blockNumber, timeOf(delta.last.blockTime), delta.last.transactionHash],
      );
    }
    await insertRows(
      this.#manager,
      "ledger_escrow_account",
      ["address", "balance", "locked", "block_number", "block_time", "tx_hash"],
      inserts.map(([address, delta]) => [
        address,
        delta.balance.toString(),
        delta.locked.toString(),
        delta.last.blockNumber,
        timeOf(delta.last.blockTime),
        delta.last.transactionHash,
      ]),
    );
  }

  async #setReputations(changes: LedgerChanges): Promise<void> {
    const latest = new Map(changes.reputations.map((row) => [row.workerpool, row]));
    for (const row of latest.values()) {
      await this.#manager.query(
        `INSERT INTO ledger_reputation (workerpool, completed, failed, score, block_number, block_time, tx_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (workerpool) DO UPDATE SET completed = EXCLUDED.completed, failed = EXCLUDED.failed,
           score = EXCLUDED.score, block_number = EXCLUDED.block_number, block_time = EXCLUDED.block_time,
           tx_hash = EXCLUDED.tx_hash`,
        [row.workerpool, row.completed, row.failed, row.score, row.blockNumber, timeOf(row.blockTime), row.transactionHash],
      );
    }
  }

  async #recountTasks(dealIds: readonly string[]): Promise<void> {
    if (dealIds.length === 0) return;
    await this.#manager.query(
      `UPDATE ledger_deal d SET
         tasks_completed = (SELECT count(*) FROM ledger_task t WHERE t.deal_id = d.deal_id AND t.status = 'completed'),
         tasks_failed = (SELECT count(*) FROM ledger_task t WHERE t.deal_id = d.deal_id AND t.status = 'failed'),
         tasks_claimed = (SELECT count(*) FROM ledger_task t WHERE t.deal_id = d.deal_id AND t.status = 'claimed')
       WHERE d.deal_id = ANY($1)`,
      [[...dealIds]],
    );
  }

  /** Rebuilds each order's state from the deals that consumed it and its approvals and cancellations. */
  async #recomputeOrderStates(hashes: readonly string[]): Promise<void> {
    const orderHashes = hashes.filter((hash) => hash !== ZERO_HASH);
    if (orderHashes.length === 0) return;
    const fromDeals = (hashColumn: string, kind: number) =>
      `SELECT ${hashColumn} AS order_hash, ${kind} AS kind, volume AS consumed, false AS cancelled,
         NULL::varchar AS approved_by, block_number, log_index, block_time, tx_hash
       FROM ledger_deal WHERE ${hashColumn} = ANY($1)`;
    await this.#manager.query(`DELETE FROM ledger_order_state WHERE order_hash = ANY($1)`, [orderHashes]);
    await this.#manager.query(
      `INSERT INTO ledger_order_state (order_hash, kind, consumed, cancelled, approved_by, block_number, block_time, tx_hash)
       SELECT order_hash, min(kind), sum(consumed), bool_or(cancelled),
         (array_agg(approved_by ${LATEST}) FILTER (WHERE approved_by IS NOT NULL))[1],
         (array_agg(block_number ${LATEST}))[1], (array_agg(block_time ${LATEST}))[1], (array_agg(tx_hash ${LATEST}))[1]
       FROM (
         ${fromDeals("app_order_hash", 0)}
         UNION ALL ${fromDeals("dataset_order_hash", 1)}
         UNION ALL ${fromDeals("workerpool_order_hash", 2)}
         UNION ALL ${fromDeals("request_hash", 3)}
         UNION ALL SELECT order_hash, kind, 0, action = 'cancelled', CASE WHEN action = 'approved' THEN signer END,
           block_number, log_index, block_time, tx_hash
         FROM ledger_order_event WHERE order_hash = ANY($1)
       ) touches GROUP BY order_hash`,
      [orderHashes],
    );
  }

  /** Sets each asset's owner and description from its latest transfer and description change. */
  async #recomputeAssets(keys: readonly AssetKey[]): Promise<void> {
    if (keys.length === 0) return;
    const latest = (field: string, change: string) =>
      `(SELECT e.${field} FROM ledger_asset_event e WHERE e.kind = a.kind AND e.asset_id = a.asset_id
        AND e.change = '${change}' ORDER BY e.block_number DESC, e.log_index DESC LIMIT 1)`;
    await this.#manager.query(
      `UPDATE ledger_asset a SET owner = COALESCE(${latest("to_address", "transfer")}, a.owner),
         description = COALESCE(${latest("description", "description")}, a.description)
       FROM unnest($1::varchar[], $2::numeric[]) AS k(kind, asset_id)
       WHERE a.kind = k.kind AND a.asset_id = k.asset_id`,
      [keys.map((key) => key.kind), keys.map((key) => key.assetId)],
    );
  }

  async #recomputeEscrowAccounts(addresses: readonly string[]): Promise<void> {
    if (addresses.length === 0) return;
    const effect = (side: "from" | "to", field: "balance" | "locked") => {
      const cases = PAYMENT_KINDS.filter((kind) => PAYMENT_EFFECTS[kind][side][field] !== 0).map(
        (kind) => `WHEN '${kind}' THEN ${PAYMENT_EFFECTS[kind][side][field]}`,
      );
      return `(CASE kind ${cases.join(" ")} ELSE 0 END) * amount`;
    };
    const side = (which: "from" | "to") => {
      const moving = PAYMENT_KINDS.filter((kind) => PAYMENT_EFFECTS[kind][which].balance !== 0 || PAYMENT_EFFECTS[kind][which].locked !== 0);
      return `SELECT ${which}_address AS address, ${effect(which, "balance")} AS balance, ${effect(which, "locked")} AS locked,
         block_number, log_index, seq, block_time, tx_hash
       FROM ledger_payment WHERE ${which}_address = ANY($1) AND kind IN (${moving.map((kind) => `'${kind}'`).join(", ")})`;
    };
    const latest = "ORDER BY block_number DESC, log_index DESC, seq DESC";
    await this.#manager.query(`DELETE FROM ledger_escrow_account WHERE address = ANY($1)`, [[...addresses]]);
    await this.#manager.query(
      `WITH moves AS (${side("from")} UNION ALL ${side("to")})
       INSERT INTO ledger_escrow_account (address, balance, locked, block_number, block_time, tx_hash)
       SELECT address, sum(balance), sum(locked), (array_agg(block_number ${latest}))[1],
         (array_agg(block_time ${latest}))[1], (array_agg(tx_hash ${latest}))[1]
       FROM moves GROUP BY address`,
      [[...addresses]],
    );
  }

  /**
   * Counts completed and claimed tasks per workerpool, as the contract's reputation does (a
   * failed task moves no reputation).
   */
  async #recomputeReputations(workerpools: readonly string[]): Promise<void> {
    if (workerpools.length === 0) return;
    await this.#manager.query(`DELETE FROM ledger_reputation WHERE workerpool = ANY($1::numeric[])`, [[...workerpools]]);
    await this.#manager.query(
      `INSERT INTO ledger_reputation (workerpool, completed, failed, score, block_number, block_time, tx_hash)
       SELECT workerpool, completed, failed, div((completed + 1) * 10000, completed + failed + 2), block_number, block_time, tx_hash
       FROM (
         SELECT d.workerpool, (count(*) FILTER (WHERE t.status = 'completed'))::numeric AS completed,
           (count(*) FILTER (WHERE t.status = 'claimed'))::numeric AS failed,
           (array_agg(t.block_number ORDER BY t.block_number DESC, t.log_index DESC))[1] AS block_number,
           (array_agg(t.block_time ORDER BY t.block_number DESC, t.log_index DESC))[1] AS block_time,
           (array_agg(t.tx_hash ORDER BY t.block_number DESC, t.log_index DESC))[1] AS tx_hash
         FROM ledger_task t JOIN ledger_deal d ON d.deal_id = t.deal_id
         WHERE d.workerpool = ANY($1::numeric[]) AND t.status IN ('completed', 'claimed') GROUP BY d.workerpool
       ) counts`,
      [[...workerpools]],
    );
  }
}

const POSITION_COLUMNS = ["block_number", "block_time", "tx_hash", "log_index"];

/**
 * Inserts `rows` into `table`: the given fields, each in the column named as the field in
 * snake_case (as the migration names them), then the chain position.
 */
async function insertFacts<Row extends ChainPosition>(
  manager: EntityManager,
  table: string,
  fields: readonly (keyof FactsOf<Row>)[],
  rows: readonly Row[],
): Promise<void> {
  const columns = fields.map((field) => String(field).replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
  await insertRows(
    manager,
    table,
    [...columns, ...POSITION_COLUMNS],
    rows.map((row) => [...fields.map((field) => row[field]), row.blockNumber, timeOf(row.blockTime), row.transactionHash, row.logIndex]),
  );
}

const DEAL_FIELDS: readonly (keyof FactsOf<DealRow>)[] = [
  "dealId",
  "app",
  "dataset",
  "workerpool",
  "appOwner",
  "datasetOwner",
  "workerpoolOwner",
  "appPrice",
  "datasetPrice",
  "workerpoolPrice",
  "requester",
  "beneficiary",
  "category",
  "tag",
  "volume",
  "stakePerTask",
  "startTime",
  "deadline",
  "resultPublicKey",
  "paramsHash",
  "requestHash",
  "requestOffset",
  "appOrderHash",
  "datasetOrderHash",
  "workerpoolOrderHash",
  "params",
];

type EscrowDelta = { balance: bigint; locked: bigint; last: ChainPosition };

/** Net change of each touched account over `payments`, with the last movement that touched it. */
function escrowDeltas(payments: readonly PaymentRow[]): Map<string, EscrowDelta> {
  const deltas = new Map<string, EscrowDelta>();
  const touch = (address: string | null, effect: { balance: number; locked: number }, payment: PaymentRow) => {
    if (address === null || (effect.balance === 0 && effect.locked === 0)) return;
    const amount = BigInt(payment.amount);
    const delta = deltas.get(address) ?? { balance: 0n, locked: 0n, last: payment };
    delta.balance += BigInt(effect.balance) * amount;
    delta.locked += BigInt(effect.locked) * amount;
    delta.last = payment;
    deltas.set(address, delta);
  };
  for (const payment of payments) {
    touch(payment.fromAddress, PAYMENT_EFFECTS[payment.kind].from, payment);
    touch(payment.toAddress, PAYMENT_EFFECTS[payment.kind].to, payment);
  }
  return deltas;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function uniqueAssets(events: readonly AssetKey[]): AssetKey[] {
  const keys = new Map(events.map((event) => [`${event.kind}:${event.assetId}`, { kind: event.kind, assetId: event.assetId }]));
  return [...keys.values()];
}

function column<T>(rows: Record<string, T>[], name: string): T[] {
  return rows.map((row) => row[name]);
}
