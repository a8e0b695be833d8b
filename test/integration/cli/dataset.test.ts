// The data owner's path through `continuum dataset`: encrypt a file (key sealed in a password-
// protected key file), publish the ciphertext to the embedded IPFS node, register it on a real
// Hardhat chain, and show it; each step checked against the real artifacts it produced.
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadDatasetKeyFile } from "../../../src/cli/datasetKeyFile.ts";
import { decryptDatasetFile } from "../../../src/crypto/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { FAST_KDF, PASSWORD, errorLine, runCli, useCliDevnetWithWallet } from "./cliTestKit.ts";

describe("continuum dataset", function () {
  this.timeout(120_000);
  const cli = useCliDevnetWithWallet("1");
  const env = { CONTINUUM_PASSWORD: PASSWORD };

  it("encrypts, publishes, registers and shows a dataset", async () => {
    const dir = cli.devnet.dataDir.path;
    const plaintext = randomBytes(1_500_000);
    await writeFile(join(dir, "vitals.csv"), plaintext);
    const encryptedPath = join(dir, "vitals.enc");

    const encrypt = ["dataset", "encrypt", "--in", join(dir, "vitals.csv"), "--out", encryptedPath];
    const encrypted = await runCli([...FAST_KDF, ...cli.global, ...encrypt], { env });
    expect(encrypted.code, encrypted.stderr).to.equal(0);
    expect(encrypted.stderr).to.match(/^encrypting: 100% /m);
    const checksum = /^checksum\s+(0x[0-9a-f]{64})$/m.exec(encrypted.stdout)![1]!;
    const ciphertext = await readFile(encryptedPath);
    expect(`0x${createHash("sha256").update(ciphertext).digest("hex")}`).to.equal(checksum);
    expect(ciphertext.includes(plaintext.subarray(0, 64))).to.equal(false);

    const keyFile = `${encryptedPath}.key.json`;
    expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);
    const { key, checksum: keyChecksum } = await loadDatasetKeyFile(keyFile, PASSWORD);
    expect(keyChecksum).to.equal(checksum);
    await decryptDatasetFile(encryptedPath, join(dir, "vitals.decrypted"), key);
    expect((await readFile(join(dir, "vitals.decrypted"))).equals(plaintext)).to.equal(true);

    const published = await runCli([...cli.global, "--json", "dataset", "publish", encryptedPath]);
    expect(published.code, published.stderr).to.equal(0);
    expect(published.stderr).to.equal("");
    const { cid, checksum: publishedChecksum, backend } = JSON.parse(published.stdout);
    expect(publishedChecksum).to.equal(checksum);
    expect(backend).to.equal("helia");
    const store = await HeliaContentStore.open({ directory: join(dir, "ipfs") });
    try {
      expect(Buffer.from(await store.get(cid, { offline: true })).equals(ciphertext)).to.equal(true);
    } finally {
      await store.stop();
    }

    const register = ["dataset", "register", "--name", "ward vitals", "--cid", cid, "--checksum", checksum];
    const registered = await runCli([...cli.global, "--json", ...register], { env });
    expect(registered.code, registered.stderr).to.equal(0);
    const { id } = JSON.parse(registered.stdout);

    const shown = await runCli([...cli.global, "--json", "dataset", "show", id]);
    expect(shown.code, shown.stderr).to.equal(0);
    expect(JSON.parse(shown.stdout)).to.deep.equal({ id, owner: cli.address, name: "ward vitals", cid, checksum });
  });

  it("shows publishing progress on stderr in human output", async () => {
    const dir = cli.devnet.dataDir.path;
    await writeFile(join(dir, "small.csv"), "ward,bpm\nA,72\n");
    const encrypt = ["dataset", "encrypt", "--in", join(dir, "small.csv"), "--out", join(dir, "small.enc")];
    const encrypted = await runCli([...FAST_KDF, ...cli.global, "--json", ...encrypt], { env });
    expect(encrypted.stderr).to.equal("");
    const published = await runCli([...cli.global, "dataset", "publish", join(dir, "small.enc")]);
    expect(published.code, published.stderr).to.equal(0);
    expect(published.stderr).to.match(/^publishing: 100% /m);
    expect(published.stdout).to.match(/^cid\s+b[a-z2-7]+$/m);
  });

  it("refuses to publish a file that is not an encrypted dataset", async () => {
    const plain = join(cli.devnet.dataDir.path, "plain.csv");
    await writeFile(plain, "patient,heart rate\n");
    const run = await runCli([...cli.global, "dataset", "publish", plain]);
    expect(run.code).to.equal(1);
    expect(errorLine(run).code).to.equal("NOT_ENCRYPTED");
  });

  it("never replaces an existing dataset key file", async () => {
    const dir = cli.devnet.dataDir.path;
    await writeFile(join(dir, "again.csv"), "x\n");
    const encrypt = ["dataset", "encrypt", "--in", join(dir, "again.csv"), "--out", join(dir, "again.enc")];
    const args = [...FAST_KDF, ...cli.global, ...encrypt];
    expect((await runCli(args, { env })).code).to.equal(0);
    const keyBefore = await readFile(join(dir, "again.enc.key.json"), "utf8");
    const second = await runCli(args, { env });
    expect(second.code).to.equal(1);
    expect(errorLine(second).code).to.equal("KEY_FILE_EXISTS");
    expect(await readFile(join(dir, "again.enc.key.json"), "utf8")).to.equal(keyBefore);
  });

  it("refuses an unknown dataset id and a malformed checksum", async () => {
    const unknown = await runCli([...cli.global, "dataset", "show", "42"]);
    expect(unknown.code).to.equal(1);
    expect(errorLine(unknown).code).to.equal("DATASET_NOT_FOUND");

    const cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    const register = ["dataset", "register", "--name", "x", "--cid", cid, "--checksum", "0x1234"];
    const badChecksum = await runCli([...cli.global, ...register], { env });
    expect(badChecksum.code).to.equal(2);
    expect(errorLine(badChecksum).message).to.include("64 hex digits");
  });
});
