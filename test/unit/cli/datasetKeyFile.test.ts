// The dataset key file opens only with its password, binds the dataset checksum, and is never replaced.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createDatasetKeyFile, loadDatasetKeyFile } from "../../../src/cli/datasetKeyFile.ts";
import { CryptoError } from "../../../src/crypto/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";

const FAST = { scryptCost: { N: 2 ** 10, r: 8, p: 1 } };
const CHECKSUM = `0x${"3f".repeat(32)}`;

async function failure(pending: Promise<unknown>): Promise<CryptoError> {
  const error = await pending.then(
    () => expect.fail("expected a failure"),
    (caught: unknown) => caught,
  );
  expect(error).to.be.instanceOf(CryptoError);
  return error as CryptoError;
}

describe("dataset key file", () => {
  let dir: TemporaryDirectory;
  beforeEach(async () => {
    dir = await createTemporaryDirectory("continuum-dataset-key-");
  });
  afterEach(async () => {
    await dir.remove();
  });

  it("returns the key and checksum with the right password; the file never shows the key", async () => {
    const path = join(dir.path, "k.json");
    const key = randomBytes(32);
    await createDatasetKeyFile(path, "pw", key, CHECKSUM, FAST);
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
    expect(await readFile(path, "utf8")).to.not.include(key.toString("hex"));
    const opened = await loadDatasetKeyFile(path, "pw");
    expect(Buffer.from(opened.key).equals(key)).to.equal(true);
    expect(opened.checksum).to.equal(CHECKSUM);
  });

  it("refuses a wrong password and a file whose checksum was swapped", async () => {
    const path = join(dir.path, "k.json");
    await createDatasetKeyFile(path, "pw", randomBytes(32), CHECKSUM, FAST);
    expect((await failure(loadDatasetKeyFile(path, "other"))).code).to.equal("WRONG_PASSWORD");
    const file = JSON.parse(await readFile(path, "utf8"));
    file.dataset.checksum = `0x${"00".repeat(32)}`;
    await writeFile(path, JSON.stringify(file));
    expect((await failure(loadDatasetKeyFile(path, "pw"))).code).to.equal("WRONG_PASSWORD");
  });

  it("never replaces an existing file and refuses empty passwords and malformed files", async () => {
    const path = join(dir.path, "k.json");
    await createDatasetKeyFile(path, "pw", randomBytes(32), CHECKSUM, FAST);
    const before = await readFile(path, "utf8");
    const overwrite = createDatasetKeyFile(path, "pw", randomBytes(32), CHECKSUM, FAST);
    expect((await failure(overwrite)).code).to.equal("KEY_FILE_EXISTS");
    expect(await readFile(path, "utf8")).to.equal(before);
    const emptyPassword = createDatasetKeyFile(join(dir.path, "e.json"), "", randomBytes(32), CHECKSUM, FAST);
    expect((await failure(emptyPassword)).code).to.equal("BAD_PASSWORD");
    await writeFile(join(dir.path, "bad.json"), JSON.stringify({ format: "continuum-dataset-key", version: 1 }));
    expect((await failure(loadDatasetKeyFile(join(dir.path, "bad.json"), "pw"))).code).to.equal("BAD_KEY_FILE");
    expect((await failure(loadDatasetKeyFile(join(dir.path, "none.json"), "pw"))).code).to.equal("KEY_FILE_NOT_FOUND");
  });
});
