// Shared helpers for the crypto unit tests: a throwaway directory per suite and assertions that a
// call fails with a CryptoError of a given code.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CryptoError, type CryptoErrorCode } from "../../../src/crypto/index.ts";

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "continuum-crypto-"));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function expectCryptoErrorSync(run: () => unknown, code: CryptoErrorCode): CryptoError {
  try {
    run();
  } catch (error) {
    return checkCryptoError(error, code);
  }
  return expect.fail(`expected a CryptoError ${code}, but nothing was thrown`);
}

export async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<CryptoError> {
  try {
    await promise;
  } catch (error) {
    return checkCryptoError(error, code);
  }
  return expect.fail(`expected a CryptoError ${code}, but the promise resolved`);
}

function checkCryptoError(error: unknown, code: CryptoErrorCode): CryptoError {
  expect(error).to.be.instanceOf(CryptoError);
  const cryptoError = error as CryptoError;
  expect(cryptoError.code).to.equal(code);
  return cryptoError;
}

/** A copy of `bytes` with one bit flipped at `index`. */
export function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
