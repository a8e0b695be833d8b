// The collateral one quote is judged with, in the JSON shape of Intel's verification libraries
// and of ../shared/dcap-vectors: every field a string, binary values as hex, chains as PEM.
import { DcapError } from "./DcapError.ts";

/**
 * `tcb_info` and `qe_identity` are the exact JSON texts their signatures cover (the `tcbInfo` and
 * `enclaveIdentity` members of the PCS responses), never re-serialised. Strings are immutable, so
 * the verifier keys its caches by them and a collateral object can be shared by many quotes.
 */
export interface DcapCollateral {
  /** PEM: the PCK CA that signs the PCK CRL, then the root CA. */
  pck_crl_issuer_chain: string;
  /** DER CRL of the root CA, hex. */
  root_ca_crl: string;
  /** DER CRL of the PCK Processor or Platform CA, hex. */
  pck_crl: string;
  /** PEM: the TCB signing certificate, then the root CA. */
  tcb_info_issuer_chain: string;
  tcb_info: string;
  /** ECDSA P-256 r ‖ s over the bytes of `tcb_info`, hex. */
  tcb_info_signature: string;
  /** PEM: the TCB signing certificate, then the root CA. */
  qe_identity_issuer_chain: string;
  qe_identity: string;
  /** ECDSA P-256 r ‖ s over the bytes of `qe_identity`, hex. */
  qe_identity_signature: string;
}

export const COLLATERAL_FIELDS = [
  "pck_crl_issuer_chain",
  "root_ca_crl",
  "pck_crl",
  "tcb_info_issuer_chain",
  "tcb_info",
  "tcb_info_signature",
  "qe_identity_issuer_chain",
  "qe_identity",
  "qe_identity_signature",
] as const satisfies readonly (keyof DcapCollateral)[];

const HEX_FIELDS = new Set<string>(["root_ca_crl", "pck_crl", "tcb_info_signature", "qe_identity_signature"]);
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** Checks that `value` has the collateral's shape and returns a frozen copy; throws DcapError("MALFORMED_COLLATERAL"). */
export function collateralFromJson(value: unknown): DcapCollateral {
  if (typeof value !== "object" || value === null) throw new DcapError("MALFORMED_COLLATERAL", "collateral is not an object");
  const record = value as Record<string, unknown>;
  const collateral: Record<string, string> = {};
  for (const field of COLLATERAL_FIELDS) {
    const text = record[field];
    if (typeof text !== "string") throw new DcapError("MALFORMED_COLLATERAL", `collateral.${field} is not a string`, { field });
    if (HEX_FIELDS.has(field) && !HEX.test(text)) throw new DcapError("MALFORMED_COLLATERAL", `collateral.${field} is not hex`, { field });
    collateral[field] = text;
  }
  return Object.freeze(collateral as unknown as DcapCollateral);
}

export type CollateralTeeType = "SGX" | "TDX";
export type PckCaKind = "processor" | "platform";

/** What a collateral source is asked for: one platform's collateral. */
export interface CollateralRequest {
  teeType: CollateralTeeType;
  /** Lowercase hex, 6 bytes. */
  fmspc: string;
  ca: PckCaKind;
}

/** Where the verifier gets collateral: an offline bundle, a PCCS / Intel PCS client, a cache over either. */
export interface CollateralSource {
  /** Resolves to the platform's collateral; rejects with DcapError("COLLATERAL_UNAVAILABLE") when there is none. */
  getCollateral(request: CollateralRequest): Promise<DcapCollateral>;
}
