// Checks what an attestation interface returned before it leaves the worker: long enough for a
// header and report body, of the provider's TEE, carrying the report data that was asked for.
// The full verification is the verifier's job; this only catches a wrong or stale answer early.
import {
  QUOTE_HEADER,
  QUOTE_HEADER_LENGTH,
  SGX_REPORT_BODY,
  SGX_REPORT_BODY_LENGTH,
  TD_REPORT_10_LENGTH,
  TD_REPORT_15_LENGTH,
  TD_REPORT_BODY,
  TEE_TYPE,
  V5_BODY_DESCRIPTOR_LENGTH,
  V5_BODY_TYPE,
} from "../dcap/quoteLayout.ts";
import type { QuoteProviderTee } from "./QuoteProvider.ts";
import { QuoteProviderError } from "./QuoteProviderError.ts";

/** The u32 signature data length that follows every body. */
const SIGNATURE_DATA_LENGTH_FIELD = 4;

export function checkReturnedQuote(quote: Uint8Array, tee: QuoteProviderTee, reportData: Uint8Array): Uint8Array {
  if (quote.length < QUOTE_HEADER_LENGTH) tooShort(quote, QUOTE_HEADER_LENGTH);
  const view = new DataView(quote.buffer, quote.byteOffset, quote.byteLength);
  const version = view.getUint16(QUOTE_HEADER.version.offset, true);
  const teeType = version === 3 ? TEE_TYPE.SGX : view.getUint32(QUOTE_HEADER.teeType.offset, true);
  if (version !== 3 && version !== 4 && version !== 5) {
    throw new QuoteProviderError("MALFORMED_QUOTE", `quote version ${version} is not 3, 4 or 5`, { version });
  }
  if (teeType !== (tee === "sgx" ? TEE_TYPE.SGX : TEE_TYPE.TDX)) {
    throw new QuoteProviderError("WRONG_TEE", `the quote's TEE type is 0x${teeType.toString(16)}, not ${tee.toUpperCase()}`);
  }
  const body = bodySpan(quote, view, version, tee);
  if (quote.length < body.start + body.length + SIGNATURE_DATA_LENGTH_FIELD) {
    tooShort(quote, body.start + body.length + SIGNATURE_DATA_LENGTH_FIELD);
  }
  const span = tee === "sgx" ? SGX_REPORT_BODY.reportData : TD_REPORT_BODY.reportData;
  const carried = quote.subarray(body.start + span.offset, body.start + span.offset + span.length);
  if (Buffer.compare(carried, reportData) !== 0) {
    throw new QuoteProviderError("REPORT_DATA_MISMATCH", "the quote does not carry the report data it was asked for");
  }
  return quote;
}

function bodySpan(quote: Uint8Array, view: DataView, version: number, tee: QuoteProviderTee): { start: number; length: number } {
  if (version !== 5) return { start: QUOTE_HEADER_LENGTH, length: tee === "sgx" ? SGX_REPORT_BODY_LENGTH : TD_REPORT_10_LENGTH };
  const start = QUOTE_HEADER_LENGTH + V5_BODY_DESCRIPTOR_LENGTH;
  if (quote.length < start) tooShort(quote, start);
  const bodyType = view.getUint16(QUOTE_HEADER_LENGTH, true);
  const length = { [V5_BODY_TYPE.SGX_ENCLAVE_REPORT]: SGX_REPORT_BODY_LENGTH, [V5_BODY_TYPE.TD_REPORT_10]: TD_REPORT_10_LENGTH, [V5_BODY_TYPE.TD_REPORT_15]: TD_REPORT_15_LENGTH }[bodyType];
  if (length === undefined || (tee === "sgx") !== (bodyType === V5_BODY_TYPE.SGX_ENCLAVE_REPORT)) {
    throw new QuoteProviderError("MALFORMED_QUOTE", `quote body type ${bodyType} does not belong to ${tee.toUpperCase()}`, { bodyType });
  }
  return { start, length };
}

function tooShort(quote: Uint8Array, needed: number): never {
  throw new QuoteProviderError("QUOTE_TOO_SHORT", `the quote is ${quote.length} bytes, a quote needs at least ${needed}`, {
    length: quote.length,
    needed,
  });
}
