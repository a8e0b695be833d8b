// The attestation bundle published with every TEE result: the enclave's DCAP quote, the key it
// attested (the one that signs the result statement pushed on-chain), the measurement it ran as and
// the SMS's verdict (with the collateral it judged the quote by). Stored on IPFS as UTF-8 JSON;
// the result envelope names its CID, so the result digest accepted on-chain commits to it.
import { getAddress } from "ethers";
import { z } from "zod";
import { ContinuumError } from "../../core/ContinuumError.ts";
import type { EnclaveVerdict } from "../smsApi/sessionVerdicts.ts";

export const RESULT_ATTESTATION_FORMAT = "continuum/result-attestation/v1";
/** A quote is a few kilobytes; the bundle is its hex and a few hundred bytes more. */
export const MAX_RESULT_ATTESTATION_BYTES = 64 * 1024;

export type ResultAttestation = {
  format: typeof RESULT_ATTESTATION_FORMAT;
  dealId: string;
  /** Decimal. */
  taskIndex: string;
  taskId: string;
  worker: string;
  /** The enclave key's address: the quote's report data commits to it and it signs the result statement. */
  enclave: string;
  /** The measurement the enclave attested as (bytes32 hex): the app's registered one when the bundle is the app's. */
  appMeasurement: string;
  /** The DCAP quote, 0x-hex. */
  quote: string;
  /** The SMS's verdict on this enclave; null when the SMS signs none. */
  smsVerdict: EnclaveVerdict | null;
};

export type ResultAttestationErrorCode = "MALFORMED_RESULT_ATTESTATION";
export class ResultAttestationError extends ContinuumError<ResultAttestationErrorCode> {}

const hex = (bytes?: number) =>
  z.string().regex(bytes === undefined ? /^0x(?:[0-9a-fA-F]{2})+$/ : new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`));
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

const verdictSchema = z.strictObject({
  signature: hex(65),
  signer: address,
  teeType: z.enum(["SGX", "TDX"]),
  tcbStatus: z.string().max(64),
  advisoryIds: z.array(z.string().max(64)).max(256),
  measurement: hex(32),
  judgmentBlock: z.number().int().nonnegative(),
  judgedAt: z.iso.datetime(),
  collateral: z
    .strictObject({
      fmspc: hex(6),
      pceId: hex(2),
      tcbEvaluationDataNumber: z.number().int().nonnegative(),
      tcbInfoIssueDate: z.iso.datetime(),
      tcbDate: z.string().max(64),
      validUntil: z.iso.datetime(),
    })
    .optional(),
});

const bundleSchema = z.strictObject({
  format: z.literal(RESULT_ATTESTATION_FORMAT),
  dealId: hex(32),
  taskIndex: z.string().regex(/^(0|[1-9][0-9]{0,77})$/),
  taskId: hex(32),
  worker: address,
  enclave: address,
  appMeasurement: hex(32),
  quote: hex(),
  smsVerdict: verdictSchema.nullable(),
});

/** The bundle as stored: JSON with a fixed member order, so one bundle always has one CID. */
export function encodeResultAttestation(bundle: ResultAttestation): Uint8Array {
  const { smsVerdict } = bundle;
  const ordered = {
    format: bundle.format,
    dealId: bundle.dealId.toLowerCase(),
    taskIndex: bundle.taskIndex,
    taskId: bundle.taskId.toLowerCase(),
    worker: getAddress(bundle.worker),
    enclave: getAddress(bundle.enclave),
    appMeasurement: bundle.appMeasurement.toLowerCase(),
    quote: bundle.quote.toLowerCase(),
    smsVerdict:
      smsVerdict === null
        ? null
        : {
            signature: smsVerdict.signature,
            signer: smsVerdict.signer,
            teeType: smsVerdict.teeType,
            tcbStatus: smsVerdict.tcbStatus,
            advisoryIds: smsVerdict.advisoryIds,
            measurement: smsVerdict.measurement,
            judgmentBlock: smsVerdict.judgmentBlock,
            judgedAt: smsVerdict.judgedAt,
            ...(smsVerdict.collateral === undefined
              ? {}
              : {
                  collateral: {
                    fmspc: smsVerdict.collateral.fmspc,
                    pceId: smsVerdict.collateral.pceId,
                    tcbEvaluationDataNumber: smsVerdict.collateral.tcbEvaluationDataNumber,
                    tcbInfoIssueDate: smsVerdict.collateral.tcbInfoIssueDate,
                    tcbDate: smsVerdict.collateral.tcbDate,
                    validUntil: smsVerdict.collateral.validUntil,
                  },
                }),
          },
  };
  return new TextEncoder().encode(`${JSON.stringify(ordered, null, 2)}\n`);
}

/** Reads a bundle from untrusted bytes; throws ResultAttestationError("MALFORMED_RESULT_ATTESTATION") naming the first problem. */
export function decodeResultAttestation(bytes: Uint8Array): ResultAttestation {
  if (bytes.byteLength > MAX_RESULT_ATTESTATION_BYTES) {
    throw new ResultAttestationError("MALFORMED_RESULT_ATTESTATION", `the attestation bundle is larger than ${MAX_RESULT_ATTESTATION_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new ResultAttestationError("MALFORMED_RESULT_ATTESTATION", "the attestation bundle is not UTF-8 JSON", undefined, { cause });
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length === 0 ? "the bundle" : issue.path.join(".");
    throw new ResultAttestationError("MALFORMED_RESULT_ATTESTATION", `the attestation bundle's ${where} is invalid: ${issue.message}`, {
      field: issue.path.join("."),
    });
  }
  return parsed.data as ResultAttestation;
}
