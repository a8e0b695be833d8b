// Shared helpers for the crypto unit tests: a throwaway directory per suite and assertions that a
// call fails with a CryptoError of a given code.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CryptoError, type CryptoErrorCode } from "../../../src/crypto/index.ts";
import { rejectionOf, thrownBy } from "../../helpers/expectFailure.ts";

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "continuum-crypto-"));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function expectCryptoErrorSync(run: () => unknown, code: CryptoErrorCode): CryptoError {
  return thrownBy(CryptoError, run, code);
}

export function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<CryptoError> {
  return rejectionOf(CryptoError, promise, code);
}

/** A copy of `bytes` with one bit flipped at `index`. */
export function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
