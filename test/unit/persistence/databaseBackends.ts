// The database backends persistence tests run against: PGlite in a temp directory always, and the
// PostgreSQL server at 127.0.0.1:5432 when it answers. Each test gets its own empty schema.
import { rmSync } from "node:fs";
import {
  createScratchSchema,
  createTemporaryDirectory,
  postgresAvailable,
  TEST_POSTGRES_URL,
  type ScratchSchema,
  type TemporaryDirectory,
} from "../../../src/persistence/testing/index.ts";

export type DatabaseTarget = { url: string; schema: string } | { pgliteDir: string; schema: string };

export type DatabaseBackend = {
  name: string;
  /** Why the backend's suite is skipped, or undefined when it runs. */
  skipReason: string | undefined;
  /** An empty schema for one test; repeated calls never share tables. */
  freshTarget(): Promise<DatabaseTarget>;
  /** Drops the schemas this backend created (the shared PGlite directory goes at process exit). */
  cleanup(): Promise<void>;
};

/**
 * One PGlite directory for every suite of the test process: creating a PGlite cluster costs
 * seconds, a schema in it does not. It is removed when the process exits.
 */
let pgliteDirectory: Promise<TemporaryDirectory> | undefined;
let pgliteSchemas = 0;

function sharedPgliteDirectory(): Promise<TemporaryDirectory> {
  pgliteDirectory ??= createTemporaryDirectory("continuum-pglite-").then((directory) => {
    process.once("exit", () => rmSync(directory.path, { recursive: true, force: true }));
    return directory;
  });
  return pgliteDirectory;
}

function pgliteBackend(): DatabaseBackend {
  return {
    name: "PGlite",
    skipReason: undefined,
    async freshTarget() {
      pgliteSchemas += 1;
      return { pgliteDir: (await sharedPgliteDirectory()).path, schema: `test_${pgliteSchemas}` };
    },
    async cleanup() {},
  };
}

function postgresBackend(reachable: boolean): DatabaseBackend {
  const created: ScratchSchema[] = [];
  return {
    name: "PostgreSQL",
    skipReason: reachable ? undefined : `no PostgreSQL server answers at ${TEST_POSTGRES_URL}`,
    async freshTarget() {
      const schema = await createScratchSchema(TEST_POSTGRES_URL);
      created.push(schema);
      return { url: TEST_POSTGRES_URL, schema: schema.name };
    },
    async cleanup() {
      await Promise.all(created.splice(0).map((schema) => schema.drop()));
    },
  };
}

export async function databaseBackends(): Promise<DatabaseBackend[]> {
  return [pgliteBackend(), postgresBackend(await postgresAvailable())];
}

/** `describe` for a backend's suite, or `describe.skip` with the reason in its title. */
export function describeBackend(backend: DatabaseBackend, title: string, suite: () => void): void {
  if (backend.skipReason) describe.skip(`${title} on ${backend.name} (skipped: ${backend.skipReason})`, suite);
  else describe(`${title} on ${backend.name}`, suite);
}
