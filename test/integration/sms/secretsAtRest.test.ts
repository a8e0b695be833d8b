// The SMS's keys and storage: the master key from configuration, envelope encryption binding each
// sealed row to its secret and version, and startSms refusing to run with a missing or foreign
// master key, a deployment it cannot read, another chain, or a busy port.
import { createServer } from "node:net";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "chai";
import { hexlify, randomBytes } from "ethers";
import { loadConfig } from "../../../src/config/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { MasterKey, SmsError, startSms } from "../../../sms/index.ts";
import { openSecret, sealSecret } from "../../../sms/secrets/envelopeEncryption.ts";
import { secretIdentity } from "../../../src/wire/smsApi/secretKinds.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";
import { loadProtocol, type Fixture } from "../../helpers/protocolFixture.ts";
import { startTestAttestation, type TestAttestation } from "../../helpers/devnetAttestation.ts";

const hexKey = () => hexlify(randomBytes(32)).slice(2);

describe("SMS master key and envelope encryption", () => {
  const dataset = secretIdentity("dataset", 1n, "0x0000000000000000000000000000000000000001", "");
  const value = randomBytes(32);

  it("refuses to run without a master key with MASTER_KEY_MISSING, and with a malformed one with MASTER_KEY_INVALID", async () => {
    expect((await rejectionOf(SmsError, () => MasterKey.fromConfig(undefined))).code).to.equal("MASTER_KEY_MISSING");
    expect((await rejectionOf(SmsError, () => MasterKey.fromConfig(""))).code).to.equal("MASTER_KEY_MISSING");
    expect((await rejectionOf(SmsError, () => MasterKey.fromConfig("abcd"))).code).to.equal("MASTER_KEY_INVALID");
  });

  it("names a key by an id that reveals nothing of it, and never serializes the key", () => {
    const material = hexKey();
    const key = MasterKey.fromConfig(material);
    expect(MasterKey.fromConfig(`0x${material}`).id).to.equal(key.id);
    expect(material).not.to.include(key.id);
    expect(JSON.stringify({ key })).to.equal(`{"key":"MasterKey(${key.id})"}`);
  });

  it("opens a sealed secret under the same key, identity and version only, else SECRET_UNREADABLE", async () => {
    const key = MasterKey.fromConfig(hexKey());
    const sealed = sealSecret(key, dataset, 1, value);
    expect(hexlify(openSecret(key, dataset, 1, sealed))).to.equal(hexlify(value));
    expect(Buffer.from(sealed.ciphertext).toString("hex")).not.to.include(Buffer.from(value).toString("hex"));

    const otherDataset = secretIdentity("dataset", 2n, "0x0000000000000000000000000000000000000001", "");
    const tampered = { ...sealed, ciphertext: Uint8Array.from(sealed.ciphertext, (b, i) => (i === 20 ? b ^ 1 : b)) };
    const foreignKey = MasterKey.fromConfig(hexKey());
    for (const attempt of [
      () => openSecret(key, otherDataset, 1, sealed),
      () => openSecret(key, dataset, 2, sealed),
      () => openSecret(key, dataset, 1, tampered),
      () => openSecret(foreignKey, dataset, 1, { ...sealed, masterKeyId: foreignKey.id }),
      () => openSecret(foreignKey, dataset, 1, sealed),
    ]) {
      const error = await rejectionOf(SmsError, attempt);
      expect(error.code).to.equal("SECRET_UNREADABLE");
      expect(JSON.stringify({ message: error.message, details: error.details })).not.to.include(Buffer.from(value).toString("hex"));
    }
  });
});

describe("startSms refusals", function () {
  let f: Fixture;
  let directory: TemporaryDirectory;
  let attestation: TestAttestation;

  before(async () => {
    f = await loadProtocol();
    directory = await createTemporaryDirectory("continuum-sms-start-");
    attestation = await startTestAttestation();
  });

  after(async () => {
    await attestation?.close();
    await directory?.remove();
  });

  const configWith = (masterKey: string | undefined, sms: { port?: number; deploymentFile?: string; dataDir?: string } = {}) =>
    loadConfig({
      env: {},
      overrides: {
        dataDir: sms.dataDir ?? directory.path,
        sms: {
          host: "127.0.0.1",
          port: sms.port ?? 0,
          attestation: attestation.smsConfig,
          ...(masterKey === undefined ? {} : { masterKey }),
        },
        ...(sms.deploymentFile === undefined ? {} : { chain: { deploymentFile: sms.deploymentFile } }),
      },
    });
  /** Starts against the fixture's deployment, or (with `fromFile`) the config's deployment file. */
  const start = (config: ReturnType<typeof configWith>, deployment: Fixture["deployment"] | "fromFile" = f.deployment) =>
    startSms({
      config,
      provider: f.ethers.provider,
      ...(deployment === "fromFile" ? {} : { deployment }),
      logger: silentLogger(),
    });

  it("refuses to start without a master key with MASTER_KEY_MISSING", async () => {
    expect((await rejectionOf(SmsError, start(configWith(undefined)))).code).to.equal("MASTER_KEY_MISSING");
  });

  it("refuses to start with another master key than the stored secrets were sealed under with MASTER_KEY_MISMATCH", async () => {
    const first = hexKey();
    const dataDir = join(directory.path, "sealed-under-first");
    const sms = await start(configWith(first, { dataDir }));
    try {
      await sms.dataSource.query(
        "INSERT INTO sms_secret (kind, asset, requester, name, version, master_key_id, wrapped_key, ciphertext, updated_by) " +
          "VALUES (0, 1, $1, '', 1, $2, '\\x00', '\\x00', $1)",
        ["0x0000000000000000000000000000000000000000", MasterKey.fromConfig(first).id],
      );
    } finally {
      await sms.close();
    }
    const error = await rejectionOf(SmsError, start(configWith(hexKey(), { dataDir })));
    expect(error.code).to.equal("MASTER_KEY_MISMATCH");
    expect(error.message).not.to.include(first);
    const again = await start(configWith(first, { dataDir }));
    await again.close();
  });

  it("refuses a deployment of another chain with CHAIN_MISMATCH", async () => {
    const error = await rejectionOf(SmsError, start(configWith(hexKey()), { ...f.deployment, chainId: "999" }));
    expect(error.code).to.equal("CHAIN_MISMATCH");
  });

  it("refuses a deployment whose code on the chain is not the code deployed with DEPLOYMENT_CODE_MISMATCH", async () => {
    const swapped = { ...f.deployment, continuum: f.deployment.appRegistry };
    const error = await rejectionOf(SmsError, start(configWith(hexKey()), swapped));
    expect(error.code).to.equal("DEPLOYMENT_CODE_MISMATCH");
    expect(error.details).to.include({ contract: "continuum", address: f.deployment.appRegistry });
  });

  it("refuses a missing or invalid deployment file with DEPLOYMENT_INVALID", async () => {
    const missing = join(directory.path, "missing.json");
    expect((await rejectionOf(SmsError, start(configWith(hexKey(), { deploymentFile: missing }), "fromFile"))).code).to.equal("DEPLOYMENT_INVALID");
    const invalid = join(directory.path, "invalid.json");
    await writeFile(invalid, JSON.stringify({ chainId: "31337", continuum: "not an address" }));
    expect((await rejectionOf(SmsError, start(configWith(hexKey(), { deploymentFile: invalid }), "fromFile"))).code).to.equal("DEPLOYMENT_INVALID");
  });

  it("refuses a port in use with SMS_LISTEN_FAILED", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expect((await rejectionOf(SmsError, start(configWith(hexKey(), { port })))).code).to.equal("SMS_LISTEN_FAILED");
    } finally {
      blocker.close();
    }
  });
});
