// Specification of password-protected key files for wallet and result keys: round trips, mode 0600,
// public information without the password, and typed failures for wrong passwords and bad files.
import { expect } from "chai";
import { verifyMessage } from "ethers";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEFAULT_SCRYPT_COST,
  createEthereumKeyFile,
  createResultKeyFile,
  decryptResult,
  encryptResult,
  loadEthereumKeyFile,
  loadResultKeyFile,
  readKeyFilePublicInfo,
  resultPublicKeyToHex,
} from "../../../src/crypto/index.ts";
import { sealKeyFile } from "../../../src/crypto/keyfile/keyFileSeal.ts";
import { saveKeyFile } from "../../../src/crypto/keyfile/keyFileStore.ts";
import { expectCryptoError, makeTempDir, removeTempDir } from "./cryptoTestHelpers.ts";

const FAST = { scryptCost: { N: 2 ** 10, r: 8, p: 1 } };
const PASSWORD = "correct horse battery staple";
// Hardhat's well-known first development account: public test data, never a real wallet.
const DEV_PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEV_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

describe("key files", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  describe("createEthereumKeyFile / loadEthereumKeyFile", () => {
    it("creates a wallet key that loads back as a signing wallet with the same address", async () => {
      const path = join(dir, "wallet.key.json");
      const { address } = await createEthereumKeyFile(path, PASSWORD, FAST);
      const wallet = await loadEthereumKeyFile(path, PASSWORD);
      expect(wallet.address).to.equal(address);
      const signature = await wallet.signMessage("order");
      expect(verifyMessage("order", signature)).to.equal(address);
    });

    it("protects an imported private key without writing it in clear", async () => {
      const path = join(dir, "imported.key.json");
      const info = await createEthereumKeyFile(path, PASSWORD, { ...FAST, privateKey: DEV_PRIVATE_KEY });
      expect(info).to.deep.equal({ kind: "ethereum", address: DEV_ADDRESS });
      expect(await readFile(path, "utf8")).to.not.include(DEV_PRIVATE_KEY.slice(2));
      expect((await loadEthereumKeyFile(path, PASSWORD)).privateKey).to.equal(DEV_PRIVATE_KEY);
    });

    it("rejects an invalid private key as BAD_PRIVATE_KEY", async () => {
      for (const privateKey of [`0x${"00".repeat(32)}`, "0x1234", DEV_PRIVATE_KEY.slice(2)]) {
        const created = createEthereumKeyFile(join(dir, "wallet"), PASSWORD, { ...FAST, privateKey });
        await expectCryptoError(created, "BAD_PRIVATE_KEY");
      }
    });

    it("uses the default scrypt cost when none is given", async () => {
      const path = join(dir, "default.key.json");
      await createEthereumKeyFile(path, PASSWORD);
      const kdf = JSON.parse(await readFile(path, "utf8")).kdf;
      expect({ N: kdf.N, r: kdf.r, p: kdf.p }).to.deep.equal(DEFAULT_SCRYPT_COST);
      expect((await loadEthereumKeyFile(path, PASSWORD)).address).to.match(/^0x[0-9a-fA-F]{40}$/);
    });
  });

  describe("createResultKeyFile / loadResultKeyFile", () => {
    it("creates a result key whose loaded pair decrypts results sent to its public key", async () => {
      const path = join(dir, "result.key.json");
      const { publicKey } = await createResultKeyFile(path, PASSWORD, FAST);
      const envelope = encryptResult(Buffer.from("result"), publicKey);
      const pair = await loadResultKeyFile(path, PASSWORD);
      expect(resultPublicKeyToHex(pair.publicKey)).to.equal(publicKey);
      expect(Buffer.from(decryptResult(envelope, pair.privateKey)).toString()).to.equal("result");
    });

    it("refuses to load a wallet key file as a result key with BAD_KEY_FILE", async () => {
      const path = join(dir, "wallet.key.json");
      await createEthereumKeyFile(path, PASSWORD, FAST);
      await expectCryptoError(loadResultKeyFile(path, PASSWORD), "BAD_KEY_FILE");
    });
  });

  it("saves key files with mode 0600", async function () {
    if (process.platform === "win32") this.skip();
    await createEthereumKeyFile(join(dir, "wallet"), PASSWORD, FAST);
    await createResultKeyFile(join(dir, "result"), PASSWORD, FAST);
    expect((await stat(join(dir, "wallet"))).mode & 0o777).to.equal(0o600);
    expect((await stat(join(dir, "result"))).mode & 0o777).to.equal(0o600);
  });

  it("shows the address or public key without the password", async () => {
    const wallet = await createEthereumKeyFile(join(dir, "wallet"), PASSWORD, { ...FAST, privateKey: DEV_PRIVATE_KEY });
    const result = await createResultKeyFile(join(dir, "result"), PASSWORD, FAST);
    expect(await readKeyFilePublicInfo(join(dir, "wallet"))).to.deep.equal(wallet);
    expect(await readKeyFilePublicInfo(join(dir, "result"))).to.deep.equal(result);
  });

  it("rejects a wrong password with WRONG_PASSWORD and never echoes it", async () => {
    await createEthereumKeyFile(join(dir, "wallet"), PASSWORD, FAST);
    await createResultKeyFile(join(dir, "result"), PASSWORD, FAST);
    const error = await expectCryptoError(loadEthereumKeyFile(join(dir, "wallet"), "hunter2"), "WRONG_PASSWORD");
    expect(JSON.stringify(error.toJSON())).to.not.include("hunter2");
    await expectCryptoError(loadResultKeyFile(join(dir, "result"), `${PASSWORD} `), "WRONG_PASSWORD");
  });

  it("treats canonically equivalent Unicode passwords as the same password", async () => {
    const path = join(dir, "wallet");
    await createEthereumKeyFile(path, "caf\u00e9", FAST);
    expect((await loadEthereumKeyFile(path, "cafe\u0301")).address).to.match(/^0x/);
  });

  it("refuses to overwrite an existing file with KEY_FILE_EXISTS", async () => {
    const path = join(dir, "wallet");
    await createEthereumKeyFile(path, PASSWORD, FAST);
    const before = await readFile(path, "utf8");
    await expectCryptoError(createEthereumKeyFile(path, PASSWORD, FAST), "KEY_FILE_EXISTS");
    expect(await readFile(path, "utf8")).to.equal(before);
  });

  it("rejects a file whose public address was swapped, since it is authenticated", async () => {
    const path = join(dir, "wallet");
    await createEthereumKeyFile(path, PASSWORD, FAST);
    const file = JSON.parse(await readFile(path, "utf8"));
    file.public.address = DEV_ADDRESS;
    await writeFile(path, JSON.stringify(file));
    await expectCryptoError(loadEthereumKeyFile(path, PASSWORD), "WRONG_PASSWORD");
  });

  it("rejects a file whose sealed key does not belong to its stated address", async () => {
    const path = join(dir, "inconsistent");
    const otherKey = Uint8Array.from(Buffer.from(DEV_PRIVATE_KEY.slice(2), "hex"));
    otherKey[31] = (otherKey[31] ?? 0) ^ 1;
    const file = await sealKeyFile(otherKey, { kind: "ethereum", address: DEV_ADDRESS }, PASSWORD, FAST.scryptCost);
    await saveKeyFile(path, file);
    await expectCryptoError(loadEthereumKeyFile(path, PASSWORD), "BAD_KEY_FILE");
  });

  it("rejects a missing file, a non-JSON file and a malformed one with typed errors", async () => {
    await expectCryptoError(readKeyFilePublicInfo(join(dir, "missing")), "KEY_FILE_NOT_FOUND");
    await writeFile(join(dir, "garbage"), "not json");
    await expectCryptoError(readKeyFilePublicInfo(join(dir, "garbage")), "BAD_KEY_FILE");
    await writeFile(join(dir, "other"), JSON.stringify({ format: "keystore", version: 3 }));
    const error = await expectCryptoError(loadEthereumKeyFile(join(dir, "other"), PASSWORD), "BAD_KEY_FILE");
    expect(error.details?.invalidFields).to.include("format");
  });

  it("refuses a file demanding an excessive scrypt cost, before deriving anything", async () => {
    const path = join(dir, "hostile");
    await createEthereumKeyFile(path, PASSWORD, FAST);
    const file = JSON.parse(await readFile(path, "utf8"));
    file.kdf.N = 2 ** 30;
    await writeFile(path, JSON.stringify(file));
    await expectCryptoError(loadEthereumKeyFile(path, PASSWORD), "BAD_KEY_FILE");
  });

  it("refuses an empty password and an unsupported scrypt cost", async () => {
    await expectCryptoError(createResultKeyFile(join(dir, "a"), "", FAST), "BAD_PASSWORD");
    const weakCost = { scryptCost: { N: 1000, r: 8, p: 1 } };
    await expectCryptoError(createResultKeyFile(join(dir, "b"), PASSWORD, weakCost), "BAD_KDF_PARAMS");
  });
});
