// How the SMS judges quotes, built once from its configuration: the DCAP verifier under the
// trusted root (Intel's SGX Root CA, or the devnet's), the platforms' collateral from a PCCS / Intel
// PCS or an offline bundle, cached in the SMS database and fetched again before its nextUpdate,
// and the operator's policy (TCB statuses, advisories, ISV SVN floor). Only the root and the
// collateral source differ between the devnet and production.
import { readFile } from "node:fs/promises";
import {
  BundleCollateralSource,
  CachingCollateralSource,
  DcapVerifier,
  INTEL_PCS_BASE_URL,
  INTEL_ROOT_CA_CRL_URL,
  PcsCollateralClient,
  dcapTrustedRoot,
  intelSgxRoot,
  type CollateralSource,
  type DcapTrustedRoot,
} from "../../src/attestation/dcap/index.ts";
import type { AttestationPolicy } from "../../src/attestation/policy/index.ts";
import type { Config } from "../../src/config/index.ts";
import type { Database } from "../../src/persistence/managerOf.ts";
import { CollateralRepository } from "../persistence/CollateralRepository.ts";
import { SmsError } from "../SmsError.ts";

/** What the session checks need to judge a quote. */
export type SmsAttestation = {
  verifier: DcapVerifier;
  /** Cached in the SMS database; `refreshAll` picks up a revocation at once. */
  collateral: CachingCollateralSource;
  policy: AttestationPolicy;
};

export type SmsAttestationConfig = Config["sms"]["attestation"];

export async function smsAttestation(config: SmsAttestationConfig, db: Database): Promise<SmsAttestation> {
  const trustedRoot = await trustedRootOf(config);
  const source = await collateralSourceOf(config, trustedRoot);
  return {
    verifier: new DcapVerifier({ trustedRoot }),
    collateral: new CachingCollateralSource({
      source,
      store: new CollateralRepository(db),
      maxAgeMs: config.collateralMaxAgeSeconds * 1000,
    }),
    policy: {
      acceptedTcbStatuses: config.acceptedTcbStatuses,
      allowedAdvisoryIds: config.allowedAdvisoryIds,
      minIsvSvn: config.minIsvSvn,
    },
  };
}

async function trustedRootOf(config: SmsAttestationConfig): Promise<DcapTrustedRoot> {
  if (config.trustedRootFile === undefined) return intelSgxRoot();
  let pem: string;
  try {
    pem = await readFile(config.trustedRootFile, "utf8");
  } catch (cause) {
    throw new SmsError("ATTESTATION_CONFIG_INVALID", `cannot read the trusted root ${config.trustedRootFile}`, { file: config.trustedRootFile }, { cause });
  }
  try {
    return dcapTrustedRoot(pem);
  } catch (cause) {
    throw new SmsError("ATTESTATION_CONFIG_INVALID", `${config.trustedRootFile} is not a trusted root certificate (one self-signed P-256 CA in PEM)`, { file: config.trustedRootFile }, { cause });
  }
}

async function collateralSourceOf(config: SmsAttestationConfig, root: DcapTrustedRoot): Promise<CollateralSource> {
  if (config.collateralBundle !== undefined) {
    try {
      return await BundleCollateralSource.fromPath(config.collateralBundle);
    } catch (cause) {
      throw new SmsError("ATTESTATION_CONFIG_INVALID", `cannot read the collateral bundle ${config.collateralBundle}`, { path: config.collateralBundle }, { cause });
    }
  }
  if (config.collateralUrl !== undefined) return new PcsCollateralClient({ baseUrl: config.collateralUrl });
  if (root.fingerprint !== intelSgxRoot().fingerprint) {
    throw new SmsError("ATTESTATION_CONFIG_INVALID", "a trusted root other than Intel's needs its collateral: set sms.attestation.collateralUrl or collateralBundle");
  }
  return new PcsCollateralClient({ baseUrl: INTEL_PCS_BASE_URL, rootCaCrlUrl: INTEL_ROOT_CA_CRL_URL });
}
