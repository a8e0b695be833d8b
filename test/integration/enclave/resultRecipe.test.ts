// The README's recipe for opening a result, followed step by step with standard primitives only
// (@noble/curves X25519, @noble/hashes HKDF-SHA256, Node's AES-256-GCM), never the project's own
// decryption: on a result the enclave runtime sealed and stored in a real IPFS store, as a client
// written from the README alone would open it.
import { expect } from "chai";
import { createDecipheriv, createHash } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Wallet } from "ethers";
import { sealResult } from "../../../enclave/sealResult.ts";
import { continuumDomain } from "../../../src/wire/eip712/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";

const README = join(import.meta.dirname, "../../../README.md");
/** Step 3's `info`, as the README writes it. */
const INFO = "continuum/result-encryption/v1/x25519-hkdf-sha256-aes-256-gcm";

const OUTPUT: readonly { path: string; content: string; executable: boolean }[] = [
  { path: "ward-stats.json", content: '{"wards":[{"ward":"icu","readings":504,"anomalous":12}]}\n', executable: false },
  { path: "logs/run.txt", content: "read 2520 rows\nwrote 1 file\n", executable: false },
  { path: "bin/report.sh", content: "#!/bin/sh\necho report\n", executable: true },
];

type Opened = { header: Uint8Array; plaintext: Buffer };

/** Steps 1 to 4 of the recipe. */
function openEnvelope(envelope: Uint8Array, privateKey: Uint8Array, publicKey: Uint8Array): Opened {
  // 1. Magic, version; the 49-byte header.
  expect(Buffer.from(envelope.subarray(0, 4)).toString("ascii")).to.equal("CTMR");
  expect(envelope[4]).to.equal(0x01);
  const header = envelope.subarray(0, 49);
  const ephemeral = envelope.subarray(5, 37);
  const nonce = envelope.subarray(37, 49);
  const ciphertext = envelope.subarray(49, envelope.length - 16);
  const tag = envelope.subarray(envelope.length - 16);
  // 2. Key agreement.
  const shared = x25519.getSharedSecret(privateKey, ephemeral);
  // 3. Key derivation: salt E ‖ R, the ASCII info, 32 bytes.
  const key = hkdf(sha256, shared, Buffer.concat([ephemeral, publicKey]), new TextEncoder().encode(INFO), 32);
  // 4. AES-256-GCM with the header as additional data and a 128-bit tag.
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: 16 });
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  return { header, plaintext: Buffer.concat([decipher.update(ciphertext), decipher.final()]) };
}

/** The archive, version 1, read as the README lays it out. */
function readArchive(bytes: Buffer): { path: string; content: string; executable: boolean }[] {
  expect(bytes.subarray(0, 4).toString("ascii")).to.equal("CTMA");
  expect(bytes[4]).to.equal(0x01);
  const count = bytes.readUInt32BE(5);
  let at = 9;
  const entries = [];
  for (let i = 0; i < count; i++) {
    const pathLength = bytes.readUInt16BE(at);
    const path = bytes.subarray(at + 2, at + 2 + pathLength).toString("utf8");
    at += 2 + pathLength;
    const flags = bytes[at]!;
    expect(flags).to.be.oneOf([0x00, 0x01]);
    const length = Number(bytes.readBigUInt64BE(at + 1));
    at += 9;
    entries.push({ path, content: bytes.subarray(at, at + length).toString("utf8"), executable: flags === 0x01 });
    at += length;
  }
  expect(at, "nothing follows the last entry").to.equal(bytes.length);
  return entries;
}

describe("the README's recipe for opening a result", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;
  let store: HeliaContentStore;

  before(async () => {
    dir = await createTemporaryDirectory("continuum-result-recipe-");
    store = await HeliaContentStore.open({ directory: join(dir.path, "ipfs") });
  });

  after(async () => {
    await store?.stop();
    await dir?.remove();
  });

  it("documents the primitives and constants this test uses", async () => {
    const readme = await readFile(README, "utf8");
    for (const fact of [INFO, "magic `CTMR` (`43 54 4d 52`)", "salt = E ‖ R", "additional data `H`", "magic `CTMA` (`43 54 4d 41`)"]) {
      expect(readme).to.contain(fact);
    }
  });

  it("opens a result the enclave runtime sealed, with X25519, HKDF-SHA256 and AES-256-GCM alone", async () => {
    // The requester's key pair, made outside the project.
    const privateKey = x25519.utils.randomSecretKey();
    const publicKey = x25519.getPublicKey(privateKey);

    const output = join(dir.path, "output");
    for (const file of OUTPUT) {
      await mkdir(join(output, file.path, ".."), { recursive: true });
      await writeFile(join(output, file.path), file.content);
      await chmod(join(output, file.path), file.executable ? 0o755 : 0o644);
    }
    const enclave = Wallet.createRandom();
    const sealed = await sealResult(
      {
        outputDirectory: output,
        limits: { maxOutputBytes: 1_048_576, maxOutputFiles: 10 },
        resultPublicKey: `0x${Buffer.from(publicKey).toString("hex")}`,
        store,
        enclave,
        domain: continuumDomain(31337n, Wallet.createRandom().address),
        worker: Wallet.createRandom().address,
        taskId: `0x${"ab".repeat(32)}`,
      },
      { timeoutMs: 30_000 },
    );

    const envelope = await store.get(sealed.resultCid);
    expect(`0x${createHash("sha256").update(envelope).digest("hex")}`, "the digest accepted on-chain").to.equal(sealed.resultDigest);
    const { header, plaintext } = openEnvelope(envelope, privateKey, publicKey);
    expect(envelope.length).to.equal(49 + plaintext.length + 16);
    const sortedByPath = [...OUTPUT].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    expect(readArchive(plaintext)).to.deep.equal(sortedByPath);

    // The header is authenticated: one changed byte of it, and the tag check fails.
    const tampered = Buffer.from(envelope);
    tampered[header.length - 1]! ^= 0x01;
    expect(() => openEnvelope(tampered, privateKey, publicKey)).to.throw(/unable to authenticate data/);
    // Another requester's key opens nothing.
    const stranger = x25519.utils.randomSecretKey();
    expect(() => openEnvelope(envelope, stranger, x25519.getPublicKey(stranger))).to.throw(/unable to authenticate data/);
  });
});
