// The devnet's DCAP platform for tests: a devnet root and PKI in a temporary directory, platforms
// provisioned on demand in any TCB state, and the devnet collateral service on a loopback port,
// which services under test fetch collateral from exactly as from a PCCS.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DevnetCollateralService } from "../../src/attestation/dcap/devnet/DevnetCollateralService.ts";
import { DevnetDcap, type ProvisionRequest } from "../../src/attestation/dcap/devnet/DevnetDcap.ts";
import type { SimulatedQuotingEnclave } from "../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../src/persistence/testing/index.ts";
import { simulatedQuotingPlatform, type QuotingPlatform } from "../../enclave/quotingPlatform.ts";

/** The platform honest enclaves of the tests run on: SGX, up to date. */
export const HONEST_PLATFORM = "sgx-1";

export type TestAttestation = {
  dcap: DevnetDcap;
  collateral: DevnetCollateralService;
  /** The devnet root's PEM file: what an SMS trusts. */
  rootFile: string;
  /** The SMS's attestation configuration for this devnet. */
  smsConfig: { trustedRootFile: string; collateralUrl: string };
  /** The quoting enclave of a platform, provisioned on first use with `request` (an up-to-date SGX platform by default). */
  platform(name?: string, request?: Omit<ProvisionRequest, "name">): Promise<SimulatedQuotingEnclave>;
  /** The enclave runtime's quoting platform on `name`. */
  quotingPlatform(name?: string): Promise<QuotingPlatform>;
  close(): Promise<void>;
};

export async function startTestAttestation(): Promise<TestAttestation> {
  const directory: TemporaryDirectory = await createTemporaryDirectory("continuum-dcap-");
  const issuedAt = new Date(Date.now() - 3_600_000);
  const dcap = await DevnetDcap.create({ issuedAt, directory: join(directory.path, "dcap") });
  const platform = async (name = HONEST_PLATFORM, request: Omit<ProvisionRequest, "name"> = { tee: "sgx" }) => {
    if (!dcap.platforms().some((known) => known.name === name)) await dcap.provisionPlatform({ name, ...request }, issuedAt);
    return dcap.quotingEnclave(name);
  };
  await platform();
  const collateral = await DevnetCollateralService.start(dcap, { host: "127.0.0.1", port: 0 });
  const rootFile = join(directory.path, "root.pem");
  await writeFile(rootFile, dcap.rootCertificatePem);
  return {
    dcap,
    collateral,
    rootFile,
    smsConfig: { trustedRootFile: rootFile, collateralUrl: collateral.url },
    platform,
    quotingPlatform: async (name = HONEST_PLATFORM) => simulatedQuotingPlatform(await platform(name), name),
    close: async () => {
      await collateral.close();
      await directory.remove();
    },
  };
}
