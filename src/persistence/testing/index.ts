// Helpers for tests against real databases: probe the PostgreSQL server, isolate each test in its
// own schema, and give PGlite a throw-away directory. Not for production code.
export { postgresAvailable, TEST_POSTGRES_URL } from "./postgresAvailable.ts";
export { createScratchSchema, type ScratchSchema } from "./scratchSchema.ts";
export { createTemporaryDirectory, type TemporaryDirectory } from "./temporaryDirectory.ts";
