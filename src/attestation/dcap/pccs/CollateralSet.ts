// The collateral a DCAP verifier judges one quote with, in the JSON shape Intel's quote
// verification libraries exchange (dcap-qvl's Collateral, the files in ../shared/dcap-vectors).

/**
 * Binary values are hex strings; issuer chains are PEM, the signing certificate first and the
 * root last. `tcb_info` and `qe_identity` are the exact JSON texts their signatures cover: they
 * are kept as text, never re-serialised, since any other byte sequence breaks the signature.
 */
export interface CollateralSet {
  /** PEM: the PCK Processor or Platform CA that signs the PCK CRL, then the root CA. */
  pck_crl_issuer_chain: string;
  /** DER CRL of the root CA, hex. */
  root_ca_crl: string;
  /** DER CRL of the PCK Processor or Platform CA, hex. */
  pck_crl: string;
  /** PEM: the TCB signing certificate, then the root CA. */
  tcb_info_issuer_chain: string;
  /** The tcbInfo object's JSON text (TCB info v2 or v3, SGX or TDX). */
  tcb_info: string;
  /** ECDSA P-256 signature over the bytes of `tcb_info`, r || s, hex. */
  tcb_info_signature: string;
  /** PEM: the TCB signing certificate, then the root CA. */
  qe_identity_issuer_chain: string;
  /** The enclaveIdentity object's JSON text (QE or TD_QE identity v2). */
  qe_identity: string;
  /** ECDSA P-256 signature over the bytes of `qe_identity`, r || s, hex. */
  qe_identity_signature: string;
}

export const COLLATERAL_SET_FIELDS = [
  "pck_crl_issuer_chain",
  "root_ca_crl",
  "pck_crl",
  "tcb_info_issuer_chain",
  "tcb_info",
  "tcb_info_signature",
  "qe_identity_issuer_chain",
  "qe_identity",
  "qe_identity_signature",
] as const satisfies readonly (keyof CollateralSet)[];
