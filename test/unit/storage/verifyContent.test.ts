// Specification of content verification: the CID recomputed from bytes matches the CID they were
// stored under, and any change to the bytes, however small, breaks the match.
import { expect } from "chai";
import { computeCid, verifyContent } from "../../../src/storage/index.ts";
import { expectStorageError, inChunks, randomBytes } from "./storageTestKit.ts";

const HELLO = new TextEncoder().encode("hello");
const HELLO_CID = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq";

describe("verifyContent", function () {
  it("computes the CID other IPFS implementations give the same bytes", async function () {
    expect(await computeCid(HELLO)).to.equal(HELLO_CID);
    expect(await verifyContent(HELLO_CID, HELLO)).to.equal(true);
  });

  it("accepts multi-block content, whole or streamed", async function () {
    const bytes = randomBytes(2 * 1024 * 1024 + 1);
    const cid = await computeCid(bytes);

    expect(cid).to.match(/^bafybei/);
    expect(await verifyContent(cid, bytes)).to.equal(true);
    expect(await verifyContent(cid, inChunks(bytes, 10_000))).to.equal(true);
  });

  it("rejects content with one byte changed, cut short or extended", async function () {
    const bytes = randomBytes(1_200_000);
    const cid = await computeCid(bytes);
    const flipped = bytes.slice();
    flipped[600_000] = flipped[600_000]! ^ 0x01;
    const extended = new Uint8Array(bytes.byteLength + 1);
    extended.set(bytes);

    expect(await verifyContent(cid, flipped)).to.equal(false);
    expect(await verifyContent(cid, bytes.subarray(0, bytes.byteLength - 1))).to.equal(false);
    expect(await verifyContent(cid, extended)).to.equal(false);
  });

  it("rejects a malformed CID with BAD_CID", async function () {
    await expectStorageError(verifyContent("Qm-not-a-cid", HELLO), "BAD_CID");
  });
});
