// One enclave session, end to end: run the checks, gather and seal the secrets, and record the
// decision in the audit log before answering, so no secret leaves without its audit entry.
import type { Logger } from "../../src/core/logger.ts";
import type { MasterKey } from "../secrets/MasterKey.ts";
import type { AuditRepository, NewAuditEntry } from "../persistence/AuditRepository.ts";
import type { EnclaveBindingRepository } from "../persistence/EnclaveBindingRepository.ts";
import type { SecretRepository } from "../persistence/SecretRepository.ts";
import type { SecretReference } from "../../src/wire/smsApi/secretKinds.ts";
import { checkSession, type SessionCheckContext, type SessionFacts, type SessionRequest } from "./checkSession.ts";
import { releaseSecrets, type ReleasedSecrets, type SealAgreementMaker } from "./releaseSecrets.ts";
import type { SessionRefusalReason } from "./sessionRefusals.ts";

export type SessionContext = SessionCheckContext & {
  secrets: SecretRepository;
  audit: AuditRepository;
  bindings: EnclaveBindingRepository;
  masterKey: MasterKey;
  logger: Logger;
  /** Where seal key agreements are made; here, when absent. */
  agree?: SealAgreementMaker;
};

/** Who asked for what; `worker` is null when the request's worker signature did not verify. */
export type SessionIdentity = { dealId: string; taskIndex: string; taskId: string; attempt: number; worker: string | null; enclave: string };

export type SessionOutcome =
  | { outcome: "released"; sessionId: number; session: SessionIdentity; secrets: ReleasedSecrets }
  | { outcome: "refused"; sessionId: number; session: SessionIdentity; reason: SessionRefusalReason; detail: string };

export async function openSession(context: SessionContext, request: SessionRequest): Promise<SessionOutcome> {
  const check = await checkSession(context, request);
  const session = identityOf(check.facts);
  const log = context.logger.child({ dealId: session.dealId, taskIndex: session.taskIndex, enclave: session.enclave });
  if (!check.ok) {
    await attributeToDeal(context, check.facts);
    const sessionId = await context.audit.append(auditEntry(check.facts, { reason: check.reason, detail: check.detail }));
    log.warn({ sessionId, reason: check.reason }, "session refused");
    return { outcome: "refused", sessionId, session, reason: check.reason, detail: check.detail };
  }
  // The last check, and the only one that writes: this attempt of the task is now this enclave's.
  const binding = await context.bindings.bind({ taskId: check.facts.taskId, attempt: check.facts.attempt, enclave: check.facts.enclave });
  if (!binding.ok) {
    const sessionId = await context.audit.append(auditEntry(check.facts, { reason: binding.reason, detail: binding.detail }));
    log.warn({ sessionId, reason: binding.reason }, "session refused");
    return { outcome: "refused", sessionId, session, reason: binding.reason, detail: binding.detail };
  }
  const release = await releaseSecrets(context.secrets, context.masterKey, check.facts.deal, request.enclavePublicKey, context.agree);
  if (!release.ok) {
    const sessionId = await context.audit.append(auditEntry(check.facts, { reason: release.reason, detail: release.detail }));
    log.warn({ sessionId, reason: release.reason }, "session refused");
    return { outcome: "refused", sessionId, session, reason: release.reason, detail: release.detail };
  }
  const sessionId = await context.audit.append(auditEntry(check.facts, { released: release.released }));
  log.info({ sessionId, released: release.released.length }, "secrets released");
  return { outcome: "released", sessionId, session, secrets: release.secrets };
}

/**
 * A request refused before the chain was read (a bad quote) still names a deal: attribute the
 * entry to that deal's app, dataset and requester, so their owners see the attempt in their log.
 * Only committed deals are attributed; an unreadable chain leaves the entry unattributed.
 */
async function attributeToDeal(context: SessionContext, facts: SessionFacts): Promise<void> {
  if (facts.deal !== undefined) return;
  try {
    facts.deal = await context.chain.readDeal(facts.dealId);
  } catch {
    facts.deal = undefined;
  }
}

function identityOf(facts: SessionFacts): SessionIdentity {
  return {
    dealId: facts.dealId,
    taskIndex: facts.taskIndex.toString(),
    taskId: facts.taskId,
    attempt: facts.attempt,
    worker: facts.worker,
    enclave: facts.enclave,
  };
}

function auditEntry(
  facts: SessionFacts,
  decision: { reason: SessionRefusalReason; detail: string } | { released: SecretReference[] },
): NewAuditEntry {
  const deal = facts.deal?.deal;
  return {
    action: "session",
    outcome: "released" in decision ? "released" : "refused",
    reason: "reason" in decision ? decision.reason : null,
    detail: "detail" in decision ? decision.detail : "",
    actor: facts.worker?.toLowerCase() ?? null,
    dealId: facts.dealId,
    taskIndex: facts.taskIndex,
    taskId: facts.taskId,
    enclave: facts.enclave.toLowerCase(),
    measurement: facts.measurement?.toLowerCase() ?? null,
    app: deal?.app ?? null,
    dataset: deal && deal.dataset !== 0n ? deal.dataset : null,
    requester: deal?.requester.toLowerCase() ?? null,
    secrets: "released" in decision ? decision.released : [],
  };
}
