// Runs a few statements on one short-lived connection to a PostgreSQL server (outside TypeORM),
// for work that must happen before a DataSource exists, such as creating its schema.
import pg from "pg";

export async function withServerConnection<T>(
  url: string,
  timeoutMs: number,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A refused connection also emits 'error' on the client; the rejected connect() reports it.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
