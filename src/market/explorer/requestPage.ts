// GET /explorer/requests/:hash: a request order as the chain knows it (matched volume,
// cancellation, task counts), the deals that filled it and their tasks with result CIDs.
import type { Request, Response } from "express";
import type { Ledger, TaskRecord } from "../../persistence/ledger/index.ts";
import { notFound } from "../../http/ApiError.ts";
import { parseOrderHash } from "../routes/auditQuery.ts";
import { facts, proof, statusBadge, taskCountsText, tasksTable, type ExplorerView } from "./components.ts";
import { dealsTable } from "./dealsPage.ts";
import { allowOnly, formQuery } from "./explorerQuery.ts";
import { accountLink, isoTime } from "./format.ts";
import { html } from "./html.ts";
import { sendPage } from "./layout.ts";

/** Tasks listed on the page; the rest are on each deal's page. */
export const MAX_REQUEST_PAGE_TASKS = 200;

export async function renderRequestPage(ledger: Ledger, view: ExplorerView, req: Request, res: Response): Promise<void> {
  const hash = parseOrderHash(req.params.hash);
  allowOnly(formQuery(req), []);
  const status = await ledger.requestStatus(hash);
  if (!status) {
    throw notFound("REQUEST_NOT_FOUND", `the chain has no deal, approval or cancellation of request ${hash}; or the indexer has not reached its block yet`, { hash });
  }
  const tasks: TaskRecord[] = status.deals.flatMap((deal) => deal.tasks).slice(0, MAX_REQUEST_PAGE_TASKS);
  const counts = status.taskCounts;
  const truncated = status.dealsTruncated || BigInt(counts.total) > BigInt(tasks.length);
  sendPage(
    res,
    200,
    `Request ${status.requestHash}`,
    html`<h1>Request <code>${status.requestHash}</code></h1>
${facts([
  ["Status", html`${statusBadge(status.status)}${status.cancelled ? " (cancelled on-chain)" : ""}`],
  ["Requester", accountLink(status.requester)],
  ["Matched volume", status.matchedVolume],
  ["Tasks", `${taskCountsText(counts)} of ${counts.total}`],
  ["Last change", html`${isoTime(status.blockTime)}, ${proof(view, status)}`],
])}
<h2 id="deals">Deals</h2>
${dealsTable(view, status.deals)}
${status.dealsTruncated ? html`<p class="muted">More deals filled this request than the page lists.</p>` : ""}
<h2 id="tasks">Tasks</h2>
${tasksTable(view, tasks, { showDeal: true })}
${truncated ? html`<p class="muted">Only the first tasks are listed here; each deal's page lists all of its tasks.</p>` : ""}`,
  );
}
