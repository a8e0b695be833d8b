// What the devnet keeps under its data directory beside the chain journal, so a restart resumes
// the same stack: the SMS master key (its database is encrypted under it) and the id of the
// devnet's workerpool. The attestation state is devnetAttestation.ts's.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ContinuumError } from "../core/ContinuumError.ts";

export const DEVNET_CHAIN_DIR = "chain";
const WORKERPOOL_FILE = join(DEVNET_CHAIN_DIR, "workerpool.json");
const SMS_MASTER_KEY_FILE = join("sms", "master.key");
/** What belongs to one chain and is moved aside together when that chain cannot be resumed. */
const CHAIN_BOUND_STATE = [DEVNET_CHAIN_DIR, "db", "deployment.json", "devnet.json"];
const DATABASES = ["market", "sms", "scheduler"];

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
