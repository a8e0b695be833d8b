// The only code reading the ledger tables: deals, tasks, payments, claims, reputation, escrow and
// order states as auditors and requesters ask for them, paginated by their chain position.
import { getAddress } from "ethers";
import type { EntityManager } from "typeorm";
import { toPage, type Page } from "../../http/pagination.ts";
import { taskIdOf } from "../../wire/eip712/signing.ts";
import { CursorRepository } from "../indexer/CursorRepository.ts";
import { managerOf, type Database } from "../managerOf.ts";
import {
  assetRecordOf,
  claimRecordOf,
  dealRecordOf,
  escrowAccountRecordOf,
  finalStatusOf,
  lastChangeOf,
  orderStateRecordOf,
  paymentRecordOf,
  pendingTaskOf,
  reputationRecordOf,
  taskCountsOf,
  taskRecordOf,
  type AssetRecord,
  type ClaimRecord,
  type DealRecord,
  type EscrowAccountRecord,
  type OrderStateRecord,
  type PaymentRecord,
  type ReputationRecord,
  type RequestDealRecord,
  type RequestState,
  type RequestStatusRecord,
  type TaskCounts,
  type TaskRecord,
} from "./ledgerRecords.ts";
import type { AssetKind, FinalizedTaskStatus, PaymentKind } from "./ledgerRows.ts";
import { WhereClause } from "./sqlStatements.ts";

/** Name of the indexer cursor that says how far the ledger is built. */
export const LEDGER_CURSOR_NAME = "ledger";
/** At most this many deals, and tasks per deal, in one request status. */
export const MAX_REQUEST_DEALS = 100;
export const MAX_REQUEST_TASKS = 1_000;

export type SortOrder = "asc" | "desc";
/** Sort key of deals, tasks and claims: block number, then log index. */
export type EventCursor = readonly [blockNumber: number, logIndex: number];
/** Sort key of payments: block number, log index, then position among the log's movements. */
export type PaymentCursor = readonly [blockNumber: number, logIndex: number, seq: number];
export type LedgerPage<C> = { limit: number; after?: C | null; order?: SortOrder };

/** Optional filters; `address` matches any party, `from` is inclusive and `to` exclusive (block time). */
export type ActivityFilter = {
  deal?: string;
  address?: string;
  /** The deal's requester (the party paying). */
  requester?: string;
  app?: string;
  dataset?: string;
  workerpool?: string;
  from?: Date;
  to?: Date;
};
export type DealFilter = Omit<ActivityFilter, "deal">;
export type TaskFilter = ActivityFilter & { status?: FinalizedTaskStatus };
export type PaymentFilter = ActivityFilter & { kind?: PaymentKind };

const DEAL_PARTIES = ["requester", "beneficiary", "app_owner", "dataset_owner", "workerpool_owner"];

export class Ledger {
  readonly #manager: EntityManager;
  readonly #cursors: CursorRepository;

  constructor(db: Database) {
    this.#manager = managerOf(db);
    this.#cursors = new CursorRepository(db);
  }

  /** The last block the ledger includes, or null before the indexer stored its first range. */
  async indexedThrough(): Promise<number | null> {
    return (await this.#cursors.get(LEDGER_CURSOR_NAME))?.lastBlock ?? null;
  }

  async deals(filter: DealFilter, page: LedgerPage<EventCursor>): Promise<Page<DealRecord>> {
    const where = new WhereClause();
    addDealFilters(where, "d", filter);
    addTimeRange(where, "d", filter);
    const rows = await this.#pageQuery(`SELECT d.* FROM ledger_deal d`, where, "d", ["block_number", "log_index"], page);
    return toPage(rows.map(dealRecordOf), page.limit, eventKey);
  }

  async deal(dealId: string): Promise<DealRecord | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM ledger_deal WHERE deal_id = $1`, [dealId.toLowerCase()]);
    return row ? dealRecordOf(row) : undefined;
  }

  /**
   * Every task of a deal by index, pending ones included (they carry the deal's proof); the
   * cursor is the last index returned. Undefined for an unknown deal.
   */
  async dealTasks(dealId: string, page: { limit: number; after?: string | null }): Promise<Page<TaskRecord> | undefined> {
    const deal = await this.deal(dealId);
    if (!deal) return undefined;
    const start = page.after === undefined || page.after === null ? 0n : BigInt(page.after) + 1n;
    const tasks = await this.#tasksOf(deal, start, BigInt(page.limit) + 1n);
    return toPage(tasks, page.limit, (task) => [task.index]);
  }

  /** Completed, failed and claimed tasks (pending tasks are listed per deal by dealTasks). */
  async tasks(filter: TaskFilter, page: LedgerPage<EventCursor>): Promise<Page<TaskRecord>> {
    const where = new WhereClause();
    addTaskFilters(where, filter);
    where.addIf(filter.status, (status) => `t.status = ${status}`);
    const rows = await this.#pageQuery(
      `SELECT t.* FROM ledger_task t JOIN ledger_deal d ON d.deal_id = t.deal_id`,
      where,
      "t",
      ["block_number", "log_index"],
      page,
    );
    return toPage(rows.map(taskRecordOf), page.limit, eventKey);
  }

  async claims(filter: ActivityFilter, page: LedgerPage<EventCursor>): Promise<Page<ClaimRecord>> {
    const where = new WhereClause().add(`t.status = 'claimed'`);
    addTaskFilters(where, filter);
    const rows = await this.#pageQuery(
      `SELECT t.*, d.workerpool, d.workerpool_owner, d.requester,
         d.app_price + d.dataset_price + d.workerpool_price AS refunded, d.stake_per_task AS slashed
       FROM ledger_task t JOIN ledger_deal d ON d.deal_id = t.deal_id`,
      where,
      "t",
      ["block_number", "log_index"],
      page,
    );
    return toPage(rows.map(claimRecordOf), page.limit, eventKey);
  }

  async payments(filter: PaymentFilter, page: LedgerPage<PaymentCursor>): Promise<Page<PaymentRecord>> {
    const where = new WhereClause();
    where.addIf(filter.deal?.toLowerCase(), (deal) => `p.deal_id = ${deal}`);
    where.addIf(normalizeAddress(filter.address), (address) => `(p.from_address = ${address} OR p.to_address = ${address})`);
    where.addIf(filter.app, (app) => `d.app = ${app}`);
    where.addIf(filter.dataset, (dataset) => `d.dataset = ${dataset}`);
    where.addIf(filter.workerpool, (workerpool) => `d.workerpool = ${workerpool}`);
    where.addIf(normalizeAddress(filter.requester), (requester) => `d.requester = ${requester}`);
    where.addIf(filter.kind, (kind) => `p.kind = ${kind}`);
    addTimeRange(where, "p", filter);
    const rows = await this.#pageQuery(
      `SELECT p.* FROM ledger_payment p LEFT JOIN ledger_deal d ON d.deal_id = p.deal_id`,
      where,
      "p",
      ["block_number", "log_index", "seq"],
      page,
    );
    return toPage(rows.map(paymentRecordOf), page.limit, (payment) => [payment.blockNumber, payment.logIndex, payment.seq]);
  }

  /**
   * A workerpool's reputation; a registered pool without any settled task has the contract's
   * starting score (completed 0, failed 0, score 5000) proven by its registration. Undefined for
   * a workerpool the ledger does not know.
   */
  async reputation(workerpool: string): Promise<ReputationRecord | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM ledger_reputation WHERE workerpool = $1`, [workerpool]);
    if (row) return reputationRecordOf(row);
    const [registration] = await this.#manager.query(
      `SELECT * FROM ledger_asset WHERE kind = 'workerpool' AND asset_id = $1`,
      [workerpool],
    );
    if (!registration) return undefined;
    return { workerpool, completed: "0", failed: "0", score: "5000", ...lastChangeOf(registration) };
  }

  /** A registered app, dataset or workerpool (`assetId` decimal), or undefined if the ledger has no registration. */
  async asset(kind: AssetKind, assetId: string): Promise<AssetRecord | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM ledger_asset WHERE kind = $1 AND asset_id = $2`, [kind, assetId]);
    return row ? assetRecordOf(row) : undefined;
  }

  /** The escrow account of `address`, or undefined if no movement ever touched it. */
  async escrowAccount(address: string): Promise<EscrowAccountRecord | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM ledger_escrow_account WHERE address = $1`, [getAddress(address)]);
    return row ? escrowAccountRecordOf(row) : undefined;
  }

  /** Every escrow account, by address (for audits comparing the ledger with the chain). */
  async escrowAccounts(): Promise<EscrowAccountRecord[]> {
    const rows = await this.#manager.query(`SELECT * FROM ledger_escrow_account ORDER BY address`);
    return rows.map(escrowAccountRecordOf);
  }

  /** Consumed volume, cancellation and on-chain approval of an order, by its EIP-712 digest. */
  async orderState(orderHash: string): Promise<OrderStateRecord | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM ledger_order_state WHERE order_hash = $1`, [orderHash.toLowerCase()]);
    return row ? orderStateRecordOf(row) : undefined;
  }

  /**
   * A request order as the chain knows it: its deals (by request offset) with their tasks, result
   * CIDs and states. Undefined when no deal, approval or cancellation of it was indexed.
   */
  async requestStatus(requestHash: string): Promise<RequestStatusRecord | undefined> {
    const hash = requestHash.toLowerCase();
    const state = await this.orderState(hash);
    if (!state) return undefined;
    const dealRows = await this.#manager.query(
      `SELECT * FROM ledger_deal WHERE request_hash = $1 ORDER BY request_offset LIMIT $2`,
      [hash, MAX_REQUEST_DEALS + 1],
    );
    const deals: RequestDealRecord[] = [];
    for (const row of dealRows.slice(0, MAX_REQUEST_DEALS)) {
      const deal = dealRecordOf(row);
      const tasks = await this.#tasksOf(deal, 0n, BigInt(MAX_REQUEST_TASKS));
      deals.push({ ...deal, tasks, tasksTruncated: BigInt(deal.volume) > BigInt(MAX_REQUEST_TASKS) });
    }
    const [totals] = await this.#manager.query(
      `SELECT coalesce(sum(volume), 0) AS volume, coalesce(sum(tasks_completed), 0) AS completed,
         coalesce(sum(tasks_failed), 0) AS failed, coalesce(sum(tasks_claimed), 0) AS claimed
       FROM ledger_deal WHERE request_hash = $1`,
      [hash],
    );
    const taskCounts = taskCountsOf(String(totals.volume), String(totals.completed), String(totals.failed), String(totals.claimed));
    return {
      requestHash: hash,
      requester: deals[0]?.requester ?? (await this.#orderSigner(hash)),
      status: requestState(state.cancelled, deals.length > 0, taskCounts),
      cancelled: state.cancelled,
      matchedVolume: taskCounts.total,
      taskCounts,
      deals,
      dealsTruncated: dealRows.length > MAX_REQUEST_DEALS,
      blockNumber: state.blockNumber,
      blockTime: state.blockTime,
      transactionHash: state.transactionHash,
    };
  }

  /** Tasks `start .. start+count-1` of a deal (capped at its volume), pending ones synthesized. */
  async #tasksOf(deal: DealRecord, start: bigint, count: bigint): Promise<TaskRecord[]> {
    const volume = BigInt(deal.volume);
    const end = start + count < volume ? start + count : volume;
    if (start >= end) return [];
    const rows = await this.#manager.query(
      `SELECT * FROM ledger_task WHERE deal_id = $1 AND task_index >= $2 AND task_index < $3`,
      [deal.dealId, start.toString(), end.toString()],
    );
    const finalized = new Map<string, TaskRecord>(rows.map((row: Record<string, unknown>) => {
      const task = taskRecordOf(row);
      return [task.index, task];
    }));
    const tasks: TaskRecord[] = [];
    for (let index = start; index < end; index++) {
      tasks.push(finalized.get(index.toString()) ?? pendingTaskOf(deal, index, taskIdOf(deal.dealId, index)));
    }
    return tasks;
  }

  async #orderSigner(orderHash: string): Promise<string> {
    const [row] = await this.#manager.query(
      `SELECT signer FROM ledger_order_event WHERE order_hash = $1 ORDER BY block_number, log_index LIMIT 1`,
      [orderHash],
    );
    return String(row.signer);
  }

  /** Runs `select` with `where`, keyset-paginated on `keys` of table alias `alias`. */
  async #pageQuery(
    select: string,
    where: WhereClause,
    alias: string,
    keys: readonly string[],
    page: LedgerPage<readonly number[]>,
  ): Promise<Record<string, unknown>[]> {
    const descending = (page.order ?? "desc") === "desc";
    const columns = keys.map((key) => `${alias}.${key}`);
    if (page.after) {
      const after = page.after;
      where.add(`(${columns.join(", ")}) ${descending ? "<" : ">"} (${keys.map((_, i) => where.param(after[i])).join(", ")})`);
    }
    const direction = descending ? "DESC" : "ASC";
    const limit = where.param(page.limit + 1);
    return this.#manager.query(
      `${select} ${where} ORDER BY ${columns.map((column) => `${column} ${direction}`).join(", ")} LIMIT ${limit}`,
      where.params,
    );
  }
}

function eventKey(record: { blockNumber: number; logIndex: number }): unknown[] {
  return [record.blockNumber, record.logIndex];
}

function normalizeAddress(address: string | undefined): string | undefined {
  return address === undefined ? undefined : getAddress(address.toLowerCase());
}

function addDealFilters(where: WhereClause, alias: string, filter: DealFilter): void {
  where.addIf(normalizeAddress(filter.address), (address) => `${address} IN (${DEAL_PARTIES.map((party) => `${alias}.${party}`).join(", ")})`);
  where.addIf(filter.app, (app) => `${alias}.app = ${app}`);
  where.addIf(filter.dataset, (dataset) => `${alias}.dataset = ${dataset}`);
  where.addIf(filter.workerpool, (workerpool) => `${alias}.workerpool = ${workerpool}`);
  where.addIf(normalizeAddress(filter.requester), (requester) => `${alias}.requester = ${requester}`);
}

/** Filters on a task and its deal (`t` and `d`); `address` also matches the task's worker. */
function addTaskFilters(where: WhereClause, filter: ActivityFilter): void {
  where.addIf(filter.deal?.toLowerCase(), (deal) => `t.deal_id = ${deal}`);
  const address = normalizeAddress(filter.address);
  where.addIf(address, (placeholder) => `(${placeholder} IN (${DEAL_PARTIES.map((party) => `d.${party}`).join(", ")}) OR t.worker = ${placeholder})`);
  addDealFilters(where, "d", { ...filter, address: undefined });
  addTimeRange(where, "t", filter);
}

function addTimeRange(where: WhereClause, alias: string, filter: { from?: Date; to?: Date }): void {
  where.addIf(filter.from, (from) => `${alias}.block_time >= ${from}`);
  where.addIf(filter.to, (to) => `${alias}.block_time < ${to}`);
}

function requestState(cancelled: boolean, hasDeals: boolean, counts: TaskCounts): RequestState {
  if (!hasDeals) return cancelled ? "cancelled" : "open";
  if (counts.pending !== "0") return "running";
  return finalStatusOf(counts);
}
