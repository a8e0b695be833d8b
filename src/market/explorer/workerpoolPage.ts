// GET /explorer/workerpools/:id: a workerpool's registration, its announced scheduler with the
// runtimes and native packages its live workers offer, its reputation as the contract computes it
// (completed, failed, score) and the deals it served, newest first.
import type { Request, Response } from "express";
import type { Ledger } from "../../persistence/ledger/index.ts";
import { notFound } from "../../http/ApiError.ts";
import { eventPage, parseAssetId } from "../routes/auditQuery.ts";
import type { WorkerpoolSchedulerJson } from "../../wire/marketApi/workerpoolScheduler.ts";
import { emptyRow, facts, pageLinks, proof, statusBadge, type ExplorerView } from "./components.ts";
import { dealsTable } from "./dealsPage.ts";
import { allowOnly, formQuery, queryText } from "./explorerQuery.ts";
import { accountLink, explorerHref, isoTime } from "./format.ts";
import { html, type SafeHtml } from "./html.ts";
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
  const scheduler = view.schedulers === undefined ? undefined : await view.schedulers.of(BigInt(workerpool));
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
<h2 id="scheduler">Scheduler and runtimes</h2>
${schedulerSection(scheduler)}
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

const STATUS_TEXT: Record<WorkerpoolSchedulerJson["status"], string> = {
  reachable: "reachable",
  unreachable: "unreachable: runtimes unknown",
  pending: "not read yet: runtimes unknown",
  mismatch: "serves another workerpool: runtimes unknown",
};

/** The announced scheduler, how its last read went, and what its live workers offer. */
function schedulerSection(scheduler: WorkerpoolSchedulerJson | undefined): SafeHtml {
  if (scheduler === undefined) {
    return html`<p class="muted">The owner has not announced a scheduler: runtimes unknown (<code>continuum workerpool announce</code>).</p>`;
  }
  const runtimes = scheduler.runtimes;
  return html`${facts([
    ["URL", html`<code>${scheduler.url}</code>`],
    ["Status", html`${statusBadge(scheduler.status)} ${STATUS_TEXT[scheduler.status]}${scheduler.problem ? html` (${scheduler.problem})` : ""}`],
    ["Last read", scheduler.checkedAt === null ? html`<span class="muted">never</span>` : isoTime(scheduler.checkedAt)],
    ["Announced", html`${isoTime(scheduler.announcedAt)} by ${accountLink(scheduler.announcedBy)}`],
  ])}
${
  runtimes === null
    ? ""
    : html`<table class="runtimes"><thead><tr><th>Runtime</th><th>Interpreter</th><th>Native packages</th><th>Profile</th></tr></thead>
<tbody>${
        runtimes.length === 0
          ? emptyRow(4, "no live worker")
          : runtimes.map(
              (offer) => html`<tr><td>${offer.runtime}</td><td>${offer.interpreter ?? html`<span class="muted">n/a</span>`}</td>
<td>${offer.packages.length === 0 ? html`<span class="muted">none</span>` : offer.packages.map((pin) => `${pin.name}==${pin.version}`).join(", ")}</td>
<td>${offer.profile === null ? html`<span class="muted">one profile</span>` : html`<code title="${offer.profile}">${offer.profile.slice(0, 10)}…</code>`}</td></tr>`,
            )
      }</tbody></table>`
}`;
}
