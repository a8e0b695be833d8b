// Specification of the store factory: the embedded node under `<dataDir>/ipfs` by default, the
// Kubo store when an IPFS API URL is configured.
import { expect } from "chai";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { silentLogger } from "../../../src/core/logger.ts";
import { HeliaContentStore, openContentStore } from "../../../src/storage/index.ts";
import { closedLoopbackPort, expectStorageError, makeTempDir, removeDir } from "./storageTestKit.ts";

describe("openContentStore", function () {
  let dataDir: string | undefined;

  beforeEach(async function () {
    dataDir = await makeTempDir();
  });

  afterEach(async function () {
    await removeDir(dataDir);
  });

  it("opens the embedded Helia node under <dataDir>/ipfs when no IPFS API URL is given", async function () {
    const store = await openContentStore({ dataDir: dataDir!, logger: silentLogger() });
    try {
      expect(store.backend).to.equal("helia");
      expect(store).to.be.instanceOf(HeliaContentStore);
      expect((await stat(join(dataDir!, "ipfs", "blocks"))).isDirectory()).to.equal(true);
      expect(await store.get(await store.add(new Uint8Array([7, 7, 7])))).to.deep.equal(new Uint8Array([7, 7, 7]));
    } finally {
      await store.stop();
    }
  });

  it("picks the Kubo store when an IPFS API URL is given, failing fast if it is unreachable", async function () {
    const ipfsApiUrl = `http://127.0.0.1:${await closedLoopbackPort()}`;

    const opening = openContentStore({ dataDir: dataDir!, ipfsApiUrl, logger: silentLogger() });
    await expectStorageError(opening, "STORAGE_UNAVAILABLE");
  });
});
