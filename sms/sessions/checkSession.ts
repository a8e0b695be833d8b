// The trust model, as code: the ordered checks an enclave's session request must pass before
// the SMS releases anything. The first failing check names the refusal; nothing here reads secrets.
import { getAddress, keccak256 } from "ethers";
import type { FreshnessCheck } from "../../src/attestation/FreshnessCheck.ts";
import type { AcceptedQuote } from "../../src/attestation/dcap/index.ts";
import { judgeAttestation, parseMeasurementDocument, type MeasurementDocument } from "../../src/attestation/policy/index.ts";
import { bindsEnclaveAddress, reportDataNonce } from "../../src/attestation/reportData.ts";
import { hexToBytes } from "../../src/crypto/hex.ts";
import type { SmsAttestation } from "../attestation/smsAttestation.ts";
import type { ChainDeal, DealReader } from "../../src/chain/dealReader.ts";
import { taskIdOf } from "../../src/wire/eip712/signing.ts";
import { FAILURE_CAUSE, TAG_TEE, type FailureCause } from "../../src/wire/eip712/types.ts";
import { acceptsResultsAfter } from "../../src/wire/eip712/deadline.ts";
import { enclaveAddressOf } from "../../src/crypto/enclave/index.ts";
import type { AuthorizationCheck, SessionRequestCheck } from "./signerRecovery.ts";
import type { SessionRefusalReason } from "./sessionRefusals.ts";

/** A session request after its shape was validated (see http/sessionSchema.ts). */
export type SessionRequest = {
  quote: Uint8Array;
  /** The enclave's uncompressed secp256k1 public key, the key secrets are sealed to. */
  enclavePublicKey: Uint8Array;
  /** The checksummed address the request names for enclavePublicKey; the session refuses any other. */
  enclave: string;
  worker: string;
  dealId: string;
  taskIndex: bigint;
  /** Which attempt of the task this is (1 for the first); the SMS serves one enclave per attempt. */
  attempt: number;
  /** The workerpool owner's signature of Authorization(worker, taskId, enclave). */
  authorization: string;
  /** The worker's signature of SessionRequest(worker, taskId, attempt, enclave, keccak256(quote)). */
  workerSignature: string;
  /** The dataset the enclave expects to decrypt, when it says. */
  dataset?: bigint;
  /** The app's measurement document, when its on-chain measurement is the hash of one (src/attestation/policy). */
  measurementDocument?: string;
  /** The block of the deal's DealCreated log, when the worker knows it: the SMS searches that block only. */
  dealBlock?: number;
};

/** How quotes are judged: DCAP verification with collateral, the operator's policy, and freshness. */
export type SessionAttestation = SmsAttestation & { freshness: FreshnessCheck };

export type SessionChain = Pick<DealReader, "readDeal" | "judgeTask">;

export type SessionCheckContext = {
  chain: SessionChain;
  attestation: SessionAttestation;
  authorization: AuthorizationCheck;
  sessionRequests: SessionRequestCheck;
  clock: () => Date;
};

/** What is known about the request so far, for the audit entry whatever the outcome. */
export type SessionFacts = {
  dealId: string;
  taskIndex: bigint;
  taskId: string;
  /** The worker, once its signature of the request is verified; null before (an audit entry names no one it cannot prove). */
  worker: string | null;
  enclave: string;
  attempt: number;
  measurement?: string;
  deal?: ChainDeal;
};

export type SessionCheck =
  | { ok: true; facts: SessionFacts & { worker: string; deal: ChainDeal; measurement: string; quote: AcceptedQuote; judgmentBlock: number } }
  | {
      ok: false;
      reason: SessionRefusalReason;
      detail: string;
      facts: SessionFacts;
      /** Set when every check the workerpool answers for passed and the refusal is another party's fault. */
      blame?: FailureCause;
    };

/** Policy checks on the app's identity: a genuine enclave failing them points at the app's registration. */
const APP_IDENTITY_CHECKS: ReadonlySet<SessionRefusalReason> = new Set(["MEASUREMENT_MISMATCH", "MEASUREMENT_DOCUMENT_MISMATCH"]);

/**
 * Runs every check in order: the enclave key the request names, the worker's signature of the
 * request, the quote (root, chain, signature, debug, security version, report data binding the
 * enclave key, freshness), then against the chain at one block: the deal, the app measurement, the
 * workerpool owner's authorization, TEE, task index, task state, deadline, and the dataset. An app
 * identity the enclave cannot match is refused last, blaming the app owner (see `blame`).
 */
export async function checkSession(context: SessionCheckContext, request: SessionRequest): Promise<SessionCheck> {
  const facts: SessionFacts = {
    dealId: request.dealId.toLowerCase(),
    taskIndex: request.taskIndex,
    taskId: taskIdOf(request.dealId, request.taskIndex).toLowerCase(),
    worker: null,
    enclave: request.enclave,
    attempt: request.attempt,
  };
  const refuse = (reason: SessionRefusalReason, detail: string): SessionCheck => ({ ok: false, reason, detail, facts });

  // Secrets are sealed to the public key, while the authorization and the quote name an address:
  // the two must be one key, or an honest enclave's address would carry an attacker's key.
  if (enclaveAddressOf(request.enclavePublicKey) !== getAddress(request.enclave)) {
    return refuse("ENCLAVE_KEY_MISMATCH", `enclave ${request.enclave} is not the address of the public key sent`);
  }
  // Both signers are recovered (on the crypto threads, when there are some) while the quote is
  // judged; the quote's verdict is looked at only once the worker's signature has passed.
  const worker = getAddress(request.worker);
  const recoveringWorker = context.sessionRequests.signer(
    { worker, taskId: facts.taskId, attempt: BigInt(request.attempt), enclave: request.enclave, quoteHash: keccak256(request.quote) },
    request.workerSignature,
  );
  const recovering = context.authorization.signer({ worker, taskId: facts.taskId, enclave: request.enclave }, request.authorization);
  recovering.catch(() => undefined);
  const now = context.clock();
  const { verifier, collateral } = context.attestation;
  const judgingQuote = verifier.verifyWithSource(request.quote, collateral, now);
  judgingQuote.catch(() => undefined);
  // The chain is read as soon as the quote is found genuine, while the signers are still being
  // recovered; nothing is read for a quote that is not. The judgment counts only once every check
  // before it has passed.
  const judgingTask = judgingQuote.then((verdict) =>
    verdict.ok ? context.chain.judgeTask(facts.dealId, facts.taskIndex, { dealBlock: request.dealBlock }) : undefined,
  );
  judgingTask.catch(() => undefined);
  if ((await recoveringWorker) !== worker) {
    return refuse("BAD_WORKER_SIGNATURE", `the session request is not signed by worker ${worker} for this task, attempt, enclave and quote`);
  }
  facts.worker = worker;

  const quote = await judgingQuote;
  if (!quote.ok) return refuse(quote.check, quote.detail);
  if (quote.teeType === "SGX") facts.measurement = quote.measurement.mrEnclave;
  const reportData = hexToBytes(quote.reportData);
  if (!bindsEnclaveAddress(reportData, request.enclave)) {
    return refuse("REPORT_DATA_MISMATCH", "the quote's report data does not commit to the address of the enclave key");
  }
  let document: MeasurementDocument | undefined;
  if (request.measurementDocument !== undefined) {
    try {
      document = parseMeasurementDocument(request.measurementDocument);
    } catch (error) {
      return refuse("INVALID_MEASUREMENT_DOCUMENT", (error as Error).message);
    }
  }
  // Freshness last among the quote's checks: admitting a challenge uses it up.
  const fresh = context.attestation.freshness.admit(reportDataNonce(reportData), now);
  if (!fresh.fresh) return refuse(fresh.reason, fresh.detail);

  // The deal, the task and the time are judged at one block, so a deal reorganised away (or not yet
  // confirmed) is refused as if it never existed.
  const judgment = (await judgingTask)!;
  const { deal: found, finalized, chainTime } = judgment;
  if (!found) return refuse("DEAL_NOT_FOUND", `no deal ${facts.dealId} is committed on-chain at block ${judgment.block}`);
  facts.deal = found;
  const { deal } = found;

  // The app's identity is the app owner's to get right. When a genuine enclave cannot match it, the
  // refusal waits until every check the workerpool answers for has passed, then blames the app owner.
  const registered = judgment.appMeasurement;
  let appFault: { reason: SessionRefusalReason; detail: string } | undefined;
  if (registered === undefined) {
    appFault = { reason: "MEASUREMENT_MISMATCH", detail: `app ${deal.app} has no registered measurement` };
  } else {
    const judged = judgeAttestation(quote, context.attestation.policy, { registeredMeasurement: registered, document });
    if (!judged.ok && !APP_IDENTITY_CHECKS.has(judged.check)) return refuse(judged.check, judged.detail);
    if (!judged.ok) appFault = { reason: judged.check, detail: judged.detail };
    facts.measurement = registered;
  }

  const signer = await recovering;
  if (signer !== getAddress(deal.workerpoolOwner)) {
    return refuse(
      "INVALID_AUTHORIZATION",
      `authorization is not signed by workerpool owner ${getAddress(deal.workerpoolOwner)} for worker ${worker}, ` +
        `task ${facts.taskId} and enclave ${request.enclave}`,
    );
  }

  if ((BigInt(deal.tag) & TAG_TEE) === 0n) return refuse("DEAL_NOT_TEE", `deal ${facts.dealId} does not require an enclave`);
  if (facts.taskIndex >= deal.volume) {
    return refuse("TASK_INDEX_OUT_OF_RANGE", `task index ${facts.taskIndex} is not below the deal's volume ${deal.volume}`);
  }
  if (finalized) return refuse("TASK_FINALIZED", `task ${facts.taskIndex} of deal ${facts.dealId} is completed or claimed`);
  if (!acceptsResultsAfter(chainTime, deal.deadline)) {
    return refuse("DEAL_EXPIRED", `no block can accept a result any more: the deadline is ${deal.deadline}, chain time ${chainTime}`);
  }
  if (request.dataset !== undefined && request.dataset !== deal.dataset) {
    return refuse("DATASET_NOT_IN_DEAL", `dataset ${request.dataset} is not the deal's dataset (${deal.dataset})`);
  }
  if (appFault !== undefined || registered === undefined) {
    const fault = appFault ?? { reason: "MEASUREMENT_MISMATCH" as const, detail: `app ${deal.app} has no registered measurement` };
    return { ok: false, reason: fault.reason, detail: fault.detail, facts, blame: FAILURE_CAUSE.appOwner };
  }
  return { ok: true, facts: { ...facts, worker, deal: found, measurement: registered, quote, judgmentBlock: judgment.block } };
}
