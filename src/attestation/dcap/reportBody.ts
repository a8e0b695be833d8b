// What the verifier reads from an authenticated report body: the refusal of debug enclaves and
// of TDs with debug, reserved or unsafe attributes, and the measurement given to the caller.
import { SGX_ATTRIBUTE_DEBUG_BIT, TD_ATTRIBUTE_DEBUG_BIT, type QuoteBody } from "./quoteLayout.ts";
import { refuse, toHex, type RefusedQuote, type SgxMeasurement, type TdxMeasurement } from "./verdict.ts";

/** TD_ATTRIBUTES (8 bytes, little-endian): reserved bits 1-7 (TUD), 8-27 and 29 (SEC), 32-62 (OTHER). */
const TD_RESERVED_MASK = Buffer.from("feffff2fffffff7f", "hex");
/** TD_ATTRIBUTES bit 28: EPT violations are not turned into #VE the host could use against the TD. */
const SEPT_VE_DISABLE = { byte: 3, bit: 0x10 } as const;

/** A refusal for a debug enclave or a TD whose attributes make it unsafe; undefined if the body is acceptable. */
export function reportBodyRefusal(body: QuoteBody): RefusedQuote | undefined {
  if (body.teeType === "SGX") {
    if (body.report.attributes[0]! & SGX_ATTRIBUTE_DEBUG_BIT) {
      return refuse("DEBUG_ENCLAVE", "the enclave runs in debug mode: the host can read its memory");
    }
    return undefined;
  }
  const { tdAttributes, mrServiceTd } = body.report;
  if (tdAttributes[0]! & TD_ATTRIBUTE_DEBUG_BIT) return refuse("DEBUG_TD", "the TD runs in debug mode: the host can read and change it");
  if (tdAttributes.some((byte, i) => (byte & TD_RESERVED_MASK[i]!) !== 0)) {
    return refuse("TD_ATTRIBUTES", "reserved TD attribute bits are set");
  }
  if ((tdAttributes[SEPT_VE_DISABLE.byte]! & SEPT_VE_DISABLE.bit) === 0) {
    return refuse("TD_ATTRIBUTES", "SEPT_VE_DISABLE is not set: the host could inject #VE exceptions into the TD");
  }
  if (mrServiceTd && mrServiceTd.some((byte) => byte !== 0)) {
    return refuse("MR_SERVICE_TD", "the TD is bound to a service TD, which this verifier does not judge");
  }
  return undefined;
}

export function sgxMeasurement(body: Extract<QuoteBody, { teeType: "SGX" }>): SgxMeasurement {
  const report = body.report;
  return {
    mrEnclave: toHex(report.mrEnclave),
    mrSigner: toHex(report.mrSigner),
    isvProdId: report.isvProdId,
    isvSvn: report.isvSvn,
    attributes: toHex(report.attributes),
    miscSelect: report.miscSelect,
    cpuSvn: toHex(report.cpuSvn),
  };
}

export function tdxMeasurement(body: Extract<QuoteBody, { teeType: "TDX" }>): TdxMeasurement {
  const report = body.report;
  return {
    mrTd: toHex(report.mrTd),
    rtmr0: toHex(report.rtmr[0]),
    rtmr1: toHex(report.rtmr[1]),
    rtmr2: toHex(report.rtmr[2]),
    rtmr3: toHex(report.rtmr[3]),
    mrConfigId: toHex(report.mrConfigId),
    mrOwner: toHex(report.mrOwner),
    mrOwnerConfig: toHex(report.mrOwnerConfig),
    tdAttributes: toHex(report.tdAttributes),
    xfam: toHex(report.xfam),
    teeTcbSvn: toHex(report.teeTcbSvn),
    mrSeam: toHex(report.mrSeam),
    mrSignerSeam: toHex(report.mrSignerSeam),
  };
}
