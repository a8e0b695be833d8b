// GET /explorer/deals/:dealId/tasks/:index: one task (status, worker, enclave, result) and, for a
// completed TEE task, its attestation: the platform, the TCB status and advisories and the
// measurement the SMS judged, with the command that verifies it all independently.
import type { Request, Response } from "express";
import type { TaskRecord } from "../../persistence/ledger/index.ts";
import type { TaskAttestationRecord } from "../../wire/marketApi/taskAttestation.ts";
import { MarketError } from "../MarketError.ts";
import { parseDealId } from "../routes/auditQuery.ts";
import { parseTaskIndex } from "../routes/taskAttestation.ts";
import { facts, proof, statusBadge, type ExplorerView } from "./components.ts";
import { accountLink, dealLink, hash } from "./format.ts";
import { html, type SafeHtml } from "./html.ts";
import { sendPage } from "./layout.ts";
import type { Ledger } from "../../persistence/ledger/index.ts";

/** Why a task shows no attestation, as the page says it (the task itself still renders). */
const NO_ATTESTATION = new Set(["RESULT_NOT_READY", "ATTESTATION_NOT_FOUND", "ATTESTATION_INVALID", "ATTESTATION_UNAVAILABLE"]);

export async function renderTaskPage(ledger: Ledger, view: ExplorerView, req: Request, res: Response): Promise<void> {
  const dealId = parseDealId(req.params.dealId);
  const index = parseTaskIndex(req.params.index);
  const page = await ledger.dealTasks(dealId, { limit: 1, after: index === 0n ? null : (index - 1n).toString() });
  if (page === undefined) throw new MarketError("DEAL_NOT_FOUND", `the ledger holds no deal ${dealId}; check the id, or wait for the indexer to reach its block`, { dealId });
  const task = page.items[0];
  if (task === undefined || task.index !== index.toString()) throw new MarketError("TASK_NOT_FOUND", `deal ${dealId} has no task ${index}`, { dealId, index: index.toString() });
  sendPage(
    res,
    200,
    `Task ${index} of deal ${dealId}`,
    html`<h1>Task ${task.index} of deal ${dealLink(dealId)}</h1>
${taskFacts(view, task)}
<h2 id="attestation">Attestation</h2>
${await attestationSection(view, task)}`,
  );
}

function taskFacts(view: ExplorerView, task: TaskRecord): SafeHtml {
  const none = html`<span class="muted">—</span>`;
  return facts([
    ["Status", statusBadge(task.status)],
    ["Task id", hash(task.taskId)],
    ["Worker", task.worker === null ? none : accountLink(task.worker)],
    ["Enclave", task.enclave === null ? none : html`<code class="address">${task.enclave}</code>`],
    ["Result CID", task.resultCid === null ? none : hash(task.resultCid, "cid")],
    ["Result digest", task.resultDigest === null ? none : hash(task.resultDigest)],
    ["Proof", proof(view, task)],
  ]);
}

async function attestationSection(view: ExplorerView, task: TaskRecord): Promise<SafeHtml> {
  if (view.attestations === undefined) return html`<p class="muted">this explorer reads no IPFS gateway: attestations are not shown</p>`;
  let found: TaskAttestationRecord;
  try {
    found = await view.attestations.of(task.dealId, BigInt(task.index));
  } catch (error) {
    if (error instanceof MarketError && NO_ATTESTATION.has(error.code)) {
      return html`<p class="attestation-missing"><code class="error-code">${error.code}</code> ${error.message}</p>`;
    }
    throw error;
  }
  const verdict = found.attestation.smsVerdict;
  const verify = `continuum result verify ${task.dealId} ${task.index}`;
  return html`${facts([
    ["Bundle", hash(found.attestationCid, "cid")],
    ["Enclave key", html`<code class="address">${found.attestation.enclave}</code>`],
    ["Measurement", hash(found.attestation.appMeasurement)],
    ...(verdict === null
      ? [["SMS verdict", html`<span class="muted">none: the SMS signs no verdicts</span>`] as [string, SafeHtml]]
      : ([
          ["TEE", verdict.teeType],
          ["TCB status", html`<span class="tcb-status">${verdict.tcbStatus}</span>`],
          ["Advisories", verdict.advisoryIds.length === 0 ? "none" : verdict.advisoryIds.join(", ")],
          ["Judged by the SMS", html`${accountLink(verdict.signer)} at ${verdict.judgedAt} (block ${verdict.judgmentBlock})`],
          ...(verdict.collateral === undefined ? [] : [["Collateral", html`FMSPC <code>${verdict.collateral.fmspc}</code>, TCB info #${verdict.collateral.tcbEvaluationDataNumber} issued ${verdict.collateral.tcbInfoIssueDate}, TCB level of ${verdict.collateral.tcbDate}, valid until ${verdict.collateral.validUntil}`] as [string, SafeHtml]]),
        ] as [string, SafeHtml | string][])),
  ])}
<p class="verify-hint">The SMS's verdict as the bundle carries it. Check the quote, the enclave key, its signature of the result and the measurement yourself: <code>${verify}</code></p>`;
}
