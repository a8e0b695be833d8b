// GET /explorer: the most recent deals, filtered by party, asset and time range through a plain
// GET form, paged with the ledger's cursor.
import type { Request, Response } from "express";
import type { DealRecord, Ledger } from "../../persistence/ledger/index.ts";
import { LIST_PARAMS, eventPage, parseListQuery } from "../routes/auditQuery.ts";
import { PROOF_HEADER, emptyRow, pageLinks, proofCell, statusBadge, type ExplorerView } from "./components.ts";
import { formQuery, queryText, type PageQueryText } from "./explorerQuery.ts";
import { accountLink, amount, dealLink, explorerHref, isoTime, workerpoolLink } from "./format.ts";
import { html, type SafeHtml } from "./html.ts";
import { sendPage } from "./layout.ts";

const FILTER_FIELDS: readonly [name: string, label: string, placeholder: string][] = [
  ["address", "Address (any party)", "0x…"],
  ["workerpool", "Workerpool", "id"],
  ["app", "App", "id"],
  ["dataset", "Dataset", "id"],
  ["from", "From (inclusive)", "2026-01-31T12:00:00Z or unix s"],
  ["to", "To (exclusive)", "2026-02-01 or unix s"],
];

function filterForm(values: PageQueryText): SafeHtml {
  const fields = FILTER_FIELDS.map(
    ([name, label, placeholder]) => html`<label>${label}<input type="text" name="${name}" value="${values[name] ?? ""}" placeholder="${placeholder}"></label>`,
  );
  const order = values.order === "asc" ? "asc" : "desc";
  return html`<form class="filters" method="get" action="${explorerHref("")}">
${values.requester === undefined ? "" : html`<input type="hidden" name="requester" value="${values.requester}">`}
${fields}
<label>Order<select name="order"><option value="desc"${order === "desc" ? " selected" : ""}>newest first</option><option value="asc"${order === "asc" ? " selected" : ""}>oldest first</option></select></label>
<button type="submit">Filter</button> <a href="${explorerHref("")}">clear</a>
</form>`;
}

/** Requester's price of one task: app + dataset + workerpool. */
function taskPrice(deal: DealRecord): string {
  return (BigInt(deal.appPrice) + BigInt(deal.datasetPrice) + BigInt(deal.workerpoolPrice)).toString();
}

export function dealsTable(view: ExplorerView, deals: readonly DealRecord[]): SafeHtml {
  const rows = deals.map(
    (deal) => html`<tr class="deal"><td>${dealLink(deal.dealId)}</td><td>${isoTime(deal.blockTime)}</td><td>${statusBadge(deal.status)}</td>
<td>${deal.app}</td><td>${deal.dataset === "0" ? html`<span class="muted">none</span>` : deal.dataset}</td><td>${workerpoolLink(deal.workerpool)}</td>
<td>${accountLink(deal.requester)}</td><td>${deal.taskCounts.completed}/${deal.volume}</td><td>${amount(view.token, taskPrice(deal))}</td>${proofCell(view, deal)}</tr>`,
  );
  return html`<table class="deals"><thead><tr><th>Deal</th><th>Created</th><th>Status</th><th>App</th><th>Dataset</th><th>Workerpool</th><th>Requester</th><th>Done</th><th>Price per task</th>${PROOF_HEADER}</tr></thead>
<tbody>${rows.length === 0 ? emptyRow(10, "no deal matches") : rows}</tbody></table>`;
}

export async function renderDealsPage(ledger: Ledger, view: ExplorerView, req: Request, res: Response): Promise<void> {
  const query = formQuery(req);
  const { order, ...filter } = parseListQuery(query, LIST_PARAMS.deals);
  const page = await ledger.deals(filter, eventPage(query, order));
  const text = queryText(query);
  sendPage(
    res,
    200,
    "Deals",
    html`<h1>Deals</h1>
${filterForm(text)}
${dealsTable(view, page.items)}
${pageLinks("", text, "cursor", page.nextCursor)}`,
  );
}
