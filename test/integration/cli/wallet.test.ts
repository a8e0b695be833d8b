// `continuum wallet` and `continuum keys`: key files created and imported through the real CLI,
// protected by the password, read back without it, and never printing a secret.
import { expect } from "chai";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadEthereumKeyFile, loadResultKeyFile, resultPublicKeyToHex } from "../../../src/crypto/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { FAST_KDF, PASSWORD, errorLine, runCli } from "./cliTestKit.ts";

// Hardhat's first default account: a well-known test key, never a real one.
const KNOWN_PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const KNOWN_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

describe("continuum wallet and keys", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;
  const env = { CONTINUUM_PASSWORD: PASSWORD };

  beforeEach(async () => {
    dir = await createTemporaryDirectory("continuum-cli-wallet-");
  });
  afterEach(async () => {
    await dir.remove();
  });

  it("creates a password-protected wallet whose address `wallet show` reads back", async () => {
    const keyFile = join(dir.path, "alice.key.json");
    const created = await runCli([...FAST_KDF, "--json", "wallet", "create", "--out", keyFile], { env });
    expect(created.code, created.stderr).to.equal(0);
    const { address } = JSON.parse(created.stdout);
    expect(address).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);
    expect((await loadEthereumKeyFile(keyFile, PASSWORD)).address).to.equal(address);

    const shown = await runCli(["wallet", "show", "--key-file", keyFile]);
    expect(shown.code).to.equal(0);
    expect(shown.stdout).to.match(new RegExp(`^address\\s+${address}$`, "m"));
    expect(shown.stdout + shown.stderr + created.stdout + created.stderr).to.not.include(PASSWORD);
  });

  it("keeps the wallet under <data-dir>/keys/wallet.json by default", async () => {
    const created = await runCli([...FAST_KDF, "--data-dir", dir.path, "--json", "wallet", "create"], { env });
    expect(created.code, created.stderr).to.equal(0);
    expect(JSON.parse(created.stdout).keyFile).to.equal(join(dir.path, "keys", "wallet.json"));
    const shown = await runCli(["--data-dir", dir.path, "--json", "wallet", "show"]);
    expect(JSON.parse(shown.stdout).address).to.equal(JSON.parse(created.stdout).address);
  });

  it("imports a private key from a file, reading the password from --password-file", async () => {
    const keyFile = join(dir.path, "imported.key.json");
    await writeFile(join(dir.path, "pk.txt"), `${KNOWN_PRIVATE_KEY.slice(2)}\n`);
    await writeFile(join(dir.path, "password.txt"), `${PASSWORD}\n`);
    const run = await runCli([
      ...FAST_KDF,
      "--password-file",
      join(dir.path, "password.txt"),
      "wallet",
      "import",
      "--private-key-file",
      join(dir.path, "pk.txt"),
      "--out",
      keyFile,
    ]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(KNOWN_ADDRESS);
    expect(run.stdout + run.stderr).to.not.include(KNOWN_PRIVATE_KEY.slice(2));
    expect((await loadEthereumKeyFile(keyFile, PASSWORD)).privateKey).to.equal(KNOWN_PRIVATE_KEY);
  });

  it("refuses a malformed private key without echoing it", async () => {
    await writeFile(join(dir.path, "pk.txt"), "0xnot-a-key-secret-material");
    const importKey = ["wallet", "import", "--private-key-file", join(dir.path, "pk.txt"), "--out", join(dir.path, "k.json")];
    const run = await runCli([...FAST_KDF, ...importKey], { env });
    expect(run.code).to.equal(1);
    expect(errorLine(run).code).to.equal("BAD_PRIVATE_KEY");
    expect(run.stderr).to.not.include("secret-material");
  });

  it("needs a password to create a key file, and never replaces an existing one", async () => {
    const keyFile = join(dir.path, "k.json");
    const noPassword = await runCli([...FAST_KDF, "wallet", "create", "--out", keyFile]);
    expect(noPassword.code).to.equal(2);
    expect(errorLine(noPassword).code).to.equal("PASSWORD_REQUIRED");
    expect(errorLine(noPassword).message).to.include("CONTINUUM_PASSWORD");

    expect((await runCli([...FAST_KDF, "wallet", "create", "--out", keyFile], { env })).code).to.equal(0);
    const before = await readFile(keyFile, "utf8");
    const again = await runCli([...FAST_KDF, "wallet", "create", "--out", keyFile], { env });
    expect(again.code).to.equal(1);
    expect(errorLine(again).code).to.equal("KEY_FILE_EXISTS");
    expect(await readFile(keyFile, "utf8")).to.equal(before);
  });

  it("says how to create a wallet when the key file is missing", async () => {
    const run = await runCli(["--data-dir", dir.path, "wallet", "show"]);
    expect(run.code).to.equal(1);
    const { code, message } = errorLine(run);
    expect(code).to.equal("KEY_FILE_NOT_FOUND");
    expect(message).to.include(join(dir.path, "keys", "wallet.json"));
    expect(message).to.include("continuum wallet create");
  });

  it("creates a result key pair and shows its public key; the private key opens with the password", async () => {
    const keyFile = join(dir.path, "results.key.json");
    const created = await runCli([...FAST_KDF, "--json", "keys", "create-result", "--out", keyFile], { env });
    expect(created.code, created.stderr).to.equal(0);
    const { publicKey } = JSON.parse(created.stdout);
    expect(publicKey).to.match(/^0x[0-9a-f]{64}$/);
    const pair = await loadResultKeyFile(keyFile, PASSWORD);
    expect(resultPublicKeyToHex(pair.publicKey)).to.equal(publicKey);

    const shown = await runCli(["keys", "show-result", "--in", keyFile]);
    expect(shown.code).to.equal(0);
    expect(shown.stdout).to.match(new RegExp(`^public key\\s+${publicKey}$`, "m"));

    const asWallet = await runCli(["wallet", "show", "--key-file", keyFile]);
    expect(asWallet.code).to.equal(1);
    expect(errorLine(asWallet).code).to.equal("WRONG_KEY_KIND");
  });
});
