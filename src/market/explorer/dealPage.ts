// GET /explorer/deals/:dealId: one deal's parties, assets, prices, volume, deadline and status,
// then its tasks (by index) and its escrow movements, each row naming the block and transaction.
import type { Request, Response } from "express";
import type { AssetRecord, DealRecord, Ledger } from "../../persistence/ledger/index.ts";
import { notFound } from "../../http/ApiError.ts";
import { parseDealId, paymentPage, taskIndexPage } from "../routes/auditQuery.ts";
import { facts, pageLinks, paymentsTable, proof, statusBadge, taskCountsText, tasksTable, type ExplorerView } from "./components.ts";
import { allowOnly, formQuery, pageQueryOf, queryText } from "./explorerQuery.ts";
import { accountLink, amount, explorerHref, hash, isoTime, requestLink, unixTime, workerpoolLink } from "./format.ts";
import { html, type SafeHtml } from "./html.ts";
import { sendPage } from "./layout.ts";
import { readRequestParams } from "../../wire/requestParams.ts";

const PARAMS = ["limit", "tasksCursor", "paymentsCursor"];

export function dealNotFound(dealId: string) {
  return notFound("DEAL_NOT_FOUND", `the ledger holds no deal ${dealId}; check the id, or wait for the indexer to reach its block`, { dealId });
}

/** The asset's id with what its registration says: a name for apps and datasets, a description for workerpools. */
function assetCell(id: string, asset: AssetRecord | undefined, link?: SafeHtml): SafeHtml {
  const label = asset?.name ?? asset?.description;
  return html`${link ?? html`#${id}`}${label === null || label === undefined ? "" : html` <span class="asset-label">${label}</span>`}`;
}

async function assetsOf(ledger: Ledger, deal: DealRecord) {
  return {
    app: await ledger.asset("app", deal.app),
    dataset: deal.dataset === "0" ? undefined : await ledger.asset("dataset", deal.dataset),
    workerpool: await ledger.asset("workerpool", deal.workerpool),
  };
}

/** The pipeline stage the deal's params name (read from the chain alone), linked to its pipeline page. */
function pipelineCell(params: string): SafeHtml {
  const read = readRequestParams(params);
  if (!read.ok || read.pipeline === undefined) return html`<span class="muted">none</span>`;
  const { pipeline, stage } = read.pipeline;
  return html`stage <code>${stage}</code> of <a href="${explorerHref(`/pipelines/${pipeline}`)}">${hash(pipeline)}</a>`;
}

function dealFacts(view: ExplorerView, deal: DealRecord, assets: Awaited<ReturnType<typeof assetsOf>>): SafeHtml {
  const perTask = BigInt(deal.appPrice) + BigInt(deal.datasetPrice) + BigInt(deal.workerpoolPrice);
  return facts([
    ["Status", html`${statusBadge(deal.status)} ${taskCountsText(deal.taskCounts)}`],
    ["Volume", deal.volume],
    ["Requester", accountLink(deal.requester)],
    ["Beneficiary", accountLink(deal.beneficiary)],
    ["App", html`${assetCell(deal.app, assets.app)} owned by ${accountLink(deal.appOwner)}`],
    ["Dataset", deal.dataset === "0" ? html`<span class="muted">none</span>` : html`${assetCell(deal.dataset, assets.dataset)} owned by ${accountLink(deal.datasetOwner)}`],
    ["Workerpool", html`${assetCell(deal.workerpool, assets.workerpool, workerpoolLink(deal.workerpool))} owned by ${accountLink(deal.workerpoolOwner)}`],
    ["App price per task", amount(view.token, deal.appPrice)],
    ["Dataset price per task", amount(view.token, deal.datasetPrice)],
    ["Workerpool price per task", amount(view.token, deal.workerpoolPrice)],
    ["Total locked", html`${amount(view.token, (perTask * BigInt(deal.volume)).toString())} (${amount(view.token, perTask.toString())} per task)`],
    ["Stake per task", amount(view.token, deal.stakePerTask)],
    ["Category", deal.category],
    ["Tag", hash(deal.tag)],
    ["Start", unixTime(deal.startTime)],
    ["Deadline", unixTime(deal.deadline)],
    ["Request", html`${requestLink(deal.requestHash)} (offset ${deal.requestOffset})`],
    ["Params", deal.params === "" ? html`<span class="muted">none</span>` : html`<code class="params">${deal.params}</code>`],
    ["Pipeline", pipelineCell(deal.params)],
    ["Created", html`${isoTime(deal.blockTime)}`],
    ["Proof", proof(view, deal)],
  ]);
}

export async function renderDealPage(ledger: Ledger, view: ExplorerView, req: Request, res: Response): Promise<void> {
  const dealId = parseDealId(req.params.dealId);
  const query = formQuery(req);
  allowOnly(query, PARAMS);
  const taskPage = taskIndexPage(pageQueryOf(query, "tasksCursor"));
  const paymentsPage = paymentPage(pageQueryOf(query, "paymentsCursor"), "asc");
  const deal = await ledger.deal(dealId);
  if (!deal) throw dealNotFound(dealId);
  const tasks = (await ledger.dealTasks(dealId, taskPage))!;
  const payments = await ledger.payments({ deal: dealId }, paymentsPage);
  const path = `/deals/${deal.dealId}`;
  const text = queryText(query);
  sendPage(
    res,
    200,
    `Deal ${deal.dealId}`,
    html`<h1>Deal <code>${deal.dealId}</code></h1>
${dealFacts(view, deal, await assetsOf(ledger, deal))}
<h2 id="tasks">Tasks</h2>
${tasksTable(view, tasks.items)}
${pageLinks(path, text, "tasksCursor", tasks.nextCursor)}
<h2 id="payments">Payments</h2>
${paymentsTable(view, payments.items)}
${pageLinks(path, text, "paymentsCursor", payments.nextCursor)}
<p><a href="${explorerHref("", { requester: deal.requester })}">other deals of this requester</a></p>`,
  );
}
