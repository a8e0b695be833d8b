// Tells tests whether the local PostgreSQL server answers, quickly, so suites against it can be
// skipped with a clear reason on machines without one.
import { withServerConnection } from "../withServerConnection.ts";

/** The server the test suites use when it is reachable (trust auth, database `test`). */
export const TEST_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

export async function postgresAvailable(url: string = TEST_POSTGRES_URL, timeoutMs = 1_000): Promise<boolean> {
  try {
    await withServerConnection(url, timeoutMs, (client) => client.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}
