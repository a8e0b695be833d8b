// Persists the devnet DCAP state under one directory so a restarted devnet resumes with the same
// root, CAs and platforms: pki.json, platforms/<name>.json (keys PKCS#8 hex, certificates PEM,
// mode 0600, never overwritten) and revocations.json (replaced atomically on change).
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { DevnetDcapError } from "./DevnetDcapError.ts";
import type { StoredPki } from "./DevnetPki.ts";
import { DEVNET_TCB_STATES, type DevnetTcbState } from "./devnetTcb.ts";

const PKI_FILE = "pki.json";
const PLATFORMS_DIR = "platforms";
const REVOCATIONS_FILE = "revocations.json";

export const PLATFORM_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A provisioned platform as stored: its keys (PKCS#8 DER), PCK certificate (PEM) and identifiers. */
export interface StoredPlatform {
  name: string;
  tee: "sgx" | "tdx";
  tcbState: DevnetTcbState;
  qeSvn: number;
  pckKey: Uint8Array;
  pckCertificatePem: string;
  attestationKey: Uint8Array;
  qeId: Uint8Array;
}

const hex = z.string().regex(/^(?:[0-9a-f]{2})+$/, "lowercase hex");
const pem = z.string().startsWith("-----BEGIN CERTIFICATE-----");
const certifiedKey = z.strictObject({ pkcs8: hex, certificate: pem });

const pkiSchema = z.strictObject({
  kind: z.literal("continuum/dcap-devnet-pki"),
  version: z.literal(1),
  collateralBaseUrl: z.string().url(),
  root: certifiedKey,
  platformCa: certifiedKey,
  tcbSigning: certifiedKey,
});

const platformSchema = z.strictObject({
  kind: z.literal("continuum/dcap-devnet-platform"),
  version: z.literal(1),
  name: z.string().regex(PLATFORM_NAME),
  tee: z.enum(["sgx", "tdx"]),
  tcbState: z.enum(DEVNET_TCB_STATES as [DevnetTcbState, ...DevnetTcbState[]]),
  qeSvn: z.number().int().min(0).max(0xffff),
  pckKey: hex,
  pckCertificate: pem,
  attestationKey: hex,
  qeId: hex.length(32),
});

const revocationsSchema = z.strictObject({
  kind: z.literal("continuum/dcap-devnet-revocations"),
  version: z.literal(1),
  revokedPlatforms: z.array(z.string().regex(PLATFORM_NAME)),
});

export function hasStoredPki(directory: string): boolean {
  return existsSync(join(directory, PKI_FILE));
}

export async function savePki(directory: string, pki: StoredPki): Promise<void> {
  const encode = (key: StoredPki["root"]) => ({ pkcs8: toHex(key.pkcs8), certificate: key.certificatePem });
  const file: z.infer<typeof pkiSchema> = {
    kind: "continuum/dcap-devnet-pki",
    version: 1,
    collateralBaseUrl: pki.collateralBaseUrl,
    root: encode(pki.root),
    platformCa: encode(pki.platformCa),
    tcbSigning: encode(pki.tcbSigning),
  };
  await writeNewSecretFile(join(directory, PKI_FILE), file, "STATE_EXISTS");
}

export async function loadPki(directory: string): Promise<StoredPki> {
  const path = join(directory, PKI_FILE);
  if (!existsSync(path)) throw new DevnetDcapError("STATE_NOT_FOUND", "no devnet DCAP state in this directory", { path });
  const file = await readStateFile(path, pkiSchema);
  const decode = (key: z.infer<typeof certifiedKey>) => ({ pkcs8: fromHex(key.pkcs8), certificatePem: key.certificate });
  return {
    collateralBaseUrl: file.collateralBaseUrl,
    root: decode(file.root),
    platformCa: decode(file.platformCa),
    tcbSigning: decode(file.tcbSigning),
  };
}

export async function savePlatform(directory: string, platform: StoredPlatform): Promise<void> {
  const file: z.infer<typeof platformSchema> = {
    kind: "continuum/dcap-devnet-platform",
    version: 1,
    name: platform.name,
    tee: platform.tee,
    tcbState: platform.tcbState,
    qeSvn: platform.qeSvn,
    pckKey: toHex(platform.pckKey),
    pckCertificate: platform.pckCertificatePem,
    attestationKey: toHex(platform.attestationKey),
    qeId: toHex(platform.qeId),
  };
  await writeNewSecretFile(join(directory, PLATFORMS_DIR, `${platform.name}.json`), file, "PLATFORM_EXISTS");
}

export async function loadPlatforms(directory: string): Promise<StoredPlatform[]> {
  const platformsDir = join(directory, PLATFORMS_DIR);
  if (!existsSync(platformsDir)) return [];
  const names = (await readdir(platformsDir)).filter((entry) => entry.endsWith(".json")).sort();
  const platforms: StoredPlatform[] = [];
  for (const entry of names) {
    const path = join(platformsDir, entry);
    const file = await readStateFile(path, platformSchema);
    if (`${file.name}.json` !== entry) {
      throw new DevnetDcapError("INVALID_STATE_FILE", "platform file name does not match the platform it holds", { path });
    }
    platforms.push({
      name: file.name,
      tee: file.tee,
      tcbState: file.tcbState,
      qeSvn: file.qeSvn,
      pckKey: fromHex(file.pckKey),
      pckCertificatePem: file.pckCertificate,
      attestationKey: fromHex(file.attestationKey),
      qeId: fromHex(file.qeId),
    });
  }
  return platforms;
}

export async function saveRevocations(directory: string, revokedPlatforms: readonly string[]): Promise<void> {
  const file: z.infer<typeof revocationsSchema> = {
    kind: "continuum/dcap-devnet-revocations",
    version: 1,
    revokedPlatforms: [...revokedPlatforms].sort(),
  };
  const path = join(directory, REVOCATIONS_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

export async function loadRevocations(directory: string): Promise<string[]> {
  const path = join(directory, REVOCATIONS_FILE);
  if (!existsSync(path)) return [];
  return (await readStateFile(path, revocationsSchema)).revokedPlatforms;
}

async function writeNewSecretFile(path: string, contents: object, existsCode: "STATE_EXISTS" | "PLATFORM_EXISTS"): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new DevnetDcapError(existsCode, "refusing to overwrite stored devnet DCAP state", { path }, { cause: error });
    }
    throw error;
  }
}

async function readStateFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readFile(path, "utf8");
  try {
    return schema.parse(JSON.parse(text));
  } catch (error) {
    throw new DevnetDcapError("INVALID_STATE_FILE", "devnet DCAP state file is invalid", { path }, { cause: error });
  }
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "hex"));
}
