// Verifies Intel DCAP quotes (SGX and TDX) as Intel's QVL does, against a configured trusted root
// and the collateral of the quote's platform, returning a verdict as data, never throwing for a bad quote.
//
// Every link is checked: PCK chain to the root, both CRLs, the QE report's signature by the PCK key,
// the QE report data binding the attestation key, the quote's signature by that key, the TCB info
// and QE identity (signature, signing chain, validity) and the TCB level. Results that depend only
// on bytes (chains, CRLs, collateral signatures, a platform's QE report) are kept in bounded caches
// keyed by those bytes; validity windows and revocation are judged against `now` on every quote.
import { createHash } from "node:crypto";
import { BoundedMap, BoundedSet } from "../../core/bounded.ts";
import { CertificateCache, type DcapCertificate } from "./certificate.ts";
import { expiredMember, verifyPckChain, type ChainVerification, type PckChain } from "./certificateChain.ts";
import { COLLATERAL_FIELDS, type CollateralRequest, type CollateralSource, type DcapCollateral } from "./collateral.ts";
import { CollateralVerification, type CollateralCacheSizes, type CrlEntry } from "./collateralVerification.ts";
import { isRevoked } from "./crl.ts";
import { DcapError } from "./DcapError.ts";
import { judgeEnclaveIdentity, parseEnclaveIdentity, type EnclaveIdentity } from "./enclaveIdentity.ts";
import { judgeSgxTcb, judgeTdxTcb } from "./judgeTcb.ts";
import { RawKeyCache, verifyP256Raw } from "./p256.ts";
import { parseQuote } from "./parseQuote.ts";
import { QE_REPORT_DATA_HASH_LENGTH, type ParsedQuote } from "./quoteLayout.ts";
import { reportBodyRefusal, sgxMeasurement, tdxMeasurement } from "./reportBody.ts";
import { parseTcbInfo, type TcbInfo } from "./tcbInfo.ts";
import { dcapTrustedRoot, type DcapTrustedRoot } from "./trustedRoot.ts";
import { refuse, toHex, type AcceptedQuote, type DcapCheck, type DcapVerdict, type RefusedQuote } from "./verdict.ts";

export interface DcapCacheSizes extends CollateralCacheSizes {
  /** Distinct PCK chains (platforms) kept. */
  platforms: number;
  /** Distinct attestation keys kept as OpenSSL keys. */
  attestationKeys: number;
  /** Distinct certificates kept parsed (PCK leaves, CAs, TCB signers). */
  certificates: number;
}

export const DEFAULT_CACHE_SIZES: DcapCacheSizes = {
  platforms: 1024,
  attestationKeys: 1024,
  certificates: 2048,
  crls: 64,
  documents: 256,
  signingChains: 16,
};

export interface DcapVerifierOptions {
  /** The root every chain must lead to: a PEM certificate, its DER, or a parsed root. */
  trustedRoot: string | Uint8Array | DcapTrustedRoot;
  cacheSizes?: Partial<DcapCacheSizes>;
}

/** A platform's verified PCK chain and the QE reports (with signatures) its PCK key is known to have signed. */
interface PlatformEntry {
  chain: PckChain;
  signedQeReports: BoundedSet<string>;
}

/** What the collateral checks produced for the quote checks that follow. */
interface JudgedCollateral {
  tcbInfo: TcbInfo;
  qeIdentity: EnclaveIdentity;
  validUntil: number;
}

const QE_REPORTS_PER_PLATFORM = 8;
const SIGNED_DOCUMENTS = {
  tcbInfo: { what: "TCB info", chain: "TCB_INFO_CHAIN", signature: "TCB_INFO_SIGNATURE", expired: "TCB_INFO_EXPIRED" },
  qeIdentity: { what: "QE identity", chain: "QE_IDENTITY_CHAIN", signature: "QE_IDENTITY_SIGNATURE", expired: "QE_IDENTITY_EXPIRED" },
} as const satisfies Record<string, { what: string; chain: DcapCheck; signature: DcapCheck; expired: DcapCheck }>;

export class DcapVerifier {
  readonly #root: DcapTrustedRoot;
  readonly #platforms: BoundedMap<string, ChainVerification<PlatformEntry>>;
  readonly #attestationKeys: RawKeyCache;
  readonly #certificates: CertificateCache;
  readonly #collateral: CollateralVerification;

  constructor(options: DcapVerifierOptions) {
    const root = options.trustedRoot;
    this.#root = typeof root === "string" || root instanceof Uint8Array ? dcapTrustedRoot(root) : root;
    const sizes = { ...DEFAULT_CACHE_SIZES, ...options.cacheSizes };
    this.#platforms = new BoundedMap(sizes.platforms);
    this.#attestationKeys = new RawKeyCache(sizes.attestationKeys);
    this.#certificates = new CertificateCache(sizes.certificates, [this.#root.certificate]);
    this.#collateral = new CollateralVerification(this.#root, this.#certificates, sizes);
  }

  get trustedRoot(): DcapTrustedRoot {
    return this.#root;
  }

  /** Judges `quoteBytes` with `collateral` as of `now`; refusals are verdicts, never exceptions. */
  verify(quoteBytes: Uint8Array, collateral: DcapCollateral, now: Date): DcapVerdict {
    const at = checkedTime(now);
    const missing = COLLATERAL_FIELDS.find((field) => typeof collateral?.[field] !== "string");
    if (missing) return refuse("MALFORMED_COLLATERAL", `collateral.${missing} is not a string`);
    const parsed = this.#parse(quoteBytes);
    if (!parsed.ok) return parsed.refusal;
    const { quote, platform } = parsed;
    const chain = platform.chain;
    const expiredCertificate = expiredMember([chain.leaf, chain.ca, chain.root], at);
    if (expiredCertificate) return refuse("PCK_CHAIN_EXPIRED", `${expiredCertificate.subject} is not valid at ${now.toISOString()}`);
    const judged = this.#judgeCollateral(collateral, chain, at);
    if (!judged.ok) return judged.refusal;
    return this.#judgeQuote(quote, platform, judged.collateral);
  }

  /** Fetches the quote's collateral from `source`, then verifies as `verify` does. */
  async verifyWithSource(quoteBytes: Uint8Array, source: CollateralSource, now: Date): Promise<DcapVerdict> {
    checkedTime(now);
    const request = this.collateralRequestFor(quoteBytes);
    if (!request.ok) return request.refusal;
    let collateral: DcapCollateral;
    try {
      collateral = await source.getCollateral(request.request);
    } catch (error) {
      if (!(error instanceof DcapError)) throw error;
      return refuse("COLLATERAL_UNAVAILABLE", error.message, error.code);
    }
    return this.verify(quoteBytes, collateral, now);
  }

  /** The collateral a quote needs (its TEE, FMSPC and PCK CA), read from its verified PCK chain. */
  collateralRequestFor(quoteBytes: Uint8Array): { ok: true; request: CollateralRequest } | { ok: false; refusal: RefusedQuote } {
    const parsed = this.#parse(quoteBytes);
    if (!parsed.ok) return parsed;
    const { chain } = parsed.platform;
    return {
      ok: true,
      request: { teeType: parsed.quote.body.teeType, fmspc: Buffer.from(chain.sgx.fmspc).toString("hex"), ca: chain.caKind },
    };
  }

  #parse(quoteBytes: Uint8Array): { ok: true; quote: ParsedQuote; platform: PlatformEntry } | { ok: false; refusal: RefusedQuote } {
    let quote: ParsedQuote;
    try {
      quote = parseQuote(quoteBytes);
    } catch (error) {
      if (!(error instanceof DcapError)) throw error;
      return { ok: false, refusal: refuse("MALFORMED_QUOTE", error.message, error.code) };
    }
    const platform = this.#platform(quote.qe.pckChainPem);
    if (!platform.ok) return { ok: false, refusal: refuse("PCK_CHAIN", platform.detail, platform.code) };
    return { ok: true, quote, platform: platform.chain };
  }

  #platform(pem: string): ChainVerification<PlatformEntry> {
    let entry = this.#platforms.get(pem);
    if (!entry) {
      const verified = verifyPckChain(pem, this.#root, this.#certificates);
      entry = verified.ok ? { ok: true, chain: { chain: verified.chain, signedQeReports: new BoundedSet(QE_REPORTS_PER_PLATFORM) } } : verified;
      this.#platforms.set(pem, entry);
    }
    return entry;
  }

  #judgeCollateral(
    collateral: DcapCollateral,
    chain: PckChain,
    at: number,
  ): { ok: true; collateral: JudgedCollateral } | { ok: false; refusal: RefusedQuote } {
    const fail = (refusal: RefusedQuote) => ({ ok: false as const, refusal });
    const rootCrl = this.#crl(collateral.root_ca_crl, "root CA CRL", this.#root.certificate, at, "ROOT_CA_CRL", "ROOT_CA_CRL_EXPIRED");
    if (!rootCrl.ok) return fail(rootCrl.refusal);
    const pckCrl = this.#crl(collateral.pck_crl, "PCK CRL", chain.ca, at, "PCK_CRL", "PCK_CRL_EXPIRED");
    if (!pckCrl.ok) return fail(pckCrl.refusal);
    if (isRevoked(pckCrl.entry.crl, chain.leaf)) return fail(refuse("PCK_REVOKED", "the PCK certificate is revoked"));
    if (isRevoked(rootCrl.entry.crl, chain.ca)) return fail(refuse("PCK_REVOKED", `${chain.ca.subject} is revoked`));
    // A root listed in its own CRL withdraws itself: nothing it signed is trusted.
    if (isRevoked(rootCrl.entry.crl, chain.root)) return fail(refuse("PCK_REVOKED", "the root CA is listed in its own CRL"));

    const tcbInfo = this.#signedDocument("tcbInfo", collateral.tcb_info, collateral.tcb_info_signature, collateral.tcb_info_issuer_chain, parseTcbInfo, rootCrl.entry, at);
    if (!tcbInfo.ok) return fail(tcbInfo.refusal);
    const qeIdentity = this.#signedDocument("qeIdentity", collateral.qe_identity, collateral.qe_identity_signature, collateral.qe_identity_issuer_chain, parseEnclaveIdentity, rootCrl.entry, at);
    if (!qeIdentity.ok) return fail(qeIdentity.refusal);

    const validUntil = Math.min(
      chain.leaf.notAfter,
      chain.ca.notAfter,
      chain.root.notAfter,
      rootCrl.entry.crl.nextUpdate,
      pckCrl.entry.crl.nextUpdate,
      tcbInfo.validUntil,
      qeIdentity.validUntil,
    );
    return { ok: true, collateral: { tcbInfo: tcbInfo.value, qeIdentity: qeIdentity.value, validUntil } };
  }

  /** A CRL that `issuer` signed, current at `at`. */
  #crl(
    hex: string,
    what: string,
    issuer: DcapCertificate,
    at: number,
    check: "ROOT_CA_CRL" | "PCK_CRL",
    expired: "ROOT_CA_CRL_EXPIRED" | "PCK_CRL_EXPIRED",
  ): { ok: true; entry: CrlEntry } | { ok: false; refusal: RefusedQuote } {
    const parsed = this.#collateral.crl(hex, what);
    if (!parsed.ok) return { ok: false, refusal: refuse("MALFORMED_COLLATERAL", parsed.detail, parsed.code) };
    if (!this.#collateral.isCrlSignedBy(parsed.value, issuer)) {
      return { ok: false, refusal: refuse(check, `the ${what} is not signed by ${issuer.subject}`) };
    }
    const { thisUpdate, nextUpdate } = parsed.value.crl;
    if (at < thisUpdate || at > nextUpdate) {
      return { ok: false, refusal: refuse(expired, `the ${what} is current from ${iso(thisUpdate)} to ${iso(nextUpdate)}`) };
    }
    return { ok: true, entry: parsed.value };
  }

  /** A TCB info or QE identity: parsed, signed by a TCB signing chain to the root that the root CRL does not revoke, current at `at`. */
  #signedDocument<T extends { issueDate: number; nextUpdate: number }>(
    kind: keyof typeof SIGNED_DOCUMENTS,
    text: string,
    signatureHex: string,
    chainPem: string,
    parse: (text: string) => T,
    rootCrl: CrlEntry,
    at: number,
  ): { ok: true; value: T; validUntil: number } | { ok: false; refusal: RefusedQuote } {
    const checks = SIGNED_DOCUMENTS[kind];
    const fail = (check: DcapCheck, detail: string, code?: DcapError["code"]) => ({ ok: false as const, refusal: refuse(check, detail, code) });
    const entry = this.#collateral.document(kind, text, parse);
    if (!entry.parsed.ok) return fail("MALFORMED_COLLATERAL", entry.parsed.detail, entry.parsed.code);
    const chain = this.#collateral.signingChain(chainPem, `${checks.what} issuer chain`);
    if (!chain.ok) return fail(checks.chain, chain.detail, chain.code);
    const { signer, root } = chain.chain;
    const expiredCertificate = expiredMember([signer, root], at);
    if (expiredCertificate) return fail(checks.chain, `${expiredCertificate.subject} is not valid at ${iso(at)}`);
    if (isRevoked(rootCrl.crl, signer)) return fail(checks.chain, `${signer.subject} is revoked`);
    if (!this.#collateral.isDocumentSignedBy(entry, text, signatureHex, chainPem, signer)) {
      return fail(checks.signature, `the ${checks.what} signature does not verify with ${signer.subject}`);
    }
    const document = entry.parsed.value;
    if (at < document.issueDate || at > document.nextUpdate) {
      return fail(checks.expired, `the ${checks.what} is current from ${iso(document.issueDate)} to ${iso(document.nextUpdate)}`);
    }
    return { ok: true, value: document, validUntil: Math.min(document.nextUpdate, signer.notAfter) };
  }

  #judgeQuote(quote: ParsedQuote, platform: PlatformEntry, collateral: JudgedCollateral): DcapVerdict {
    const { chain } = platform;
    const { tcbInfo, qeIdentity } = collateral;
    const teeType = quote.body.teeType;
    const tcbMismatch = tcbInfoMismatch(tcbInfo, teeType, chain);
    if (tcbMismatch) return refuse("TCB_INFO_MISMATCH", tcbMismatch);
    const expectedQe = teeType === "TDX" ? "TD_QE" : "QE";
    if (qeIdentity.id !== expectedQe) return refuse("QE_IDENTITY_MISMATCH", `the QE identity is ${qeIdentity.id}, not ${expectedQe}`);

    if (!this.#isQeReportSigned(quote, platform)) return refuse("QE_REPORT_SIGNATURE", "the QE report is not signed by the PCK key");
    if (!qeReportBindsAttestationKey(quote)) {
      return refuse("QE_REPORT_DATA", "the QE report data is not sha256(attestation key ‖ QE authentication data) followed by zeros");
    }
    const qe = judgeEnclaveIdentity(qeIdentity, quote.qe.qeReport);
    if (!qe.ok) return refuse(qe.mismatch === "ISVSVN" ? "TCB_STATUS" : "QE_IDENTITY_MISMATCH", qe.detail);

    const attestationKey = this.#attestationKeys.get(quote.attestationKey);
    if (!attestationKey || !verifyP256Raw(attestationKey, quote.signedBytes, quote.signature)) {
      return refuse("QUOTE_SIGNATURE", "the quote is not signed by the attestation key");
    }

    const tcb =
      quote.body.teeType === "SGX"
        ? judgeSgxTcb(tcbInfo, chain.sgx, qe.level)
        : judgeTdxTcb(tcbInfo, chain.sgx, quote.body.report, qe.level);
    if (!tcb.ok) return refuse(tcb.check, tcb.detail);
    const bodyRefusal = reportBodyRefusal(quote.body);
    if (bodyRefusal) return bodyRefusal;

    const common = {
      ok: true as const,
      status: tcb.status,
      advisoryIds: tcb.advisoryIds,
      quoteVersion: quote.header.version,
      reportData: toHex(quote.body.report.reportData),
      fmspc: toHex(chain.sgx.fmspc),
      pceId: toHex(chain.sgx.pceId),
      tcbDate: tcb.tcbDate,
      collateralValidUntil: iso(collateral.validUntil),
      tcbEvaluationDataNumber: tcbInfo.tcbEvaluationDataNumber,
      tcbInfoIssueDate: iso(tcbInfo.issueDate),
    };
    const accepted: AcceptedQuote =
      quote.body.teeType === "SGX"
        ? { ...common, teeType: "SGX", measurement: sgxMeasurement(quote.body) }
        : { ...common, teeType: "TDX", measurement: tdxMeasurement(quote.body) };
    return accepted;
  }

  /** The QE report signature, verified once per (platform, QE report, signature): a platform's QE report rarely changes. */
  #isQeReportSigned(quote: ParsedQuote, platform: PlatformEntry): boolean {
    const { qeReportBytes, qeReportSignature } = quote.qe;
    const id = Buffer.concat([qeReportBytes, qeReportSignature]).toString("latin1");
    if (platform.signedQeReports.has(id)) return true;
    const signed = verifyP256Raw(platform.chain.leaf.publicKey, qeReportBytes, qeReportSignature);
    if (signed) platform.signedQeReports.add(id);
    return signed;
  }
}

function qeReportBindsAttestationKey(quote: ParsedQuote): boolean {
  const expected = createHash("sha256").update(quote.attestationKey).update(quote.qe.qeAuthData).digest();
  const reportData = quote.qe.qeReport.reportData;
  return (
    Buffer.compare(expected, reportData.subarray(0, QE_REPORT_DATA_HASH_LENGTH)) === 0 &&
    reportData.subarray(QE_REPORT_DATA_HASH_LENGTH).every((byte) => byte === 0)
  );
}

function tcbInfoMismatch(tcbInfo: TcbInfo, teeType: "SGX" | "TDX", chain: PckChain): string | undefined {
  if (tcbInfo.id !== teeType) return `the TCB info is for ${tcbInfo.id}, the quote is ${teeType}`;
  if (teeType === "TDX" && tcbInfo.version < 3) return "TDX needs TCB info version 3";
  if (tcbInfo.fmspc !== Buffer.from(chain.sgx.fmspc).toString("hex")) return "the TCB info is for another FMSPC than the PCK certificate's";
  if (tcbInfo.pceId !== Buffer.from(chain.sgx.pceId).toString("hex")) return "the TCB info is for another PCE-ID than the PCK certificate's";
  return undefined;
}

function checkedTime(now: Date): number {
  const at = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(at)) throw new DcapError("INVALID_CONFIGURATION", "verification time must be a valid Date");
  return at;
}

function iso(millis: number): string {
  return new Date(millis).toISOString();
}
