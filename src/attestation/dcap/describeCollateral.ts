// Reads what a collateral set is for and until when: its TEE and FMSPC (TCB info), its PCK CA
// (PCK CRL issuer) and the earliest nextUpdate of its documents, for indexing and refreshing it.
import { commonName } from "./certificate.ts";
import type { CollateralRequest, DcapCollateral, PckCaKind } from "./collateral.ts";
import { parseCrl } from "./crl.ts";
import { DcapError } from "./DcapError.ts";
import { parseEnclaveIdentity } from "./enclaveIdentity.ts";
import { parseTcbInfo } from "./tcbInfo.ts";

export interface CollateralDescription extends CollateralRequest {
  /** The earliest nextUpdate of TCB info, QE identity and both CRLs (ms since the epoch): refresh before it. */
  nextUpdate: number;
  tcbEvaluationDataNumber: number;
}

/** Describes `collateral`; throws DcapError("MALFORMED_COLLATERAL") when a document does not parse. */
export function describeCollateral(collateral: DcapCollateral): CollateralDescription {
  try {
    const tcbInfo = parseTcbInfo(collateral.tcb_info);
    const qeIdentity = parseEnclaveIdentity(collateral.qe_identity);
    const pckCrl = parseCrl(Buffer.from(collateral.pck_crl, "hex"), "PCK CRL");
    const rootCaCrl = parseCrl(Buffer.from(collateral.root_ca_crl, "hex"), "root CA CRL");
    // Intel names the PCK CAs "Intel SGX PCK Processor CA" and "Intel SGX PCK Platform CA".
    const ca: PckCaKind = /platform/i.test(commonName({ subject: pckCrl.issuer })) ? "platform" : "processor";
    return {
      teeType: tcbInfo.id,
      fmspc: tcbInfo.fmspc,
      ca,
      nextUpdate: Math.min(tcbInfo.nextUpdate, qeIdentity.nextUpdate, pckCrl.nextUpdate, rootCaCrl.nextUpdate),
      tcbEvaluationDataNumber: tcbInfo.tcbEvaluationDataNumber,
    };
  } catch (error) {
    if (!(error instanceof DcapError) || error.code === "MALFORMED_COLLATERAL") throw error;
    throw new DcapError("MALFORMED_COLLATERAL", error.message, { code: error.code }, { cause: error });
  }
}

export function collateralKey(request: CollateralRequest): string {
  return `${request.teeType}/${request.fmspc.toLowerCase()}/${request.ca}`;
}

/** Throws DcapError("MALFORMED_COLLATERAL") unless `collateral` is for `request`'s platform; returns its description. */
export function expectCollateralFor(request: CollateralRequest, collateral: DcapCollateral): CollateralDescription {
  const description = describeCollateral(collateral);
  if (collateralKey(description) !== collateralKey(request)) {
    throw new DcapError("MALFORMED_COLLATERAL", `collateral for ${collateralKey(description)} was given for ${collateralKey(request)}`);
  }
  return description;
}
