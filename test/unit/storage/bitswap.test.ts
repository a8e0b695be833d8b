// Specification of content exchange between two embedded nodes on loopback: after connecting, one
// node fetches by CID over bitswap what the other stored, and gives up cleanly on absent content.
import { expect } from "chai";
import { join } from "node:path";
import { HeliaContentStore, computeCid, verifyContent } from "../../../src/storage/index.ts";
import {
  closedLoopbackPort,
  expectSameBytes,
  expectStorageError,
  makeTempDir,
  randomBytes,
  removeDir,
} from "./storageTestKit.ts";

describe("HeliaContentStore between two nodes", function () {
  let dir: string | undefined;
  let nodeA: HeliaContentStore | undefined;
  let nodeB: HeliaContentStore | undefined;

  before(async function () {
    dir = await makeTempDir();
    nodeA = await HeliaContentStore.open({ directory: join(dir, "a") });
    nodeB = await HeliaContentStore.open({ directory: join(dir, "b") });
  });

  after(async function () {
    await nodeA?.stop();
    await nodeB?.stop();
    await removeDir(dir);
  });

  it("listens on loopback only, with addresses that name the peer", function () {
    const addresses = nodeA!.multiaddrs();

    expect(addresses).to.have.length.greaterThan(0);
    for (const address of addresses) {
      expect(address).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//);
      expect(address.endsWith(nodeA!.peerId)).to.equal(true);
    }
  });

  it("fetches multi-block content stored on A from B by CID once connected", async function () {
    const bytes = randomBytes(3 * 1024 * 1024 + 77);
    const cid = await nodeA!.add(bytes);
    expect(await nodeB!.has(cid)).to.equal(false);

    await nodeB!.connect(nodeA!.multiaddrs()[0]!);
    const fetched = await nodeB!.get(cid, { signal: AbortSignal.timeout(15_000) });

    expectSameBytes(fetched, bytes);
    expect(await verifyContent(cid, fetched)).to.equal(true);
    expect(await nodeB!.has(cid)).to.equal(true);
  });

  it("gives up with CONTENT_NOT_FOUND when no connected peer has the content", async function () {
    const absent = await computeCid(randomBytes(32));
    const fetching = nodeB!.get(absent, { signal: AbortSignal.timeout(300) });

    const error = await expectStorageError(fetching, "CONTENT_NOT_FOUND");
    expect(error.details).to.deep.include({ cid: absent, offline: false });
  });

  it("rejects a malformed peer address with BAD_PEER_ADDRESS", async function () {
    await expectStorageError(nodeB!.connect("127.0.0.1:4001"), "BAD_PEER_ADDRESS");
  });

  it("reports PEER_UNREACHABLE when nothing listens at the address", async function () {
    const port = await closedLoopbackPort();
    const address = `/ip4/127.0.0.1/tcp/${port}`;

    await expectStorageError(nodeB!.connect(address, { signal: AbortSignal.timeout(5_000) }), "PEER_UNREACHABLE");
  });
});
