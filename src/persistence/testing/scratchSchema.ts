// A uniquely named schema on the PostgreSQL server for one test, dropped with everything in it
// afterwards, so parallel and repeated runs never see each other's tables.
import { randomBytes } from "node:crypto";
import { withServerConnection } from "../withServerConnection.ts";

export type ScratchSchema = { name: string; drop(): Promise<void> };

const TIMEOUT_MS = 5_000;

/** Creates `test_<pid>_<random>`; pass `name` as `schema` to openDataSource, then call drop(). */
export async function createScratchSchema(url: string): Promise<ScratchSchema> {
  const name = `test_${process.pid}_${randomBytes(6).toString("hex")}`;
  await withServerConnection(url, TIMEOUT_MS, (client) => client.query(`CREATE SCHEMA "${name}"`));
  return {
    name,
    drop: async () => {
      await withServerConnection(url, TIMEOUT_MS, (client) => client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`));
    },
  };
}
