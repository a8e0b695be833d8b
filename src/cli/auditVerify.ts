// `continuum audit verify`: trust nothing the market says. Rebuilds the ledger from the chain's
// events alone (the indexer's own projection, into a throw-away PGlite database), reads every
// workerpool's reputation from the contract, and compares deals, tasks, payments and reputation
// with what the market API serves; every difference is printed and makes the command fail.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Deployment } from "../chain/deployProtocol.ts";
import type { DealRecord, Ledger, PaymentRecord, ReputationRecord, TaskRecord } from "../persistence/ledger/index.ts";
import { withChain, type ChainSession } from "./chain.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { marketClient } from "./orderLifecycle.ts";
import { fetchAllPages } from "./payments.ts";
import type { ServiceClient } from "./serviceClient.ts";

export type Difference = { kind: "deal" | "task" | "payment" | "reputation"; key: string; problem: string };
type Checked = { deals: number; tasks: number; payments: number; workerpools: number; throughBlock: number };

const LEDGER_PAGE = 500;

export async function verifyAudit(context: CliContext): Promise<void> {
  const market = marketClient(context);
  await withChain(context, { signer: false }, async (chain) => {
    const directory = await mkdtemp(join(tmpdir(), "continuum-audit-"));
    try {
      const { ledger, throughBlock, close } = await rebuildLedger(context, chain, directory);
      try {
        context.output.status(`comparing with the market at ${market.baseUrl} ...`);
        const { differences, checked } = await compare(ledger, market, chain, throughBlock);
        report(context, differences, checked);
      } finally {
        await close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
}

async function rebuildLedger(context: CliContext, chain: ChainSession, directory: string) {
  const { openDataSource, indexerEntities, indexerMigrations } = await import("../persistence/index.ts");
  const { Ledger: LedgerClass, ledgerEntities, ledgerMigrations } = await import("../persistence/ledger/index.ts");
  const { ChainIndexer } = await import("../indexer/ChainIndexer.ts");
  const { silentLogger } = await import("../core/logger.ts");
  const logger = silentLogger();
  const db = await openDataSource({
    pgliteDir: directory,
    entities: [...indexerEntities, ...ledgerEntities],
    migrations: [...indexerMigrations, ...ledgerMigrations],
    logger,
  });
  try {
    const deployment: Deployment = { deployBlock: 0, ...chain.deployment };
    context.output.status(`rebuilding the history from chain events since block ${deployment.deployBlock} ...`);
    const indexer = new ChainIndexer({ provider: chain.provider, deployment, db, confirmations: 0, logger });
    const synced = await indexer.catchUp();
    context.output.status(`  ${synced.events} events through block ${synced.to}`);
    return { ledger: new LedgerClass(db), throughBlock: synced.to, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function compare(ledger: Ledger, market: ServiceClient, chain: ChainSession, throughBlock: number) {
  const differences: Difference[] = [];
  const upTo = <R extends { blockNumber: number }>(items: R[]) => items.filter((item) => item.blockNumber <= throughBlock);

  const ownDeals = await allLedgerPages((after) => ledger.deals({}, { limit: LEDGER_PAGE, after, order: "asc" }), dealKey);
  const apiDeals = upTo(await fetchAllPages<DealRecord>(market, "/deals", { order: "asc" }));
  diffRecords("deal", ownDeals, apiDeals, (deal) => deal.dealId, differences);

  let tasks = 0;
  for (const deal of ownDeals) {
    const own = await allLedgerPages<TaskRecord, string>((after) => ledger.dealTasks(deal.dealId, { limit: LEDGER_PAGE, after }).then((page) => page!), (task) => task.index);
    const served = apiDeals.some((candidate) => candidate.dealId === deal.dealId)
      ? await fetchAllPages<TaskRecord>(market, `/deals/${deal.dealId}/tasks`, {})
      : [];
    tasks += own.length;
    diffRecords("task", own, served, (task) => `${task.dealId}#${task.index}`, differences);
  }

  const ownPayments = await allLedgerPages<PaymentRecord, readonly [number, number, number]>(
    (after) => ledger.payments({}, { limit: LEDGER_PAGE, after, order: "asc" }),
    (payment) => [payment.blockNumber, payment.logIndex, payment.seq] as const,
  );
  const apiPayments = upTo(await fetchAllPages<PaymentRecord>(market, "/payments", { order: "asc" }));
  diffRecords("payment", ownPayments, apiPayments, paymentKey, differences);

  const workerpools = Number(await chain.read(() => chain.contracts.workerpoolRegistry.count()));
  for (let id = 1; id <= workerpools; id++) {
    await compareReputation(String(id), ledger, market, chain, differences);
  }
  return { differences, checked: { deals: ownDeals.length, tasks, payments: ownPayments.length, workerpools, throughBlock } };
}

/** Reputation is checked three ways: contract state, the rebuilt ledger, and the API. */
async function compareReputation(id: string, ledger: Ledger, market: ServiceClient, chain: ChainSession, differences: Difference[]) {
  const [completed, failed, score] = (await chain.read(() => chain.contracts.continuum.reputationOf(BigInt(id)))) as bigint[];
  const onChain = { completed: completed!.toString(), failed: failed!.toString(), score: score!.toString() };
  const own = await ledger.reputation(id);
  const served = await market.get<ReputationRecord>(`/workerpools/${id}/reputation`).catch((error: unknown) => {
    if (error instanceof CliError && error.details?.status === 404) return undefined;
    throw error;
  });
  const key = `workerpool ${id}`;
  const scoreOf = (record: ReputationRecord | undefined) =>
    record ? { completed: record.completed, failed: record.failed, score: record.score } : undefined;
  if (JSON.stringify(scoreOf(own)) !== JSON.stringify(onChain)) {
    differences.push({ kind: "reputation", key, problem: `the events rebuild ${describe(scoreOf(own))} but the contract holds ${describe(onChain)}` });
  }
  if (JSON.stringify(scoreOf(served)) !== JSON.stringify(onChain)) {
    differences.push({ kind: "reputation", key, problem: `the API serves ${describe(scoreOf(served))} but the contract holds ${describe(onChain)}` });
  }
}

function diffRecords<R>(kind: Difference["kind"], own: R[], served: R[], keyOf: (record: R) => string, differences: Difference[]): void {
  const servedByKey = new Map(served.map((record) => [keyOf(record), record]));
  for (const record of own) {
    const key = keyOf(record);
    const match = servedByKey.get(key);
    servedByKey.delete(key);
    if (match === undefined) {
      differences.push({ kind, key, problem: "on-chain but missing from the API" });
      continue;
    }
    const fields = changedFields(record as Record<string, unknown>, match as Record<string, unknown>);
    if (fields.length > 0) differences.push({ kind, key, problem: `differs in ${fields.join("; ")}` });
  }
  for (const key of servedByKey.keys()) differences.push({ kind, key, problem: "served by the API but not in the chain's events" });
}

function changedFields(own: Record<string, unknown>, served: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(own), ...Object.keys(served)]);
  return [...names]
    .filter((name) => JSON.stringify(own[name]) !== JSON.stringify(served[name]))
    .map((name) => `${name}: chain ${JSON.stringify(own[name])}, API ${JSON.stringify(served[name])}`);
}

async function allLedgerPages<T, C>(
  read: (after: C | null) => Promise<{ items: T[]; nextCursor: string | null }>,
  cursorOf: (item: T) => C,
): Promise<T[]> {
  const items: T[] = [];
  let after: C | null = null;
  for (;;) {
    const page = await read(after);
    items.push(...page.items);
    if (page.nextCursor === null || page.items.length === 0) return items;
    after = cursorOf(page.items[page.items.length - 1]!);
  }
}

const dealKey = (deal: DealRecord) => [deal.blockNumber, deal.logIndex] as const;
const paymentKey = (payment: PaymentRecord) => `${payment.transactionHash}:${payment.logIndex}:${payment.seq}`;

function describe(score: { completed: string; failed: string; score: string } | undefined): string {
  return score ? `${score.completed} completed / ${score.failed} failed / score ${score.score}` : "nothing";
}

function report(context: CliContext, differences: Difference[], checked: Checked): void {
  if (differences.length > 0) {
    if (!context.output.json) {
      for (const difference of differences) context.output.status(`${difference.kind} ${difference.key}: ${difference.problem}`);
    }
    throw new CliError(
      "AUDIT_MISMATCH",
      `${differences.length} difference(s) between the chain's events and the market API (through block ${checked.throughBlock})`,
      { differences, checked },
    );
  }
  context.output.result({ verified: true, ...checked }, [
    ["verified", `the API matches the chain's events through block ${checked.throughBlock}`],
    ["deals", String(checked.deals)],
    ["tasks", String(checked.tasks)],
    ["payments", String(checked.payments)],
    ["workerpools", `${checked.workerpools} (reputation checked against the contract)`],
  ]);
}
