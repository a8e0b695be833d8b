// GET /explorer/workerpools/:id: a workerpool's registration, its reputation as the contract
// computes it (completed, failed, score) and the deals it served, newest first.
import type { Request, Response } from "express";
import type { Ledger } from "../../persistence/ledger/index.ts";
import { notFound } from "../../http/ApiError.ts";
import { eventPage, parseAssetId } from "../routes/auditQuery.ts";
import { facts, pageLinks, proof, type ExplorerView } from "./components.ts";
import { dealsTable } from "./dealsPage.ts";
import { allowOnly, formQuery, queryText } from "./explorerQuery.ts";
import { accountLink, explorerHref, isoTime } from "./format.ts";
import { html } from "./html.ts";
import { sendPage } from "./layout.ts";

/** Score in basis points as a percentage, e.g. 5000 -> "50.00 %". */
function percent(basisPoints: string): string {
  const value = BigInt(basisPoints);
  return `${value / 100n}.${(value % 100n).toString().padStart(2, "0")} %`;
}

export async function renderWorkerpoolPage(ledger: Ledger, view: ExplorerView, req: Request, res: Response): Promise<void> {
  const workerpool = parseAssetId("workerpool", req.params.id);
  const query = formQuery(req);
  allowOnly(query, ["limit", "cursor"]);
  const page = eventPage(query);
  const reputation = await ledger.reputation(workerpool);
  if (!reputation) throw notFound("WORKERPOOL_NOT_FOUND", `the ledger holds no registration of workerpool ${workerpool}`, { workerpool });
  const registration = await ledger.asset("workerpool", workerpool);
  const deals = await ledger.deals({ workerpool }, page);
  sendPage(
    res,
    200,
    `Workerpool ${workerpool}`,
    html`<h1>Workerpool #${workerpool}</h1>
${facts([
  ["Description", registration?.description ?? html`<span class="muted">none</span>`],
  ["Owner", registration ? accountLink(registration.owner) : html`<span class="muted">unknown</span>`],
  ["Registered", registration ? html`${isoTime(registration.blockTime)}, ${proof(view, registration)}` : ""],
])}
<h2 id="reputation">Reputation</h2>
${facts([
  ["Completed tasks", reputation.completed],
  ["Failed tasks", reputation.failed],
  ["Score", html`<span class="score" title="${reputation.score} basis points">${percent(reputation.score)}</span>`],
  ["Last change", html`${isoTime(reputation.blockTime)}, ${proof(view, reputation)}`],
])}
<h2 id="deals">Deals</h2>
${dealsTable(view, deals.items)}
${pageLinks(`/workerpools/${workerpool}`, queryText(query), "cursor", deals.nextCursor)}
<p><a href="${explorerHref("", { workerpool })}">filter deals of this workerpool</a></p>`,
  );
}
