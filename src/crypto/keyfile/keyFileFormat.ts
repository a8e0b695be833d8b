// The password-protected key file, version 1: a JSON document holding one secret key sealed with
// AES-256-GCM under a scrypt-derived key, next to public information readable without the password.
//
//   {
//     "format": "continuum-key", "version": 1,
//     "public": { "kind": "ethereum", "address": "0x…" } | { "kind": "result-x25519", "publicKey": "0x…" },
//     "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": "0x<16 bytes>" },
//     "cipher": { "name": "aes-256-gcm", "nonce": "0x<12 bytes>", "ciphertext": "0x<32 bytes>", "tag": "0x<16 bytes>" }
//   }
//
// Every field outside "cipher" is GCM additional data, so public information cannot be swapped.
import { z } from "zod";

export const KEY_FILE_FORMAT = "continuum-key";
export const KEY_FILE_VERSION = 1;
export const SECRET_KEY_BYTES = 32;
export const SALT_BYTES = 16;

export type ScryptCost = { N: number; r: number; p: number };

/** Interactive-login strength: about 128 MiB and a few hundred milliseconds per derivation. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

// Bounds on what a key file may ask for, so a hostile file cannot make loading exhaust memory.
const MIN_LOG2_N = 10;
const MAX_LOG2_N = 18;
const MAX_R = 8;
const MAX_P = 4;

export function isSupportedScryptCost(cost: ScryptCost): boolean {
  const log2N = Math.log2(cost.N);
  return (
    Number.isInteger(log2N) &&
    log2N >= MIN_LOG2_N &&
    log2N <= MAX_LOG2_N &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= MAX_R &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= MAX_P
  );
}

const hexBytes = (length: number) => z.string().regex(new RegExp(`^0x[0-9a-f]{${2 * length}}$`));

export const keyFilePublicInfoSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ethereum"), address: z.string().regex(/^0x[0-9a-fA-F]{40}$/) }),
  z.object({ kind: z.literal("result-x25519"), publicKey: hexBytes(32) }),
]);

export type KeyFilePublicInfo = z.infer<typeof keyFilePublicInfoSchema>;
export type KeyKind = KeyFilePublicInfo["kind"];

export const keyFileSchema = z.object({
  format: z.literal(KEY_FILE_FORMAT),
  version: z.literal(KEY_FILE_VERSION),
  public: keyFilePublicInfoSchema,
  kdf: z
    .object({
      name: z.literal("scrypt"),
      N: z.number(),
      r: z.number(),
      p: z.number(),
      salt: hexBytes(SALT_BYTES),
    })
    .refine(isSupportedScryptCost, "scrypt cost outside the supported range"),
  cipher: z.object({
    name: z.literal("aes-256-gcm"),
    nonce: hexBytes(12),
    ciphertext: hexBytes(SECRET_KEY_BYTES),
    tag: hexBytes(16),
  }),
});

export type KeyFile = z.infer<typeof keyFileSchema>;

/** The authenticated part of a key file, serialized in a fixed order. */
export function keyFileAdditionalData(file: Pick<KeyFile, "format" | "version" | "public" | "kdf">): Uint8Array {
  const publicId = file.public.kind === "ethereum" ? file.public.address : file.public.publicKey;
  const { name, N, r, p, salt } = file.kdf;
  const fields = [file.format, file.version, file.public.kind, publicId, name, N, r, p, salt];
  return new TextEncoder().encode(JSON.stringify(fields));
}
