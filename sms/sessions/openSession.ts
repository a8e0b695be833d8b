// One enclave session, end to end: run the checks, gather and seal the secrets, sign the SMS's
// verdict (EnclaveAttested on a release; TaskFailure on a refusal that blames another party than
// the workerpool), and record the decision in the audit log before answering, so no secret and no
// verdict leaves without its audit entry.
import type { Logger } from "../../src/core/logger.ts";
import type { MasterKey } from "../secrets/MasterKey.ts";
import type { AuditRepository, NewAuditEntry } from "../persistence/AuditRepository.ts";
import type { BindingVerdict, EnclaveBindingRepository } from "../persistence/EnclaveBindingRepository.ts";
import type { SecretRepository } from "../persistence/SecretRepository.ts";
import type { PipelineRepository } from "../persistence/PipelineRepository.ts";
import type { SecretReference } from "../../src/wire/smsApi/secretKinds.ts";
import { checkSession, type SessionCheckContext, type SessionFacts, type SessionRequest } from "./checkSession.ts";
import { prepareRelease, type ReleasedSecrets, type SealAgreementMaker } from "./releaseSecrets.ts";
import { BLAMED_REFUSALS, type SessionRefusalReason } from "./sessionRefusals.ts";
import type { VerdictSigner } from "../verdicts/VerdictSigner.ts";
import { causeName, type EnclaveVerdict, type FailureVerdict } from "../../src/wire/smsApi/sessionVerdicts.ts";
import type { FailureCause } from "../../src/wire/eip712/types.ts";
import { getAddress } from "ethers";

export type SessionContext = SessionCheckContext & {
  secrets: SecretRepository;
  /** Registered pipelines and their sealed intermediate keys. */
  pipelines: PipelineRepository;
  audit: AuditRepository;
  bindings: EnclaveBindingRepository;
  masterKey: MasterKey;
  /** Signs the SMS's verdicts: EnclaveAttested on a release, TaskFailure on a refusal blaming another party. */
  verdicts: VerdictSigner;
  logger: Logger;
  /** Where seal key agreements are made; here, when absent. */
  agree?: SealAgreementMaker;
};

/** Who asked for what; `worker` is null when the request's worker signature did not verify. */
export type SessionIdentity = { dealId: string; taskIndex: string; taskId: string; attempt: number; worker: string | null; enclave: string };

export type SessionOutcome =
  | { outcome: "released"; sessionId: number; session: SessionIdentity; secrets: ReleasedSecrets; attestation: EnclaveVerdict }
  | {
      outcome: "refused";
      sessionId: number;
      session: SessionIdentity;
      reason: SessionRefusalReason;
      detail: string;
      /** The signed verdict, when the refusal blames a party other than the workerpool (BLAMED_REFUSALS). */
      failure?: FailureVerdict;
    };

type Refusal = { reason: SessionRefusalReason; detail: string };

export async function openSession(context: SessionContext, request: SessionRequest): Promise<SessionOutcome> {
  const check = await checkSession(context, request);
  const session = identityOf(check.facts);
  const log = context.logger.child({ dealId: session.dealId, taskIndex: session.taskIndex, enclave: session.enclave });
  const refuse = async (refusal: Refusal, failure?: FailureVerdict): Promise<SessionOutcome> => {
    const detail = failure === undefined ? refusal.detail : `${refusal.detail} (signed TaskFailure: the ${causeName(failure.cause)} is to blame, attempt ${failure.attempt})`;
    const sessionId = await context.audit.append(auditEntry(check.facts, { reason: refusal.reason, detail }));
    log.warn({ sessionId, reason: refusal.reason, blame: failure && causeName(failure.cause) }, "session refused");
    return { outcome: "refused", sessionId, session, reason: refusal.reason, detail: refusal.detail, ...(failure === undefined ? {} : { failure }) };
  };
  if (!check.ok) {
    if (check.blame === undefined) {
      await attributeToDeal(context, check.facts);
      return refuse(check);
    }
    // Everything the workerpool answers for passed: the attempt is this enclave's, and the verdict says who failed it.
    const bound = await bind(context, check.facts);
    return bound.ok ? refuse(check, failureVerdict(context, check.facts, check.blame)) : refuse(bound);
  }
  // The secrets are read and the key agreement made while the last check is decided; nothing is
  // opened unless it passes.
  const pending = prepareRelease(context, check.facts.deal, request.enclavePublicKey, context.agree);
  // The last check, and the only one that writes: this attempt of the task is now this enclave's.
  let bound: BindingVerdict;
  try {
    bound = await bind(context, check.facts);
  } catch (error) {
    pending.discard();
    throw error;
  }
  if (!bound.ok) {
    pending.discard();
    return refuse(bound);
  }
  const { facts } = check;
  // Signed while the seal agreement is still being made; it leaves only with the released secrets.
  const signature = context.verdicts.enclaveAttested(facts.taskId, getAddress(facts.enclave));
  const release = await pending.complete();
  if (!release.ok) {
    const blame = BLAMED_REFUSALS[release.reason];
    return refuse(release, blame === undefined ? undefined : failureVerdict(context, check.facts, blame));
  }
  const attestation: EnclaveVerdict = {
    signature,
    signer: context.verdicts.address,
    teeType: facts.quote.teeType,
    tcbStatus: facts.quote.status,
    advisoryIds: [...facts.quote.advisoryIds],
    measurement: facts.measurement.toLowerCase(),
    judgmentBlock: facts.judgmentBlock,
    judgedAt: context.clock().toISOString(),
    collateral: {
      fmspc: facts.quote.fmspc,
      pceId: facts.quote.pceId,
      tcbEvaluationDataNumber: facts.quote.tcbEvaluationDataNumber,
      tcbInfoIssueDate: facts.quote.tcbInfoIssueDate,
      tcbDate: facts.quote.tcbDate,
      validUntil: facts.quote.collateralValidUntil,
    },
  };
  const sessionId = await context.audit.append(auditEntry(facts, { released: release.released }));
  log.info({ sessionId, released: release.released.length }, "secrets released");
  return { outcome: "released", sessionId, session, secrets: release.secrets, attestation };
}

function bind(context: SessionContext, facts: SessionFacts) {
  return context.bindings.bind({ taskId: facts.taskId, attempt: facts.attempt, enclave: facts.enclave });
}

function failureVerdict(context: SessionContext, facts: SessionFacts, cause: FailureCause): FailureVerdict {
  return { cause, attempt: facts.attempt, signature: context.verdicts.taskFailure(facts.taskId, cause, facts.attempt), signer: context.verdicts.address };
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
