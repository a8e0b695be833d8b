// Indexes collateral sets the way a PCCS looks them up: TCB info by TEE and FMSPC, QE identity
// by TEE, PCK CRL by issuing CA, the root CA CRL; contradictory sets are refused when indexed.
// It is also an offline collateral source for the verifier.
import { hexToBytes } from "@noble/hashes/utils.js";
import {
  COLLATERAL_FIELDS,
  type CollateralRequest,
  type CollateralSource,
  type DcapCollateral,
} from "../collateral.ts";
import { DcapError } from "../DcapError.ts";
import { PccsError } from "./PccsError.ts";
import { X509Crl } from "../x509.ts";

export type TeeKind = "sgx" | "tdx";
export type PckCa = "processor" | "platform";

/** A signed JSON document as served: its exact text, signature (hex) and issuer chain (PEM). */
export interface SignedCollateralDocument {
  body: string;
  signature: string;
  issuerChain: string;
  tcbEvaluationDataNumber: number;
}

export interface PckCrlEntry {
  der: Uint8Array;
  issuerChain: string;
}

export interface CollateralLookup {
  /** The newest evaluation unless `tcbEvaluationDataNumber` asks for one. */
  tcbInfo(tee: TeeKind, fmspc: string, tcbEvaluationDataNumber?: number): SignedCollateralDocument | undefined;
  qeIdentity(tee: TeeKind, tcbEvaluationDataNumber?: number): SignedCollateralDocument | undefined;
  pckCrl(ca: PckCa): PckCrlEntry | undefined;
  rootCaCrl(): Uint8Array | undefined;
}

export class CollateralCatalog implements CollateralLookup, CollateralSource {
  readonly #tcbInfos = new Map<string, SignedCollateralDocument[]>();
  readonly #qeIdentities = new Map<TeeKind, SignedCollateralDocument[]>();
  readonly #pckCrls = new Map<PckCa, PckCrlEntry & { hex: string }>();
  #rootCaCrlHex: string | undefined;

  private constructor() {}

  /**
   * Indexes `sets`. Throws PccsError("INVALID_COLLATERAL") for a set that does not parse and
   * PccsError("CONFLICTING_COLLATERAL") when two sets give different documents for one lookup.
   */
  static fromSets(sets: readonly DcapCollateral[]): CollateralCatalog {
    const catalog = new CollateralCatalog();
    sets.forEach((set, index) => catalog.#add(set, index));
    return catalog;
  }

  tcbInfo(tee: TeeKind, fmspc: string, tcbEvaluationDataNumber?: number): SignedCollateralDocument | undefined {
    return pickEvaluation(this.#tcbInfos.get(tcbInfoKey(tee, fmspc)), tcbEvaluationDataNumber);
  }

  qeIdentity(tee: TeeKind, tcbEvaluationDataNumber?: number): SignedCollateralDocument | undefined {
    return pickEvaluation(this.#qeIdentities.get(tee), tcbEvaluationDataNumber);
  }

  pckCrl(ca: PckCa): PckCrlEntry | undefined {
    const entry = this.#pckCrls.get(ca);
    return entry && { der: entry.der.slice(), issuerChain: entry.issuerChain };
  }

  rootCaCrl(): Uint8Array | undefined {
    return this.#rootCaCrlHex === undefined ? undefined : hexToBytes(this.#rootCaCrlHex);
  }

  /** One quote's collateral, newest evaluation; rejects with DcapError("COLLATERAL_UNAVAILABLE") when a part is missing. */
  async getCollateral(request: CollateralRequest): Promise<DcapCollateral> {
    const tee = request.teeType === "SGX" ? "sgx" : "tdx";
    const tcbInfo = this.tcbInfo(tee, request.fmspc);
    const qeIdentity = this.qeIdentity(tee);
    const pckCrl = this.#pckCrls.get(request.ca);
    if (!tcbInfo || !qeIdentity || !pckCrl || this.#rootCaCrlHex === undefined) {
      throw new DcapError("COLLATERAL_UNAVAILABLE", `no complete ${request.teeType} collateral for FMSPC ${request.fmspc}`, {
        ...request,
      });
    }
    return {
      pck_crl_issuer_chain: pckCrl.issuerChain,
      root_ca_crl: this.#rootCaCrlHex,
      pck_crl: pckCrl.hex,
      tcb_info_issuer_chain: tcbInfo.issuerChain,
      tcb_info: tcbInfo.body,
      tcb_info_signature: tcbInfo.signature,
      qe_identity_issuer_chain: qeIdentity.issuerChain,
      qe_identity: qeIdentity.body,
      qe_identity_signature: qeIdentity.signature,
    };
  }

  #add(set: DcapCollateral, index: number): void {
    for (const field of COLLATERAL_FIELDS) {
      if (typeof set[field] !== "string") invalid(index, `${field} must be a string`);
    }
    const tcbInfo = describeTcbInfo(set.tcb_info, index);
    addDocument(this.#tcbInfos, tcbInfoKey(tcbInfo.tee, tcbInfo.fmspc), {
      body: set.tcb_info,
      signature: normalisedHex(set.tcb_info_signature, "tcb_info_signature", index),
      issuerChain: set.tcb_info_issuer_chain,
      tcbEvaluationDataNumber: tcbInfo.tcbEvaluationDataNumber,
    });
    const qeIdentity = describeQeIdentity(set.qe_identity, index);
    addDocument(this.#qeIdentities, qeIdentity.tee, {
      body: set.qe_identity,
      signature: normalisedHex(set.qe_identity_signature, "qe_identity_signature", index),
      issuerChain: set.qe_identity_issuer_chain,
      tcbEvaluationDataNumber: qeIdentity.tcbEvaluationDataNumber,
    });
    this.#addPckCrl(set, index);
    const rootHex = normalisedHex(set.root_ca_crl, "root_ca_crl", index);
    if (this.#rootCaCrlHex !== undefined && this.#rootCaCrlHex !== rootHex) {
      conflict("two different root CA CRLs");
    }
    this.#rootCaCrlHex = rootHex;
  }

  #addPckCrl(set: DcapCollateral, index: number): void {
    const hex = normalisedHex(set.pck_crl, "pck_crl", index);
    const ca = pckCrlIssuer(hex, index);
    const existing = this.#pckCrls.get(ca);
    if (existing && (existing.hex !== hex || existing.issuerChain !== set.pck_crl_issuer_chain)) {
      conflict(`two different PCK CRLs of the ${ca} CA`);
    }
    this.#pckCrls.set(ca, { hex, der: hexToBytes(hex), issuerChain: set.pck_crl_issuer_chain });
  }
}

function tcbInfoKey(tee: TeeKind, fmspc: string): string {
  return `${tee}/${fmspc.toUpperCase()}`;
}

function pickEvaluation(
  documents: readonly SignedCollateralDocument[] | undefined,
  tcbEvaluationDataNumber: number | undefined,
): SignedCollateralDocument | undefined {
  if (!documents) return undefined;
  if (tcbEvaluationDataNumber !== undefined) {
    return documents.find((document) => document.tcbEvaluationDataNumber === tcbEvaluationDataNumber);
  }
  return documents.reduce((newest, document) =>
    document.tcbEvaluationDataNumber > newest.tcbEvaluationDataNumber ? document : newest,
  );
}

/** Adds a document unless an identical one is indexed; two documents for one evaluation conflict. */
function addDocument<K>(index: Map<K, SignedCollateralDocument[]>, key: K, document: SignedCollateralDocument): void {
  const documents = index.get(key) ?? [];
  const sameEvaluation = documents.find((d) => d.tcbEvaluationDataNumber === document.tcbEvaluationDataNumber);
  if (sameEvaluation) {
    const identical =
      sameEvaluation.body === document.body &&
      sameEvaluation.signature === document.signature &&
      sameEvaluation.issuerChain === document.issuerChain;
    if (!identical) {
      conflict(`two different documents for ${String(key)}, evaluation ${document.tcbEvaluationDataNumber}`);
    }
    return;
  }
  documents.push(document);
  index.set(key, documents);
}

function describeTcbInfo(text: string, index: number): { tee: TeeKind; fmspc: string; tcbEvaluationDataNumber: number } {
  const json = parseObject(text, "tcb_info", index);
  // TCB info v2 has no id and is SGX only; v3 names its TEE.
  const tee = json.id === undefined && json.version === 2 ? "sgx" : teeOfId(json.id, { SGX: "sgx", TDX: "tdx" });
  if (!tee) invalid(index, "tcb_info.id must be SGX or TDX");
  if (typeof json.fmspc !== "string" || !/^[0-9a-fA-F]{12}$/.test(json.fmspc)) {
    invalid(index, "tcb_info.fmspc must be 6 bytes of hex");
  }
  return { tee, fmspc: json.fmspc.toUpperCase(), tcbEvaluationDataNumber: evaluationNumber(json, "tcb_info", index) };
}

function describeQeIdentity(text: string, index: number): { tee: TeeKind; tcbEvaluationDataNumber: number } {
  const json = parseObject(text, "qe_identity", index);
  const tee = teeOfId(json.id, { QE: "sgx", TD_QE: "tdx" });
  if (!tee) invalid(index, "qe_identity.id must be QE or TD_QE");
  return { tee, tcbEvaluationDataNumber: evaluationNumber(json, "qe_identity", index) };
}

function teeOfId(id: unknown, teeById: Record<string, TeeKind>): TeeKind | undefined {
  return typeof id === "string" && Object.hasOwn(teeById, id) ? teeById[id] : undefined;
}

function evaluationNumber(json: Record<string, unknown>, field: string, index: number): number {
  const value = json.tcbEvaluationDataNumber;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    invalid(index, `${field}.tcbEvaluationDataNumber must be a non-negative integer`);
  }
  return value as number;
}

function parseObject(text: string, field: string, index: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    invalid(index, `${field} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) invalid(index, `${field} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** The PCK CA that issued a CRL, named in its issuer CN as Intel names it ("... PCK Processor CA"). */
function pckCrlIssuer(hex: string, index: number): PckCa {
  let commonNames: string[];
  try {
    commonNames = new X509Crl(hexToBytes(hex)).issuerName.getField("CN");
  } catch (error) {
    invalid(index, "pck_crl is not a DER CRL", error);
  }
  const commonName = commonNames.join(" ");
  if (/\bProcessor\b/.test(commonName)) return "processor";
  if (/\bPlatform\b/.test(commonName)) return "platform";
  invalid(index, `pck_crl issuer "${commonName}" names neither a Processor nor a Platform CA`);
}

function normalisedHex(text: string, field: string, index: number): string {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) invalid(index, `${field} must be hex`);
  return text.toLowerCase();
}

function invalid(index: number, message: string, cause?: unknown): never {
  throw new PccsError("INVALID_COLLATERAL", `collateral set ${index}: ${message}`, { index }, { cause });
}

function conflict(message: string): never {
  throw new PccsError("CONFLICTING_COLLATERAL", message);
}
