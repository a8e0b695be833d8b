// What the devnet keeps under its data directory beside the chain journal, so a restart resumes
// the same stack: the SMS master key (its database is encrypted under it), the attestation
// authority and platform key, and the id of the devnet's workerpool.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AttestationAuthority, loadAuthority, loadPlatformKey, saveAuthority, savePlatformKey, type PlatformAttestationKey } from "../attestation/index.ts";
import { ContinuumError } from "../core/ContinuumError.ts";

export const DEVNET_CHAIN_DIR = "chain";
const WORKERPOOL_FILE = join(DEVNET_CHAIN_DIR, "workerpool.json");
const SMS_MASTER_KEY_FILE = join("sms", "master.key");
const AUTHORITY_FILE = join("attestation", "authority.json");
export const DEVNET_PLATFORM_KEY_FILE = join("attestation", "platform-key.json");
/** What belongs to one chain and is moved aside together when that chain cannot be resumed. */
const CHAIN_BOUND_STATE = [DEVNET_CHAIN_DIR, "db", "deployment.json", "devnet.json"];
const DATABASES = ["market", "sms", "scheduler"];
const CERTIFICATE_LIFETIME_SECONDS = 30 * 86_400;
/** Certificates closer than this to expiry are renewed at start, so a long run does not outlive them. */
const CERTIFICATE_RENEWAL_MARGIN_SECONDS = 86_400;

/** The SMS master key (hex), made once and kept in <dataDir>/sms/master.key (mode 0600). */
export async function loadOrCreateSmsMasterKey(dataDir: string): Promise<string> {
  const path = join(dataDir, SMS_MASTER_KEY_FILE);
  if (existsSync(path)) {
    const key = (await readFile(path, "utf8")).trim();
    if (!/^[0-9a-f]{64}$/.test(key)) throw new ContinuumError("DEVNET_STATE_INVALID", `${path} does not hold a 32-byte hex key`, { path });
    return key;
  }
  await mkdir(join(dataDir, "sms"), { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString("hex");
  await writeFile(path, `${key}\n`, { mode: 0o600, flag: "wx" });
  return key;
}

/** The devnet's attestation authority and its workers' platform key, kept under <dataDir>/attestation; renewed near expiry. */
export async function loadOrCreateAttestation(dataDir: string): Promise<{ authority: AttestationAuthority; platformKey: PlatformAttestationKey }> {
  const authorityPath = join(dataDir, AUTHORITY_FILE);
  const platformKeyPath = join(dataDir, DEVNET_PLATFORM_KEY_FILE);
  if (existsSync(authorityPath) && existsSync(platformKeyPath)) {
    const authority = await loadAuthority(authorityPath);
    const platformKey = await loadPlatformKey(platformKeyPath);
    const renewBy = Math.floor(Date.now() / 1000) + CERTIFICATE_RENEWAL_MARGIN_SECONDS;
    const current = platformKey.rootCertificate.subjectPublicKey.every((byte, i) => byte === authority.rootCertificate.subjectPublicKey[i]);
    if (current && authority.rootCertificate.notAfter > renewBy && platformKey.certificate.notAfter > renewBy) return { authority, platformKey };
  }
  await rm(authorityPath, { force: true });
  await rm(platformKeyPath, { force: true });
  const lifetime = { now: new Date(), lifetimeSeconds: CERTIFICATE_LIFETIME_SECONDS };
  const authority = AttestationAuthority.create(lifetime);
  const platformKey = authority.issuePlatformKey(lifetime);
  await saveAuthority(authorityPath, authority);
  await savePlatformKey(platformKeyPath, platformKey);
  return { authority, platformKey };
}

/** The devnet workerpool registered on the current chain, if any. */
export async function readDevnetWorkerpool(dataDir: string): Promise<bigint | undefined> {
  const path = join(dataDir, WORKERPOOL_FILE);
  if (!existsSync(path)) return undefined;
  const { workerpool } = JSON.parse(await readFile(path, "utf8")) as { workerpool?: unknown };
  if (typeof workerpool !== "string" || !/^[0-9]+$/.test(workerpool)) {
    throw new ContinuumError("DEVNET_STATE_INVALID", `${path} does not name a workerpool`, { path });
  }
  return BigInt(workerpool);
}

export async function writeDevnetWorkerpool(dataDir: string, workerpool: bigint): Promise<void> {
  await mkdir(join(dataDir, DEVNET_CHAIN_DIR), { recursive: true });
  await writeFile(join(dataDir, WORKERPOOL_FILE), `${JSON.stringify({ workerpool: workerpool.toString() })}\n`);
}

/** A fresh chain starts with empty databases: a ledger or task table of an earlier chain would lie. */
export async function resetChainBoundDatabases(dataDir: string): Promise<void> {
  for (const database of DATABASES) await rm(join(dataDir, "db", database), { recursive: true, force: true });
  await rm(join(dataDir, WORKERPOOL_FILE), { force: true });
}

/**
 * Moves a chain that cannot be resumed, with its databases and deployment, to
 * <dataDir>/stale/<time>/ (nothing is deleted) and returns that directory.
 */
export async function moveChainStateAside(dataDir: string): Promise<string> {
  const target = join(dataDir, "stale", new Date().toISOString().replace(/[:.]/g, "-"));
  await mkdir(target, { recursive: true });
  for (const entry of CHAIN_BOUND_STATE) {
    if (existsSync(join(dataDir, entry))) await rename(join(dataDir, entry), join(target, entry));
  }
  return target;
}
