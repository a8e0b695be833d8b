// Specification of the embedded content store: UnixFS CIDv1 content on disk, streamed in and out,
// size-guarded reads, local-only lookups, and content that survives a restart.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CID } from "multiformats/cid";
import { HeliaContentStore, computeCid } from "../../../src/storage/index.ts";
import {
  collect,
  expectSameBytes,
  expectStorageError,
  inChunks,
  makeTempDir,
  randomBytes,
  removeDir,
} from "./storageTestKit.ts";

const HELLO = new TextEncoder().encode("hello");
/** What `ipfs add --cid-version=1` prints for the five bytes "hello". */
const HELLO_CID = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq";

describe("HeliaContentStore", function () {
  let dir: string | undefined;
  let store: HeliaContentStore;

  before(async function () {
    dir = await makeTempDir();
    store = await HeliaContentStore.open({ directory: join(dir, "ipfs") });
  });

  after(async function () {
    await store?.stop();
    await removeDir(dir);
  });

  it("stores bytes under an ordinary CIDv1 and reads the same bytes back", async function () {
    const cid = await store.add(HELLO);

    expect(cid).to.equal(HELLO_CID);
    expect(CID.parse(cid).version).to.equal(1);
    expectSameBytes(await store.get(cid), HELLO);
    expect(await store.has(cid)).to.equal(true);
  });

  it("gives a stream, a file on disk and a buffer of the same bytes the same CID", async function () {
    const bytes = randomBytes(1_500_000);
    const path = join(dir!, "upload.bin");
    await writeFile(path, bytes);

    const fromBuffer = await store.add(bytes);
    const fromStream = await store.add(inChunks(bytes, 100_000));
    const fromFile = await store.addFile(path);

    expect(fromStream).to.equal(fromBuffer);
    expect(fromFile).to.equal(fromBuffer);
    expect(await computeCid(bytes)).to.equal(fromBuffer);
  });

  it("round-trips 5 MB streamed in and out, chunk by chunk", async function () {
    const bytes = randomBytes(5 * 1024 * 1024);
    const cid = await store.add(inChunks(bytes, 64 * 1024));

    const hash = createHash("sha256");
    let chunks = 0;
    for await (const chunk of store.cat(cid)) {
      hash.update(chunk);
      chunks += 1;
    }

    expect(chunks).to.be.greaterThan(1);
    expect(hash.digest("hex")).to.equal(createHash("sha256").update(bytes).digest("hex"));
    expect(await store.stat(cid)).to.deep.equal({ cid, size: bytes.byteLength });
  });

  it("refuses to buffer content larger than maxBytes with CONTENT_TOO_LARGE", async function () {
    const cid = await store.add(randomBytes(2048));

    const error = await expectStorageError(store.get(cid, { maxBytes: 1024 }), "CONTENT_TOO_LARGE");
    expect(error.details).to.deep.equal({ cid, maxBytes: 1024 });
    expect((await store.get(cid, { maxBytes: 2048 })).byteLength).to.equal(2048);
  });

  it("answers offline lookups for content it does not hold with CONTENT_NOT_FOUND, at once", async function () {
    const absent = await computeCid(randomBytes(64));
    const startedAt = Date.now();

    expect(await store.has(absent)).to.equal(false);
    await expectStorageError(store.stat(absent, { offline: true }), "CONTENT_NOT_FOUND");
    await expectStorageError(collect(store.cat(absent, { offline: true })), "CONTENT_NOT_FOUND");
    expect(Date.now() - startedAt).to.be.lessThan(1_000);
  });

  it("rejects malformed CIDs with BAD_CID", async function () {
    await expectStorageError(store.has("not-a-cid"), "BAD_CID");
    await expectStorageError(store.get("bafy-nope"), "BAD_CID");
    await expectStorageError(collect(store.cat("")), "BAD_CID");
  });

  it("rejects a missing file with FILE_NOT_READABLE", async function () {
    await expectStorageError(store.addFile(join(dir!, "missing.bin")), "FILE_NOT_READABLE");
    await expectStorageError(store.addFile(dir!), "FILE_NOT_READABLE");
  });

  describe("on the same directory after a restart", function () {
    let restartDir: string | undefined;

    after(async function () {
      await removeDir(restartDir);
    });

    it("finds previously added content and keeps its peer id", async function () {
      restartDir = await makeTempDir();
      const bytes = randomBytes(3 * 1024 * 1024);
      const first = await HeliaContentStore.open({ directory: restartDir });
      const cid = await first.add(bytes);
      const peerId = first.peerId;
      await first.stop();
      await expectStorageError(first.has(cid), "STORAGE_STOPPED");

      const reopened = await HeliaContentStore.open({ directory: restartDir });
      try {
        expect(reopened.peerId).to.equal(peerId);
        expect(await reopened.has(cid)).to.equal(true);
        expectSameBytes(await reopened.get(cid, { offline: true }), bytes);
      } finally {
        await reopened.stop();
      }
    });
  });
});
