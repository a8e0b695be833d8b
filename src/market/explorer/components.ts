// Pieces the explorer pages share: the labelled proof (block and transaction), fact tables,
// status badges, pagination links and the record tables of tasks and payments.
import type { WorkerpoolSchedulerJson } from "../../wire/marketApi/workerpoolScheduler.ts";
import type { TokenUnit } from "../../core/tokenAmount.ts";
import type { PaymentRecord, TaskCounts, TaskFailure, TaskRecord } from "../../persistence/ledger/index.ts";
import { describeTaskFailure } from "../../wire/marketApi/taskFailure.ts";
import type { TaskAttestations } from "../attestation/TaskAttestations.ts";
import type { PipelineStatusJson } from "../../wire/marketApi/pipelineStatus.ts";
import { accountLink, amount, dealLink, explorerHref, hash, isoTime } from "./format.ts";
import { html, type HtmlValue, type SafeHtml } from "./html.ts";

/** What every page needs to know about the deployment. */
export type ExplorerView = {
  /** The payment token's symbol and decimals: every amount is shown in it. */
  token: TokenUnit;
  /** Base URL of a chain explorer (Etherscan or Blockscout style: /block/N, /tx/HASH); plain text without one. */
  chainExplorerUrl?: string;
  /** Where task pages find a result's attestation; without it they show none. */
  attestations?: TaskAttestations;
  /** Announced workerpool schedulers; workerpool pages show theirs and its runtimes. */
  schedulers?: SchedulerLookup;
  /** Where pipeline pages read a pipeline's progress; without it they find none. */
  pipelines?: PipelineProgressReader;
};

/** The market's record of a workerpool's announced scheduler (SchedulerDirectory). */
export type SchedulerLookup = { of(workerpool: bigint): Promise<WorkerpoolSchedulerJson | undefined> };

/** Where the explorer reads a pipeline's progress (the market's pipeline orchestrator). */
export type PipelineProgressReader = { progress(id: string): Promise<PipelineStatusJson | undefined> };

type Proven = { blockNumber: number; blockTime: string; transactionHash: string };

/** "block 42, tx 0x12345678…abcdef": the block (its time in the title) and the transaction that prove a record. */
export function proof(view: ExplorerView, proven: Proven): SafeHtml {
  const base = view.chainExplorerUrl;
  const number = html`<span class="proof-block" title="${proven.blockTime}">${proven.blockNumber}</span>`;
  const block = base === undefined ? number : html`<a href="${`${base}/block/${proven.blockNumber}`}">${number}</a>`;
  const tx = base === undefined ? hash(proven.transactionHash) : html`<a href="${`${base}/tx/${proven.transactionHash}`}">${hash(proven.transactionHash)}</a>`;
  return html`<span class="proof">block ${block}, tx ${tx}</span>`;
}

/** The proof as a table cell, under PROOF_HEADER. */
export function proofCell(view: ExplorerView, proven: Proven): SafeHtml {
  return html`<td>${proof(view, proven)}</td>`;
}

export const PROOF_HEADER = html`<th>Proof</th>`;

export function facts(rows: readonly [label: string, value: HtmlValue][]): SafeHtml {
  return html`<table class="facts">${rows.map(([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>`)}</table>`;
}

/** "1 completed, 1 failed, 0 claimed, 1 pending". */
export function taskCountsText(counts: TaskCounts): string {
  return `${counts.completed} completed, ${counts.failed} failed, ${counts.claimed} claimed, ${counts.pending} pending`;
}

export function statusBadge(status: string): SafeHtml {
  return html`<span class="status status-${status}">${status}</span>`;
}

/** "Next page" (and "first page" when not on it) links keeping `query`, the cursor under `cursorParam`. */
export function pageLinks(path: string, query: Record<string, string | undefined>, cursorParam: string, nextCursor: string | null): SafeHtml {
  const onFirst = query[cursorParam] === undefined;
  if (onFirst && nextCursor === null) return html``;
  const first = onFirst ? "" : html`<a rel="first" href="${explorerHref(path, { ...query, [cursorParam]: undefined })}">« first page</a>`;
  const next = nextCursor === null ? "" : html`<a rel="next" href="${explorerHref(path, { ...query, [cursorParam]: nextCursor })}">next page »</a>`;
  return html`<nav class="pages" data-cursor="${cursorParam}">${first}${next}</nav>`;
}

export function emptyRow(columns: number, text: string): SafeHtml {
  return html`<tr><td colspan="${columns}" class="muted">${text}</td></tr>`;
}

/** Why a task has no result: its code and attempt count, the explanation in the title. */
export function failureReason(failure: TaskFailure | null): SafeHtml {
  if (failure === null) return html`<span class="muted">—</span>`;
  const attempts = failure.attempts === null ? "" : `, attempt ${failure.attempts}`;
  return html`<span class="failure" title="${describeTaskFailure(failure)}"><code>${failure.code}</code>${attempts}</span>`;
}

export function tasksTable(view: ExplorerView, tasks: readonly TaskRecord[], options: { showDeal?: boolean } = {}): SafeHtml {
  const columns = options.showDeal ? 8 : 7;
  const rows = tasks.map(
    (task) => html`<tr class="task">
${options.showDeal ? html`<td>${dealLink(task.dealId)}</td>` : ""}<td><a href="${explorerHref(`/deals/${task.dealId}/tasks/${task.index}`)}">${task.index}</a></td><td>${statusBadge(task.status)}</td><td>${failureReason(task.failure)}</td>
<td>${task.resultCid === null ? html`<span class="muted">—</span>` : hash(task.resultCid, "cid")}</td>
<td>${task.worker === null ? html`<span class="muted">—</span>` : accountLink(task.worker)}</td><td>${hash(task.taskId)}</td>${proofCell(view, task)}</tr>`,
  );
  return html`<table class="tasks"><thead><tr>${options.showDeal ? html`<th>Deal</th>` : ""}<th>Index</th><th>Status</th><th>Reason</th><th>Result CID</th><th>Worker</th><th>Task id</th>${PROOF_HEADER}</tr></thead>
<tbody>${rows.length === 0 ? emptyRow(columns, "no tasks") : rows}</tbody></table>`;
}

export function paymentsTable(view: ExplorerView, payments: readonly PaymentRecord[]): SafeHtml {
  const rows = payments.map(
    (payment) => html`<tr class="payment"><td>${payment.kind}</td><td>${accountLink(payment.from)}</td><td>${accountLink(payment.to)}</td>
<td>${amount(view.token, payment.amount)}</td><td>${payment.dealId === null ? html`<span class="muted">—</span>` : dealLink(payment.dealId)}</td>
<td>${payment.taskIndex ?? ""}</td><td>${isoTime(payment.blockTime)}</td>${proofCell(view, payment)}</tr>`,
  );
  return html`<table class="payments"><thead><tr><th>Kind</th><th>From</th><th>To</th><th>Amount</th><th>Deal</th><th>Task</th><th>Time</th>${PROOF_HEADER}</tr></thead>
<tbody>${rows.length === 0 ? emptyRow(8, "no payments") : rows}</tbody></table>`;
}
