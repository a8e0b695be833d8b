// The leader lease on a real PostgreSQL server: of two replicas asking, exactly one holds it; a
// release, or the holding process killed, lets the other take it within the retry interval, and
// a holder whose session the server ended is told it lost the lease.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { hexlify, randomBytes } from "ethers";
import pg from "pg";
import { AdvisoryLease, LEASE_LOCK_CLASS, SoleLease } from "../../../src/persistence/leaderLease.ts";
import { until } from "../../helpers/until.ts";

const POSTGRES = "postgres://postgres@127.0.0.1:5432";

/** Records a lease's events in order. */
function journal(lease: AdvisoryLease | SoleLease): string[] {
  const events: string[] = [];
  lease.on("acquired", () => events.push("acquired"));
  lease.on("lost", (reason) => events.push(`lost: ${reason}`));
  return events;
}

describe("leader lease (PostgreSQL advisory lock)", function () {
  this.timeout(60_000);
  const database = `market_replicas_lease_${hexlify(randomBytes(4)).slice(2)}`;
  const url = `${POSTGRES}/${database}`;
  const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  const leases: AdvisoryLease[] = [];
  const lease = (name = "market.market-leader") => {
    const created = new AdvisoryLease({ url, name, intervalMs: 100 });
    leases.push(created);
    return created;
  };

  before(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
  });
  afterEach(async () => {
    for (const held of leases.splice(0)) await held.stop();
  });
  after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  /** Backend pids holding the lease lock in the test database. */
  async function holders(): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.granted AND d.datname = $2",
      [LEASE_LOCK_CLASS, database],
    );
    return rows.map((row) => row.pid);
  }

  it("grants the lease to exactly one of two replicas, then to the other once released", async () => {
    const [a, b] = [lease(), lease()];
    const [eventsA, eventsB] = [journal(a), journal(b)];
    a.start();
    b.start();
    await until("one replica holds the lease", async () => a.held || b.held, 10_000);
    // Several retry intervals later, still exactly one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([a.held, b.held].filter(Boolean)).to.have.length(1);
    expect(await holders()).to.have.length(1);
    const [holder, other] = a.held ? [a, b] : [b, a];
    const [holderEvents, otherEvents] = a.held ? [eventsA, eventsB] : [eventsB, eventsA];

    await holder.stop();
    expect(holderEvents).to.deep.equal(["acquired", "lost: released"]);
    await until("the other replica takes the lease", async () => other.held, 5_000);
    expect(otherEvents).to.deep.equal(["acquired"]);
    expect(await holders()).to.have.length(1);
  });

  it("passes the lease on within the retry interval when the holding process is killed", async () => {
    // Another process takes the same lock, then dies by SIGKILL: nothing of it says goodbye.
    const holder = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import pg from "pg";
         const client = new pg.Client(${JSON.stringify(url)});
         await client.connect();
         await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [${LEASE_LOCK_CLASS}, "market.market-leader"]);
         console.log("held");
         setInterval(() => undefined, 60_000);`,
      ],
      { cwd: join(import.meta.dirname, "../../.."), stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve());
        holder.once("exit", () => reject(new Error("the holding process ended before it held the lock")));
      });
      const waiting = lease();
      const events = journal(waiting);
      waiting.start();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(waiting.held, "the replica waits while the other process holds the lease").to.equal(false);

      const killedAt = performance.now();
      holder.kill("SIGKILL");
      await until("the waiting replica takes the lease", async () => waiting.held, 5_000);
      const takeoverMs = performance.now() - killedAt;
      expect(events).to.deep.equal(["acquired"]);
      expect(takeoverMs, "about one 100 ms retry interval").to.be.below(2_000);
      expect(await holders()).to.have.length(1);
    } finally {
      holder.kill("SIGKILL");
      await exited;
    }
  });

  it("tells the holder it lost the lease when its session dies, and leaves exactly one holder", async () => {
    const [a, b] = [lease(), lease()];
    const eventsA = journal(a);
    a.start();
    await until("the first replica holds the lease", async () => a.held, 10_000);
    b.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b.held, "the second waits while the first holds").to.equal(false);

    // The server ends the holder's session, as when its network is cut.
    const [pid] = await holders();
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await until("the first learns it lost the lease", async () => eventsA.length >= 2, 5_000);
    expect(eventsA[0]).to.equal("acquired");
    expect(eventsA[1]).to.match(/^lost: the lease's database connection/);
    // Both ask again; one gets it.
    await until("a replica holds the lease again", async () => a.held || b.held, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([a.held, b.held].filter(Boolean)).to.have.length(1);
    expect(await holders()).to.have.length(1);
  });

  it("keeps leases of different names apart", async () => {
    const [a, b] = [lease("market.market-leader"), lease("other.market-leader")];
    a.start();
    b.start();
    await until("both hold their own lease", async () => a.held && b.held, 10_000);
  });

  it("leads alone on an embedded database", async () => {
    const sole = new SoleLease();
    const events = journal(sole);
    sole.start();
    expect(sole.held).to.equal(true);
    await sole.stop();
    expect(events).to.deep.equal(["acquired", "lost: released"]);
  });
});
