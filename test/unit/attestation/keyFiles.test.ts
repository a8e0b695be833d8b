import { expect } from "chai";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AttestationAuthority,
  AttestationError,
  loadAuthority,
  loadPlatformKey,
  saveAuthority,
  savePlatformKey,
} from "../../../src/attestation/index.ts";
import { toHex } from "../../../src/crypto/hex.ts";
import { NOW, ONE_YEAR_SECONDS } from "./attestationFixture.ts";

async function expectRejectedWith(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
    expect.fail("expected a rejection");
  } catch (error) {
    expect(error).to.be.instanceOf(AttestationError).with.property("code", code);
  }
}

describe("attestation key files", () => {
  const authority = AttestationAuthority.create({ now: NOW, lifetimeSeconds: ONE_YEAR_SECONDS });
  const platformKey = authority.issuePlatformKey({ now: NOW, lifetimeSeconds: ONE_YEAR_SECONDS });
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "continuum-attestation-"));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("saves the authority readable by its owner only and loads the same authority back", async () => {
    const path = join(directory, "keys", "authority.json");
    await saveAuthority(path, authority);
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
    const loaded = await loadAuthority(path);
    expect(loaded.trustedRootHex).to.equal(authority.trustedRootHex);
    expect(loaded.exportRootSecretKey()).to.deep.equal(authority.exportRootSecretKey());
  });

  it("saves a platform key with its chain and loads it back", async () => {
    const path = join(directory, "platform.json");
    await savePlatformKey(path, platformKey);
    expect(await loadPlatformKey(path)).to.deep.equal(platformKey);
  });

  it("refuses to overwrite an existing key file with KEY_FILE_EXISTS", async () => {
    const path = join(directory, "authority.json");
    await saveAuthority(path, authority);
    const before = await readFile(path, "utf8");
    const replacement = AttestationAuthority.create({ now: NOW, lifetimeSeconds: 60 });
    await expectRejectedWith(saveAuthority(path, replacement), "KEY_FILE_EXISTS");
    expect(await readFile(path, "utf8")).to.equal(before);
  });

  it("refuses a file of the wrong kind with INVALID_KEY_FILE", async () => {
    const path = join(directory, "platform.json");
    await savePlatformKey(path, platformKey);
    await expectRejectedWith(loadAuthority(path), "INVALID_KEY_FILE");
  });

  it("refuses a platform key file whose key does not match its certificate with INVALID_KEY_FILE", async () => {
    const path = join(directory, "platform.json");
    await savePlatformKey(path, platformKey);
    const file = JSON.parse(await readFile(path, "utf8"));
    const otherKey = authority.issuePlatformKey({ now: NOW, lifetimeSeconds: 60 });
    await writeFile(path, JSON.stringify({ ...file, secretKey: toHex(otherKey.secretKey) }));
    await expectRejectedWith(loadPlatformKey(path), "INVALID_KEY_FILE");
  });

  it("refuses a file that is not JSON with INVALID_KEY_FILE", async () => {
    const path = join(directory, "authority.json");
    await writeFile(path, "not json");
    await expectRejectedWith(loadAuthority(path), "INVALID_KEY_FILE");
  });
});
