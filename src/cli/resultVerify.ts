// `continuum result verify`: the requester's (or an auditor's) offline check of a TEE result. It
// reads what the chain accepted (the ResultPushed log, the push transaction's enclave signature,
// the app's measurement, the SMS signer), fetches the result envelope and the attestation bundle
// it names, then verifies every link (src/attestation/results) and prints each check.
import { readFile } from "node:fs/promises";
import { getAddress, ZeroAddress, type Contract, type EventLog, type Log } from "ethers";
import { DcapVerifier, type TcbStatus } from "../attestation/dcap/index.ts";
import {
  envelopeDigest,
  verifyResultAttestation,
  type AcceptedResult,
  type CheckOutcome,
  type ResultEvidence,
} from "../attestation/results/verifyResultAttestation.ts";
import { MAX_RESULT_ATTESTATION_BYTES } from "../wire/attestation/resultAttestation.ts";
import { continuumDomain, taskIdOf } from "../wire/eip712/index.ts";
import { collateralSourceFrom, configuredTrust, trustedRootFrom } from "./attestationTrust.ts";
import { withChain, type ChainSession } from "./chain.ts";
import { fetchFromGateway, withContentStore } from "./contentAccess.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import type { ResultRow } from "./output.ts";

/** Results are bounded by the enclave's output limits; refuse anything absurd. */
const MAX_RESULT_BYTES = 256 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

export type ResultVerifyOptions = {
  acceptTcb: TcbStatus[];
  at?: Date;
  root?: string;
  collateral?: string;
  gateway?: string;
  /** Verify this bundle file instead of the one the result names. */
  bundle?: string;
  /** The SMS signer to check the verdict against, instead of the contract's. */
  smsSigner?: string;
};

export async function verifyResult(context: CliContext, dealId: string, index: bigint, options: ResultVerifyOptions): Promise<void> {
  const onChain = await withChain(context, { signer: false }, (session) => readAcceptedResult(session, dealId, index));
  const accepted = options.smsSigner === undefined ? onChain : { ...onChain, smsSigner: options.smsSigner };
  const fetched = await fetchEvidence(context, accepted.resultCid, options);
  const trust = configuredTrust(context.config);
  const root = await trustedRootFrom(context, options.root ?? trust.rootFile);
  const collateral = await collateralSourceFrom(context, options.collateral ?? trust.collateral);
  const at = options.at ?? new Date();
  const verification = await verifyResultAttestation(accepted, fetched, {
    verifier: new DcapVerifier({ trustedRoot: root }),
    collateral,
    at,
    acceptedTcbStatuses: options.acceptTcb,
  });
  const verdict = verification.bundle?.smsVerdict;
  const document = {
    verified: verification.verified,
    dealId,
    taskIndex: index.toString(),
    taskId: accepted.taskId,
    enclave: accepted.enclave,
    resultCid: accepted.resultCid,
    attestationCid: fetched.bundle.cid,
    verifiedAt: at.toISOString(),
    trustedRoot: root.certificate.subject,
    ...(verification.quote ? { teeType: verification.quote.teeType, status: verification.quote.status, advisoryIds: verification.quote.advisoryIds } : {}),
    ...(verdict ? { smsVerdict: verdict } : {}),
    checks: verification.checks,
  };
  context.output.result(document, [
    ["deal", dealId],
    ["task", index.toString()],
    ["result", accepted.resultCid],
    ["attestation", fetched.bundle.cid],
    ...(verdict ? [["SMS judged at", `${verdict.judgedAt} (${verdict.tcbStatus}${verdict.collateral ? `, FMSPC ${verdict.collateral.fmspc}, TCB info #${verdict.collateral.tcbEvaluationDataNumber} of ${verdict.collateral.tcbInfoIssueDate}` : ""})`] as ResultRow] : []),
    ...verification.checks.map(checkRow),
    ["verified", verification.verified ? "yes" : "no"],
  ]);
  if (!verification.verified) {
    const failed = verification.checks.filter((check) => check.outcome === "failed");
    throw new CliError("RESULT_NOT_VERIFIED", `The result fails ${failed.map((check) => `${check.check} (${check.detail})`).join("; ")}`, {
      dealId,
      index: index.toString(),
      failed: failed.map((check) => check.check),
    });
  }
}

function checkRow(check: CheckOutcome): ResultRow {
  const mark = check.outcome === "passed" ? "ok  " : check.outcome === "failed" ? "FAIL" : "skip";
  return [`${mark} ${check.check}`, check.detail];
}

/** The result the chain accepted for the task, with what its verification needs from the chain. */
async function readAcceptedResult(session: ChainSession, dealId: string, index: bigint): Promise<AcceptedResult> {
  const { continuum, appRegistry } = session.contracts;
  const logs = await continuum.queryFilter(continuum.filters.ResultPushed!(dealId, index), session.deployment.deployBlock ?? 0);
  const log = logs.find((entry): entry is EventLog => "args" in entry);
  if (log === undefined) {
    throw new CliError("RESULT_NOT_READY", `Task ${index} of deal ${dealId} has no result accepted on-chain`, { dealId, index: index.toString() });
  }
  const pushed = await pushedTaskResult(session, continuum, log, index);
  const blockTag = log.blockNumber;
  const app = await appRegistry.getFunction("appOf")(pushed.app, { blockTag });
  const smsSigner = (await continuum.getFunction("smsSigner")({ blockTag })) as string;
  return {
    taskId: taskIdOf(dealId, index),
    worker: getAddress(log.args.worker as string),
    enclave: getAddress(log.args.enclave as string),
    resultDigest: (log.args.resultDigest as string).toLowerCase(),
    resultCid: log.args.resultCid as string,
    enclaveSignature: pushed.enclaveSignature,
    appMeasurement: (app.measurement as string).toLowerCase(),
    smsSigner: smsSigner === ZeroAddress ? undefined : getAddress(smsSigner),
    domain: continuumDomain(BigInt(session.deployment.chainId), session.deployment.continuum),
  };
}

/** The deal's app and the enclave's signature, read from the pushResult / pushResultBatch call that emitted `log`. */
async function pushedTaskResult(session: ChainSession, continuum: Contract, log: Log, index: bigint): Promise<{ app: bigint; enclaveSignature: string }> {
  const transaction = await session.provider.getTransaction(log.transactionHash);
  const call = transaction && transaction.to !== null && getAddress(transaction.to) === getAddress(session.deployment.continuum)
    ? continuum.interface.parseTransaction({ data: transaction.data })
    : null;
  const results = call?.name === "pushResult" ? [call.args.result] : call?.name === "pushResultBatch" ? [...call.args.results] : [];
  const result = results.find((candidate) => BigInt(candidate.index) === index);
  if (call === null || result === undefined) {
    throw new CliError(
      "RESULT_TRANSACTION_UNREADABLE",
      `The result was pushed by transaction ${log.transactionHash}, which is not a direct pushResult call to the protocol: its enclave signature cannot be read`,
      { transactionHash: log.transactionHash },
    );
  }
  return { app: BigInt(call.args.deal.app), enclaveSignature: result.enclaveSignature as string };
}

/** The envelope under the result CID (its digest and the bundle CID it names) and the bundle. */
async function fetchEvidence(context: CliContext, resultCid: string, options: ResultVerifyOptions): Promise<ResultEvidence> {
  if (options.gateway !== undefined) {
    const gateway = options.gateway;
    return readEvidence(context, resultCid, options, (cid, maxBytes) => fetchFromGateway(gateway, cid, maxBytes));
  }
  return withContentStore(context, (store) =>
    readEvidence(context, resultCid, options, (cid, maxBytes) => store.get(cid, { maxBytes, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })),
  );
}

async function readEvidence(
  context: CliContext,
  resultCid: string,
  options: ResultVerifyOptions,
  fetchCid: (cid: string, maxBytes: number) => Promise<Uint8Array>,
): Promise<ResultEvidence> {
  const { parseResultHeader } = await import("../crypto/index.ts");
  const { computeCid } = await import("../storage/index.ts");
  context.output.status(`fetching result ${resultCid} ...`);
  const envelope = await fetchCid(resultCid, MAX_RESULT_BYTES);
  let linkedAttestationCid: string | undefined;
  try {
    linkedAttestationCid = parseResultHeader(envelope).attestationCid;
  } catch {
    linkedAttestationCid = undefined;
  }
  let bundle: ResultEvidence["bundle"];
  if (options.bundle !== undefined) {
    const bytes = new Uint8Array(await readFile(context.resolvePath(options.bundle)));
    bundle = { cid: await computeCid(bytes), bytes };
  } else if (linkedAttestationCid !== undefined) {
    context.output.status(`fetching attestation ${linkedAttestationCid} ...`);
    bundle = { cid: linkedAttestationCid, bytes: await fetchCid(linkedAttestationCid, MAX_RESULT_ATTESTATION_BYTES) };
  } else {
    throw new CliError("NO_ATTESTATION", `The result ${resultCid} names no attestation bundle: it was not produced by an enclave runtime that publishes one`, { resultCid });
  }
  return { envelopeDigest: envelopeDigest(envelope), linkedAttestationCid, bundle };
}
