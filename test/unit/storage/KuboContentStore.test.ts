// Specification of the Kubo-backed store as far as it can be checked without a Kubo daemon: it is
// built without I/O, and an API that refuses or ignores connections gives STORAGE_UNAVAILABLE.
import { expect } from "chai";
import { createServer, type Server, type Socket } from "node:net";
import { KuboContentStore } from "../../../src/storage/index.ts";
import { closedLoopbackPort, collect, expectStorageError } from "./storageTestKit.ts";

const SOME_CID = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq";

describe("KuboContentStore", function () {
  let closedApiUrl: string;

  before(async function () {
    closedApiUrl = `http://127.0.0.1:${await closedLoopbackPort()}`;
  });

  it("fails to connect with STORAGE_UNAVAILABLE when the API refuses connections", async function () {
    const error = await expectStorageError(KuboContentStore.connect({ apiUrl: closedApiUrl }), "STORAGE_UNAVAILABLE");

    expect(error.details).to.deep.include({ reason: "ECONNREFUSED" });
    expect(error.message).to.include(closedApiUrl);
  });

  it("is built without I/O and reports STORAGE_UNAVAILABLE on first use", async function () {
    const store = new KuboContentStore({ apiUrl: closedApiUrl });

    expect(store.backend).to.equal("kubo");
    await expectStorageError(store.add(new Uint8Array([1, 2, 3])), "STORAGE_UNAVAILABLE");
    await expectStorageError(store.has(SOME_CID), "STORAGE_UNAVAILABLE");
    await expectStorageError(store.stat(SOME_CID), "STORAGE_UNAVAILABLE");
    await expectStorageError(collect(store.cat(SOME_CID)), "STORAGE_UNAVAILABLE");
  });

  it("checks CIDs before calling the API", async function () {
    const store = new KuboContentStore({ apiUrl: closedApiUrl });

    await expectStorageError(store.get("not-a-cid"), "BAD_CID");
  });

  it("rejects an API URL that is not an http(s) URL with BAD_STORAGE_CONFIG", function () {
    for (const apiUrl of ["localhost:5001", "ftp://127.0.0.1:5001"]) {
      expect(() => new KuboContentStore({ apiUrl })).to.throw().with.property("code", "BAD_STORAGE_CONFIG");
    }
  });

  it("refuses work with STORAGE_STOPPED once stopped", async function () {
    const store = new KuboContentStore({ apiUrl: closedApiUrl });
    await store.stop();

    await expectStorageError(store.has(SOME_CID), "STORAGE_STOPPED");
    await expectStorageError(store.add(new Uint8Array([1])), "STORAGE_STOPPED");
  });

  describe("against an API that accepts connections but never answers", function () {
    let silentServer: Server;
    const sockets = new Set<Socket>();

    before(async function () {
      silentServer = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silentServer.listen(0, "127.0.0.1", resolve));
    });

    after(async function () {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => silentServer.close(() => resolve()));
    });

    it("gives up connecting after connectTimeoutMs with STORAGE_UNAVAILABLE", async function () {
      const address = silentServer.address();
      if (address === null || typeof address === "string") {
        throw new Error("expected a TCP address");
      }
      const startedAt = Date.now();

      await expectStorageError(
        KuboContentStore.connect({ apiUrl: `http://127.0.0.1:${address.port}`, connectTimeoutMs: 300 }),
        "STORAGE_UNAVAILABLE",
      );
      expect(Date.now() - startedAt).to.be.lessThan(2_000);
    });
  });
});
