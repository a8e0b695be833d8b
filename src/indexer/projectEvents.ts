// Turns decoded protocol events into ledger rows: pure, so the same events always give the same
// rows. Deals settled in a range but created earlier are passed in as `knownDeals`.
import { ZeroAddress } from "ethers";
import { argsOf, type ProtocolEvent } from "../chain/protocolEvents.ts";
import {
  emptyLedgerChanges,
  type AssetKind,
  type ChainPosition,
  type DealRow,
  type DealTerms,
  type LedgerChanges,
} from "../persistence/ledger/index.ts";
import { FAILURE_CAUSE } from "../wire/eip712/types.ts";
import { claimMovements, dealLockMovements, failureMovements, resultMovements, type Movement } from "./escrowMovements.ts";
import { IndexerError } from "./IndexerError.ts";

const ASSET_KIND_OF: Partial<Record<ProtocolEvent["contract"], AssetKind>> = {
  appRegistry: "app",
  datasetRegistry: "dataset",
  workerpoolRegistry: "workerpool",
};

const SETTLING_EVENTS = new Set(["ResultPushed", "TaskFailed", "TaskClaimed"]);

/** Deal ids whose results, failures or claims appear in `events` without their `DealCreated` there. */
export function dealsToLoad(events: readonly ProtocolEvent[]): string[] {
  const created = new Set<string>();
  const needed = new Set<string>();
  for (const event of events) {
    if (event.name === "DealCreated") created.add(argsOf(event, "DealCreated").dealId);
    if (SETTLING_EVENTS.has(event.name)) {
      const { dealId } = event.args as { dealId: string };
      if (!created.has(dealId)) needed.add(dealId);
    }
  }
  return [...needed];
}

/**
 * The ledger rows proven by `events` (in chain order). `blockTimes` gives each block's unix time;
 * `knownDeals` the terms of deals created before these events. Throws UNKNOWN_DEAL for a result,
 * failure or claim of a deal found in neither.
 */
export function projectEvents(
  events: readonly ProtocolEvent[],
  blockTimes: ReadonlyMap<number, number>,
  knownDeals: ReadonlyMap<string, DealTerms>,
): LedgerChanges {
  const changes = emptyLedgerChanges();
  const deals = new Map(knownDeals);
  for (const event of events) {
    const time = blockTimes.get(event.blockNumber);
    if (time === undefined) throw new Error(`no time for block ${event.blockNumber}`);
    const at: ChainPosition = {
      blockNumber: event.blockNumber,
      blockTime: time,
      transactionHash: event.transactionHash,
      logIndex: event.logIndex,
    };
    projectEvent(event, at, changes, deals);
  }
  return changes;
}

function projectEvent(event: ProtocolEvent, at: ChainPosition, changes: LedgerChanges, deals: Map<string, DealTerms>): void {
  switch (event.name) {
    case "Deposited": {
      const args = argsOf(event, "Deposited");
      addPayments(changes, at, [{ kind: "deposit", fromAddress: args.from, toAddress: args.account, amount: BigInt(args.amount) }]);
      return;
    }
    case "Withdrawn": {
      const args = argsOf(event, "Withdrawn");
      addPayments(changes, at, [{ kind: "withdraw", fromAddress: args.account, toAddress: null, amount: BigInt(args.amount) }]);
      return;
    }
    case "CategoryCreated": {
      const args = argsOf(event, "CategoryCreated");
      changes.categories.push({ ...at, category: args.category, name: args.name, description: args.description, maxRunTime: args.maxRunTime });
      return;
    }
    case "OrderApproved":
    case "OrderCancelled": {
      const args = event.args as { kind: string; orderHash: string; signer: string };
      const action = event.name === "OrderApproved" ? "approved" : "cancelled";
      changes.orderEvents.push({ ...at, orderHash: args.orderHash, kind: Number(args.kind), action, signer: args.signer });
      return;
    }
    case "DealCreated": {
      const deal = dealRowOf(event, at);
      changes.deals.push(deal);
      deals.set(deal.dealId, deal);
      addPayments(changes, at, dealLockMovements(deal), deal.dealId);
      return;
    }
    case "ResultPushed": {
      const args = argsOf(event, "ResultPushed");
      changes.tasks.push({
        ...at,
        dealId: args.dealId,
        taskIndex: args.index,
        taskId: args.taskId,
        status: "completed",
        worker: args.worker,
        enclave: args.enclave === ZeroAddress ? null : args.enclave,
        resultDigest: args.resultDigest,
        resultCid: args.resultCid,
        failureCause: null,
        failureAttempt: null,
      });
      addPayments(changes, at, resultMovements(termsOf(deals, args.dealId, event)), args.dealId, args.index);
      return;
    }
    case "TaskClaimed": {
      const args = argsOf(event, "TaskClaimed");
      changes.tasks.push({
        ...at,
        dealId: args.dealId,
        taskIndex: args.index,
        taskId: args.taskId,
        status: "claimed",
        worker: null,
        enclave: null,
        resultDigest: null,
        resultCid: null,
        failureCause: null,
        failureAttempt: null,
      });
      addPayments(changes, at, claimMovements(termsOf(deals, args.dealId, event)), args.dealId, args.index);
      return;
    }
    case "TaskFailed": {
      const args = argsOf(event, "TaskFailed");
      const cause = Number(args.cause);
      changes.tasks.push({
        ...at,
        dealId: args.dealId,
        taskIndex: args.index,
        taskId: args.taskId,
        status: "failed",
        worker: null,
        enclave: null,
        resultDigest: null,
        resultCid: null,
        failureCause: cause,
        failureAttempt: args.attempt,
      });
      const terms = termsOf(deals, args.dealId, event);
      addPayments(changes, at, failureMovements(terms, cause === FAILURE_CAUSE.requester), args.dealId, args.index);
      return;
    }
    case "ReputationChanged": {
      const args = argsOf(event, "ReputationChanged");
      const { logIndex: _logIndex, ...lastChange } = at;
      changes.reputations.push({ ...lastChange, workerpool: args.workerpool, completed: args.completed, failed: args.failed, score: args.score });
      return;
    }
    default:
      projectAssetEvent(event, at, changes);
  }
}

function projectAssetEvent(event: ProtocolEvent, at: ChainPosition, changes: LedgerChanges): void {
  const kind = ASSET_KIND_OF[event.contract];
  if (!kind) return;
  const asset = { ...at, kind, name: null, contentCid: null, checksum: null, measurement: null, description: null };
  switch (event.name) {
    case "Transfer": {
      const args = argsOf(event, "Transfer");
      changes.assetEvents.push({
        ...at,
        kind,
        assetId: args.tokenId,
        change: "transfer",
        fromAddress: args.from === ZeroAddress ? null : args.from,
        toAddress: args.to,
        description: null,
      });
      return;
    }
    case "AppRegistered": {
      const args = argsOf(event, "AppRegistered");
      changes.assets.push({
        ...asset,
        assetId: args.app,
        owner: args.owner,
        name: args.name,
        contentCid: args.bundleCid,
        checksum: args.checksum,
        measurement: args.measurement,
      });
      return;
    }
    case "DatasetRegistered": {
      const args = argsOf(event, "DatasetRegistered");
      changes.assets.push({ ...asset, assetId: args.dataset, owner: args.owner, name: args.name, contentCid: args.cid, checksum: args.checksum });
      return;
    }
    case "WorkerpoolRegistered": {
      const args = argsOf(event, "WorkerpoolRegistered");
      changes.assets.push({ ...asset, assetId: args.workerpool, owner: args.owner, description: args.description });
      addDescription(changes, at, args.workerpool, args.description);
      return;
    }
    case "WorkerpoolDescriptionChanged": {
      const args = argsOf(event, "WorkerpoolDescriptionChanged");
      addDescription(changes, at, args.workerpool, args.description);
      return;
    }
  }
}

function addDescription(changes: LedgerChanges, at: ChainPosition, workerpool: string, description: string): void {
  changes.assetEvents.push({
    ...at,
    kind: "workerpool",
    assetId: workerpool,
    change: "description",
    fromAddress: null,
    toAddress: null,
    description,
  });
}

function dealRowOf(event: ProtocolEvent, at: ChainPosition): DealRow {
  const args = argsOf(event, "DealCreated");
  return {
    ...at,
    ...args.deal,
    dealId: args.dealId,
    appOrderHash: args.appOrderHash,
    datasetOrderHash: args.datasetOrderHash,
    workerpoolOrderHash: args.workerpoolOrderHash,
    params: args.params,
  };
}

function termsOf(deals: ReadonlyMap<string, DealTerms>, dealId: string, event: ProtocolEvent): DealTerms {
  const terms = deals.get(dealId);
  if (!terms) {
    throw new IndexerError(
      "UNKNOWN_DEAL",
      `${event.name} in transaction ${event.transactionHash} settles deal ${dealId}, which the ledger does not hold; ` +
        "was the indexer started after the deployment block?",
      { dealId, blockNumber: event.blockNumber, transactionHash: event.transactionHash },
    );
  }
  return terms;
}

/** Adds the non-zero movements of one log, numbered in order. */
function addPayments(
  changes: LedgerChanges,
  at: ChainPosition,
  movements: readonly (Omit<Movement, "toAddress"> & { toAddress: string | null })[],
  dealId: string | null = null,
  taskIndex: string | null = null,
): void {
  let seq = 0;
  for (const movement of movements) {
    if (movement.amount === 0n) continue;
    changes.payments.push({
      ...at,
      seq: seq++,
      kind: movement.kind,
      fromAddress: movement.fromAddress,
      toAddress: movement.toAddress,
      amount: movement.amount.toString(),
      dealId,
      taskIndex,
    });
  }
}
