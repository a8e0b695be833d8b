// Specification of the streamed dataset codec: output flows while input is still arriving, and any
// split of the encrypted bytes into chunks decrypts to the same plaintext.
import { expect } from "chai";
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import { decryptDatasetStream, encryptDataset, encryptDatasetStream } from "../../../src/crypto/index.ts";

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* fromChunks(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe("encryptDatasetStream / decryptDatasetStream", () => {
  it("emits plaintext while the ciphertext is still being read, holding about one chunk", async () => {
    const chunkBytes = 16 * 1024;
    const chunkCount = 64;
    const { encrypted, key } = encryptDataset(randomBytes(chunkBytes * chunkCount));
    let chunksRead = 0;
    async function* slowSource(): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < encrypted.length; offset += chunkBytes) {
        chunksRead += 1;
        yield encrypted.subarray(offset, offset + chunkBytes);
      }
    }
    const chunksReadAtEachOutput: number[] = [];
    let largestOutput = 0;
    for await (const plaintext of decryptDatasetStream(key)(slowSource())) {
      chunksReadAtEachOutput.push(chunksRead);
      largestOutput = Math.max(largestOutput, plaintext.length);
    }
    expect(chunksReadAtEachOutput[0]).to.equal(1);
    expect(chunksReadAtEachOutput.length).to.be.greaterThan(chunkCount - 2);
    expect(largestOutput).to.be.at.most(chunkBytes + 16);
  });

  it("decrypts whatever the chunk boundaries, even inside the header and the tag", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (plaintext, plaintextCuts, ciphertextCuts) => {
          const key = randomBytes(32);
          const encrypted = await collect(encryptDatasetStream(key)(fromChunks(splitAt(plaintext, plaintextCuts))));
          const decrypted = await collect(decryptDatasetStream(key)(fromChunks(splitAt(encrypted, ciphertextCuts))));
          expect(decrypted.equals(plaintext)).to.equal(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
