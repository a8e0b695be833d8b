// Specification of the HTTP gateway over real HTTP on loopback: stored content streams back with
// its length and verifies against its CID; client mistakes get JSON 4xx answers, and quickly.
import { expect } from "chai";
import { join } from "node:path";
import { CID } from "multiformats/cid";
import { identity } from "multiformats/hashes/identity";
import {
  HeliaContentStore,
  KuboContentStore,
  computeCid,
  createGatewayServer,
  verifyContent,
  type GatewayServer,
} from "../../../src/storage/index.ts";
import {
  closedLoopbackPort,
  expectSameBytes,
  expectStorageError,
  makeTempDir,
  randomBytes,
  removeDir,
} from "./storageTestKit.ts";

const DAG_CBOR_CODE = 0x71;
/** An empty dag-cbor map inlined in an identity CID: resolvable without any block, yet not a file. */
const NOT_A_FILE_CID = CID.create(1, DAG_CBOR_CODE, identity.digest(new Uint8Array([0xa0]))).toString();

async function readError(response: Response): Promise<{ code: string; message: string }> {
  expect(response.headers.get("content-type")).to.match(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message).to.be.a("string");
  return body.error;
}

describe("IPFS gateway", function () {
  let dir: string | undefined;
  let store: HeliaContentStore | undefined;
  let gateway: GatewayServer | undefined;

  before(async function () {
    dir = await makeTempDir();
    store = await HeliaContentStore.open({ directory: join(dir, "ipfs") });
    gateway = await createGatewayServer(store, { host: "127.0.0.1", port: 0, lookupTimeoutMs: 1_000 });
  });

  after(async function () {
    await gateway?.close();
    await store?.stop();
    await removeDir(dir);
  });

  it("listens on the requested loopback host and a free port", function () {
    expect(gateway!.port).to.be.greaterThan(0);
    expect(gateway!.url).to.equal(`http://127.0.0.1:${gateway!.port}`);
  });

  it("streams stored content with its length and type, and the bytes verify against the CID", async function () {
    const bytes = randomBytes(2 * 1024 * 1024 + 5);
    const cid = await store!.add(bytes);

    const response = await fetch(`${gateway!.url}/ipfs/${cid}`);

    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("application/octet-stream");
    expect(response.headers.get("content-length")).to.equal(String(bytes.byteLength));
    const body = new Uint8Array(await response.arrayBuffer());
    expectSameBytes(body, bytes);
    expect(await verifyContent(cid, body)).to.equal(true);
  });

  it("answers HEAD with the headers and no body", async function () {
    const cid = await store!.add(randomBytes(1000));

    const response = await fetch(`${gateway!.url}/ipfs/${cid}`, { method: "HEAD" });

    expect(response.status).to.equal(200);
    expect(response.headers.get("content-length")).to.equal("1000");
    expect((await response.arrayBuffer()).byteLength).to.equal(0);
  });

  it("answers 400 BAD_CID for an unparsable CID", async function () {
    const response = await fetch(`${gateway!.url}/ipfs/not-a-cid`);

    expect(response.status).to.equal(400);
    expect((await readError(response)).code).to.equal("BAD_CID");
  });

  it("answers 404 CONTENT_NOT_FOUND at once for content the node does not hold", async function () {
    const absent = await computeCid(randomBytes(128));
    const startedAt = Date.now();

    const response = await fetch(`${gateway!.url}/ipfs/${absent}`);

    expect(response.status).to.equal(404);
    expect((await readError(response)).code).to.equal("CONTENT_NOT_FOUND");
    expect(Date.now() - startedAt).to.be.lessThan(1_000);
  });

  it("answers 422 NOT_A_FILE for a CID that resolves to something other than a file", async function () {
    const response = await fetch(`${gateway!.url}/ipfs/${NOT_A_FILE_CID}`);

    expect(response.status).to.equal(422);
    expect((await readError(response)).code).to.equal("NOT_A_FILE");
  });

  it("answers malformed URLs and unknown routes with JSON 4xx, not 500", async function () {
    const badEncoding = await fetch(`${gateway!.url}/ipfs/%E0%A4%A`);
    const unknownRoute = await fetch(`${gateway!.url}/ipns/example.org`);

    expect(badEncoding.status).to.equal(400);
    expect((await readError(badEncoding)).code).to.equal("BAD_REQUEST");
    expect(unknownRoute.status).to.equal(404);
    expect((await readError(unknownRoute)).code).to.equal("ROUTE_NOT_FOUND");
  });

  it("refuses to start on a port already in use with GATEWAY_LISTEN_FAILED", async function () {
    const starting = createGatewayServer(store!, { port: gateway!.port });

    await expectStorageError(starting, "GATEWAY_LISTEN_FAILED");
  });

  it("answers 503 STORAGE_UNAVAILABLE, without backend details, when its IPFS node is unreachable", async function () {
    const kubo = new KuboContentStore({ apiUrl: `http://127.0.0.1:${await closedLoopbackPort()}` });
    const kuboGateway = await createGatewayServer(kubo);
    try {
      const response = await fetch(`${kuboGateway.url}/ipfs/${await computeCid(randomBytes(16))}`);

      expect(response.status).to.equal(503);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(body.error.code).to.equal("STORAGE_UNAVAILABLE");
      expect(body.error).to.not.have.property("details");
    } finally {
      await kuboGateway.close();
      await kubo.stop();
    }
  });
});
