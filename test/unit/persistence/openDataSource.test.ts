// Specifies openDataSource on PGlite and on the PostgreSQL server: migrations from an empty schema,
// idempotent reopen, data surviving close and reopen, and clean failure leaving nothing open.
import { expect } from "chai";
import { EntitySchema, type DataSource, type MigrationInterface, type QueryRunner } from "typeorm";
import { databaseTarget, loadConfig } from "../../../src/config/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import {
  CursorRepository,
  indexerEntities,
  indexerMigrations,
  openDataSource,
  PersistenceError,
  type MigrationClass,
  type OpenDataSourceOptions,
} from "../../../src/persistence/index.ts";
import {
  createScratchSchema,
  postgresAvailable,
  TEST_POSTGRES_URL,
} from "../../../src/persistence/testing/index.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";
import { databaseBackends, describeBackend } from "./databaseBackends.ts";

const HASH = `0x${"a1".repeat(32)}`;

class FailingMigration1795385018877 implements MigrationInterface {
  name = "FailingMigration1795385018877";
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("SELECT * FROM table_that_does_not_exist");
  }
  async down(): Promise<void> {}
}

type Target = Pick<OpenDataSourceOptions, "url" | "pgliteDir" | "schema">;

function open(target: Target, migrations: readonly MigrationClass[] = indexerMigrations) {
  return openDataSource({ ...target, entities: indexerEntities, migrations, logger: silentLogger() });
}

async function tablesOf(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

for (const backend of await databaseBackends()) {
  describeBackend(backend, "openDataSource", () => {
    const opened: DataSource[] = [];
    const track = async (dataSource: Promise<DataSource>) => {
      opened.push(await dataSource);
      return opened[opened.length - 1]!;
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
    });

    after(() => backend.cleanup());

    it("creates the indexer tables in an empty schema", async () => {
      const dataSource = await track(open(await backend.freshTarget()));
      expect(await tablesOf(dataSource)).to.deep.equal(["chain_event", "indexed_block", "indexer_cursor", "migrations"]);
    });

    it("applies nothing again when reopened", async () => {
      const target = await backend.freshTarget();
      await (await open(target)).destroy();
      const dataSource = await track(open(target));
      const applied: { name: string }[] = await dataSource.query("SELECT name FROM migrations");
      expect(applied.map((row) => row.name)).to.deep.equal(["CreateIndexerTables1795385018876"]);
      expect(await dataSource.showMigrations(), "pending migrations").to.equal(false);
    });

    it("keeps data across close and reopen", async () => {
      const target = await backend.freshTarget();
      const first = await open(target);
      await new CursorRepository(first).set("deals", { block: 42, blockHash: HASH });
      await first.destroy();
      const second = await track(open(target));
      expect(await new CursorRepository(second).get("deals")).to.include({ lastBlock: 42, lastBlockHash: HASH });
    });

    it("rolls back every migration of a failed run and leaves nothing open", async () => {
      const target = await backend.freshTarget();
      const error = await rejectionOf(PersistenceError, open(target, [...indexerMigrations, FailingMigration1795385018877]));
      expect(error.code).to.equal("MIGRATION_FAILED");
      expect(error.message).to.contain("table_that_does_not_exist");
      const dataSource = await track(open(target));
      expect(await tablesOf(dataSource)).to.include("chain_event");
    });

    it("closes everything when the entity mappings are invalid", async () => {
      const target = await backend.freshTarget();
      const withoutPrimaryKey = new EntitySchema({ name: "Broken", columns: { note: { type: "text" } } });
      const error = await rejectionOf(PersistenceError, 
        openDataSource({ ...target, entities: [withoutPrimaryKey], migrations: [], logger: silentLogger() }),
      );
      expect(error.code).to.equal("DATABASE_UNAVAILABLE");
      expect(await tablesOf(await track(open(target)))).to.include("chain_event");
    });

    if (backend.name === "PGlite") {
      it("refuses to open a PGlite directory already open in this process", async () => {
        const target = await backend.freshTarget();
        await track(open(target));
        expect((await rejectionOf(PersistenceError, open(target))).code).to.equal("DATABASE_IN_USE");
      });
    }
  });
}

describe("openDataSource options", () => {
  it("refuses ambiguous or incomplete targets and unsafe schema names", async () => {
    const cases: Target[] = [
      { url: "postgres://127.0.0.1/test", pgliteDir: "/tmp/x" },
      {},
      { url: "postgres://127.0.0.1/test", schema: 'x"; DROP TABLE y; --' },
    ];
    for (const target of cases) expect((await rejectionOf(PersistenceError, open(target))).code).to.equal("INVALID_DATABASE_OPTIONS");
  });

  it("reports DATABASE_UNAVAILABLE when the server refuses connections", async () => {
    const error = await rejectionOf(PersistenceError, open({ url: "postgres://postgres:hunter2@127.0.0.1:1/test", schema: "public" }));
    expect(error.code).to.equal("DATABASE_UNAVAILABLE");
    expect(error.message).to.contain("127.0.0.1:1/test").and.not.to.contain("hunter2");
  });

  it("opens the schema the configuration names for a service on the PostgreSQL server", async function () {
    if (!(await postgresAvailable())) this.skip();
    const scratch = await createScratchSchema(TEST_POSTGRES_URL);
    try {
      const config = loadConfig({ env: { DATABASE_URL: TEST_POSTGRES_URL } });
      const dataSource = await open(databaseTarget(config, scratch.name));
      const [row] = await dataSource.query("SELECT current_schema() AS schema");
      await dataSource.destroy();
      expect(row.schema).to.equal(scratch.name);
    } finally {
      await scratch.drop();
    }
  });
});
