// Where the CLI's attestation commands get their trust anchor and collateral: a PEM root file (Intel's
// SGX Root CA when none is named), and collateral from a PCCS / Intel PCS URL or an offline file or
// directory, as named on the command line or, by default, as the SMS is configured.
import { readFile } from "node:fs/promises";
import {
  BundleCollateralSource,
  DcapError,
  INTEL_PCS_BASE_URL,
  INTEL_ROOT_CA_CRL_URL,
  PcsCollateralClient,
  dcapTrustedRoot,
  intelSgxRoot,
  type CollateralSource,
  type DcapTrustedRoot,
} from "../attestation/dcap/index.ts";
import type { Config } from "../config/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, UsageError } from "./errors.ts";

/** The root quotes must chain to: the PEM file `rootFile`, or Intel's SGX Root CA. */
export async function trustedRootFrom(context: CliContext, rootFile: string | undefined): Promise<DcapTrustedRoot> {
  if (rootFile === undefined) return intelSgxRoot();
  const path = context.resolvePath(rootFile);
  const pem = await readFile(path, "utf8");
  try {
    return dcapTrustedRoot(pem);
  } catch (cause) {
    throw new CliError("INVALID_TRUSTED_ROOT", `${path} is not a trusted root (one self-signed P-256 CA certificate in PEM)`, { path }, { cause });
  }
}

/** Collateral from `spec`: an http(s) URL of a PCCS or Intel's PCS, or a collateral file or directory. */
export async function collateralSourceFrom(context: CliContext, spec: string): Promise<CollateralSource> {
  if (/^https?:\/\//i.test(spec)) {
    const intel = spec.replace(/\/+$/, "") === INTEL_PCS_BASE_URL;
    try {
      return new PcsCollateralClient({ baseUrl: spec, ...(intel ? { rootCaCrlUrl: INTEL_ROOT_CA_CRL_URL } : {}) });
    } catch (cause) {
      throw new UsageError("INVALID_URL", `The collateral URL "${spec}" is not a URL`, { url: spec }, { cause });
    }
  }
  const path = context.resolvePath(spec);
  try {
    return await BundleCollateralSource.fromPath(path);
  } catch (error) {
    if (!(error instanceof DcapError)) throw error;
    throw new CliError("MALFORMED_COLLATERAL", `${path} is not DCAP collateral: ${error.message}`, { path }, { cause: error });
  }
}

/** The trust the SMS is configured with (sms.attestation): its root file and collateral source, for defaults. */
export function configuredTrust(config: Config): { rootFile?: string; collateral: string } {
  const attestation = config.sms.attestation;
  return {
    ...(attestation.trustedRootFile === undefined ? {} : { rootFile: attestation.trustedRootFile }),
    collateral: attestation.collateralBundle ?? attestation.collateralUrl ?? INTEL_PCS_BASE_URL,
  };
}
