// Shared helpers for the storage tests: temporary directories, random content, byte comparison,
// a loopback port nothing listens on, and assertions on StorageError codes.
import { expect } from "chai";
import { randomBytes as nodeRandomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StorageError, type StorageErrorCode } from "../../../src/storage/index.ts";

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
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") {
    throw new Error("expected a TCP address");
  }
  return address.port;
}

export async function expectStorageError(action: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  let failure: unknown;
  try {
    await action;
  } catch (error) {
    failure = error;
  }
  expect(failure, `expected a StorageError ${code}`).to.be.instanceOf(StorageError);
  expect((failure as StorageError).code).to.equal(code);
  return failure as StorageError;
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) {
    chunks.push(chunk);
  }
  return chunks;
}
