// Shared helpers for the storage tests: temporary directories, random content, byte comparison,
// a loopback port nothing listens on, and assertions on StorageError codes.
import { expect } from "chai";
import { randomBytes as nodeRandomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StorageError, type StorageErrorCode } from "../../../src/storage/index.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "continuum-storage-"));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) {
    await rm(dir, { recursive: true, force: true });
  }
}

export function randomBytes(size: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(size));
}

export async function* inChunks(bytes: Uint8Array, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
    yield bytes.subarray(offset, offset + chunkSize);
  }
}

/** Byte-wise equality without chai's element-by-element deep compare, which is slow on megabytes. */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength, "length").to.equal(expected.byteLength);
  expect(Buffer.from(actual).equals(Buffer.from(expected)), "bytes differ").to.equal(true);
}

/** A loopback TCP port that was free a moment ago and has nothing listening on it. */
export { freePort as closedLoopbackPort } from "../../helpers/freePort.ts";

export function expectStorageError(action: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  return rejectionOf(StorageError, action, code);
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) {
    chunks.push(chunk);
  }
  return chunks;
}
