// GET /explorer/pipelines/:id: a confidential pipeline as the market and the chain see it now: the
// DAG of its stages drawn with their states, then one row per stage with its request, deal, task,
// result CID and, for a failed stage, why. Intermediate results are sealed for the SMS, so the page
// shows where they are, never what they hold.
import type { Request, Response } from "express";
import { notFound } from "../../http/ApiError.ts";
import type { PipelineStageStatusJson, PipelineStatusJson } from "../../wire/marketApi/pipelineStatus.ts";
import { stageParents } from "../../wire/pipelines/index.ts";
import { MarketError } from "../MarketError.ts";
import { emptyRow, facts, statusBadge, type ExplorerView } from "./components.ts";
import type { Ledger } from "../../persistence/ledger/index.ts";
import { allowOnly, formQuery } from "./explorerQuery.ts";
import { accountLink, dealLink, explorerHref, hash, isoTime, requestLink } from "./format.ts";
import { html, type SafeHtml } from "./html.ts";
import { sendPage } from "./layout.ts";
import { pipelineDagSvg, type DagStage } from "./pipelineDag.ts";

const PIPELINE_ID = /^0x[0-9a-fA-F]{64}$/;

function stageCaption(stage: PipelineStageStatusJson): string | undefined {
  if (stage.dealId === null) return stage.final ? "final: to the requester" : undefined;
  return `deal ${stage.dealId.slice(0, 10)}… task ${stage.taskIndex ?? "?"}`;
}

/** The stages as the DAG drawing wants them: parents, state, a link to the stage's deal. */
export function dagStagesOf(status: PipelineStatusJson): DagStage[] {
  return status.stages.map((stage) => {
    const definition = status.document.stages.find((candidate) => candidate.id === stage.id);
    const caption = stageCaption(stage);
    return {
      id: stage.id,
      parents: definition === undefined ? [] : stageParents(definition),
      state: stage.state,
      ...(stage.dealId === null ? {} : { href: explorerHref(`/deals/${encodeURIComponent(stage.dealId)}`) }),
      ...(caption === undefined ? {} : { caption }),
    };
  });
}

function inputsText(stage: PipelineStageStatusJson): SafeHtml[] {
  return stage.inputs.map((input) =>
    "stage" in input ? html`<span class="input">stage <code>${input.stage}</code></span> ` : html`<span class="input">dataset ${hash(String(input.dataset))}</span> `,
  );
}

function stagesTable(stages: readonly PipelineStageStatusJson[]): SafeHtml {
  const muted = html`<span class="muted">—</span>`;
  const rows = stages.map(
    (stage) => html`<tr class="stage" data-stage="${stage.id}"><td><code>${stage.id}</code>${stage.final ? html` <span class="muted">(final)</span>` : ""}</td>
<td>${statusBadge(stage.state)}</td><td>${inputsText(stage)}</td><td>${requestLink(stage.requestHash)}</td>
<td>${stage.dealId === null ? muted : dealLink(stage.dealId)}</td>
<td>${stage.dealId === null || stage.taskIndex === null ? muted : html`<a href="${explorerHref(`/deals/${encodeURIComponent(stage.dealId)}/tasks/${stage.taskIndex}`)}">${stage.taskIndex}</a>`}</td>
<td>${stage.resultCid === null ? muted : hash(stage.resultCid, "cid")}</td>
<td>${stage.failure === null ? muted : html`<span class="failure" title="${stage.failure.message}"><code>${stage.failure.code}</code></span>`}</td></tr>`,
  );
  return html`<table class="stages"><thead><tr><th>Stage</th><th>State</th><th>Inputs</th><th>Request</th><th>Deal</th><th>Task</th><th>Result CID</th><th>Failure</th></tr></thead>
<tbody>${rows.length === 0 ? emptyRow(8, "no stages") : rows}</tbody></table>`;
}

export async function renderPipelinePage(_ledger: Ledger, view: ExplorerView, req: Request, res: Response): Promise<void> {
  allowOnly(formQuery(req), []);
  const id = String(req.params.id);
  if (!PIPELINE_ID.test(id)) throw new MarketError("INVALID_PIPELINE_ID", `${id} is not a pipeline id (32 bytes as 0x-prefixed hex)`);
  const status = view.pipelines === undefined ? undefined : await view.pipelines.progress(id.toLowerCase());
  if (status === undefined) throw notFound("PIPELINE_NOT_FOUND", `no pipeline ${id} was submitted to this market`, { id });
  sendPage(
    res,
    200,
    `Pipeline ${status.name}`,
    html`<h1>Pipeline ${status.name} ${statusBadge(status.state)}</h1>
${facts([
  ["Id", hash(status.id)],
  ["Requester", accountLink(status.requester)],
  ["Submitted", isoTime(status.submittedAt)],
  ["Stages", `${status.stages.filter((stage) => stage.state === "completed").length} of ${status.stages.length} completed`],
  ["Failure", status.failure === null ? html`<span class="muted">none</span>` : html`stage <code>${status.failure.stage}</code>: <code>${status.failure.code}</code> ${status.failure.message}`],
])}
<h2 id="dag">Stages and their inputs</h2>
<figure class="dag">${pipelineDagSvg(dagStagesOf(status))}</figure>
<p class="muted">Intermediate outputs are sealed under keys only the SMS holds and releases to the attested enclave of a stage that reads them; only final stages' results are encrypted to the requester.</p>
<h2 id="stages">Stages</h2>
${stagesTable(status.stages)}`,
  );
}
