// The devnet's attestation, DCAP-true: a devnet root and PKI standing in for Intel's, one simulated
// SGX platform its workers quote on, and the root's PEM for the SMS to trust. Kept under
// <dataDir>/attestation, so a restart resumes with the same root and platform.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DevnetDcap } from "../attestation/dcap/devnet/DevnetDcap.ts";

/** The simulated SGX platform the devnet's workers run on, up to date. */
export const DEVNET_PLATFORM = "devnet-sgx";
/** Where the devnet's DCAP state lives: PKI, platforms, revocations (a worker's --attestation names it). */
export const DEVNET_DCAP_DIRECTORY = join("attestation", "dcap");
/** The devnet root certificate the SMS trusts, and `result verify --root` takes. */
export const DEVNET_ROOT_FILE = join("attestation", "root.pem");

export type DevnetAttestation = { dcap: DevnetDcap; rootFile: string };

export async function openDevnetAttestation(dataDir: string): Promise<DevnetAttestation> {
  const now = new Date();
  const dcap = await DevnetDcap.open({ issuedAt: now, directory: join(dataDir, DEVNET_DCAP_DIRECTORY) });
  if (!dcap.platforms().some((platform) => platform.name === DEVNET_PLATFORM)) {
    await dcap.provisionPlatform({ name: DEVNET_PLATFORM, tee: "sgx", tcbState: "UpToDate" }, now);
  }
  const rootFile = join(dataDir, DEVNET_ROOT_FILE);
  await writeFile(rootFile, dcap.rootCertificatePem, { mode: 0o644 });
  return { dcap, rootFile };
}
