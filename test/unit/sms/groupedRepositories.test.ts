// The SMS repositories under concurrent sessions: audit entries appended at the same time are
// committed together yet each gets its own id, and secret lookups asked at the same time share
// one query yet each gets exactly the secrets its deal may release, on PGlite and PostgreSQL.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { openDataSource } from "../../../src/persistence/openDataSource.ts";
import { AuditRepository, type NewAuditEntry } from "../../../sms/persistence/AuditRepository.ts";
import { SecretRepository, type ReleasableQuery } from "../../../sms/persistence/SecretRepository.ts";
import { smsEntities } from "../../../sms/persistence/smsEntities.ts";
import { smsMigrations } from "../../../sms/persistence/smsMigrations.ts";
import { sealSecret } from "../../../sms/secrets/envelopeEncryption.ts";
import { MasterKey } from "../../../sms/secrets/MasterKey.ts";
import { secretIdentity, type SecretKind } from "../../../src/wire/smsApi/secretKinds.ts";
import { databaseBackends, describeBackend } from "../persistence/databaseBackends.ts";

const masterKey = MasterKey.fromConfig(randomBytes(32).toString("hex"));

function entry(index: number): NewAuditEntry {
  return {
    action: "session",
    outcome: index % 3 === 0 ? "refused" : "released",
    reason: index % 3 === 0 ? "TASK_FINALIZED" : null,
    detail: `entry ${index}`,
    actor: Wallet.createRandom().address.toLowerCase(),
    dealId: `0x${index.toString(16).padStart(64, "0")}`,
    taskIndex: BigInt(index),
    taskId: null,
    enclave: null,
    measurement: null,
    app: 1n,
    dataset: BigInt(index),
    requester: null,
    secrets: [],
  };
}

for (const backend of await databaseBackends()) {
  describeBackend(backend, "SMS repositories under concurrent sessions", () => {
    let dataSource: DataSource;

    beforeEach(async () => {
      dataSource = await openDataSource({ ...(await backend.freshTarget()), entities: smsEntities, migrations: smsMigrations, logger: silentLogger() });
    });
    afterEach(() => dataSource.destroy());
    after(() => backend.cleanup());

    it("gives each of many simultaneous audit appends the id of its own committed entry", async () => {
      const audit = new AuditRepository(dataSource);
      const entries = Array.from({ length: 40 }, (_, index) => entry(index));
      const ids = await Promise.all(entries.map((e) => audit.append(e)));
      expect(new Set(ids).size).to.equal(entries.length);
      for (const [index, id] of ids.entries()) {
        const rows = await audit.list({ dataset: BigInt(index) }, { afterId: 0, limit: 10 });
        expect(rows.map((row) => row.id)).to.deep.equal([id]);
        expect(rows[0].detail).to.equal(`entry ${index}`);
      }
    });

    it("reads a full page of 500 entries and the one more that tells a next page exists", async () => {
      const audit = new AuditRepository(dataSource);
      await Promise.all(Array.from({ length: 502 }, (_, index) => audit.append({ ...entry(index), dataset: 9n })));
      expect(await audit.list({ dataset: 9n }, { afterId: 0, limit: 501 })).to.have.length(501);
      expect(await audit.list({ dataset: 9n }, { afterId: 0, limit: 10_000 })).to.have.length(501);
    });

    it("answers simultaneous lookups for different deals with exactly each deal's secrets", async () => {
      const secrets = new SecretRepository(dataSource);
      const alice = Wallet.createRandom().address;
      const bob = Wallet.createRandom().address;
      const store = async (kind: SecretKind, asset: bigint, owner: string, name: string) => {
        const identity = secretIdentity(kind, asset, owner, name);
        const result = await secrets.create({ identity, version: 1, sealed: sealSecret(masterKey, identity, 1, randomBytes(16)), updatedBy: owner.toLowerCase() });
        expect(result.written).to.equal(true);
      };
      await store("dataset", 1n, alice, "");
      await store("dataset", 2n, bob, "");
      await store("app", 7n, alice, "API_TOKEN");
      await store("app", 8n, bob, "OTHER");
      await store("requester", 0n, alice, "EMAIL");
      await store("requester", 0n, alice, "PHONE");
      await store("requester", 0n, bob, "EMAIL");

      const queries: ReleasableQuery[] = [
        { dataset: 1n, app: 7n, requester: alice, requesterNames: ["EMAIL"] },
        { dataset: 2n, app: 8n, requester: bob, requesterNames: ["EMAIL"] },
        { dataset: 0n, app: 7n, requester: bob, requesterNames: [] },
        { dataset: 1n, app: 9n, requester: alice, requesterNames: ["PHONE", "EMAIL"] },
        { dataset: 3n, app: 8n, requester: alice.toUpperCase().replace("0X", "0x"), requesterNames: ["FAX"] },
      ];
      const describe = (found: Awaited<ReturnType<SecretRepository["findReleasable"]>>) =>
        found.map((secret) => `${secret.identity.kind}:${secret.identity.asset}:${secret.identity.requester.slice(0, 6)}:${secret.identity.name}`);
      const together = await Promise.all(queries.map((query) => secrets.findReleasable(query)));
      const alone: string[][] = [];
      for (const query of queries) alone.push(describe(await secrets.findReleasable(query)));
      expect(together.map(describe)).to.deep.equal(alone);
      const a = alice.toLowerCase().slice(0, 6);
      const b = bob.toLowerCase().slice(0, 6);
      expect(alone).to.deep.equal([
        ["dataset:1:0x0000:", "app:7:0x0000:API_TOKEN", `requester:0:${a}:EMAIL`],
        ["dataset:2:0x0000:", "app:8:0x0000:OTHER", `requester:0:${b}:EMAIL`],
        ["app:7:0x0000:API_TOKEN"],
        ["dataset:1:0x0000:", `requester:0:${a}:EMAIL`, `requester:0:${a}:PHONE`],
        ["app:8:0x0000:OTHER"],
      ]);
    });
  });
}
