import { expect } from "chai";
import { EventEmitter } from "node:events";
import type { LeaderLease, LeaseEvents } from "../../../../src/persistence/leaderLease.ts";
import { Leadership } from "../../../../src/market/replicas/Leadership.ts";
import { capturedLogs } from "../../../helpers/capturedLogs.ts";

/** A lease the test grants and takes away. */
class ScriptedLease extends EventEmitter<LeaseEvents> implements LeaderLease {
  readonly mechanism = "advisory-lock";
  held = false;
  starts = 0;
  start(): void {
    this.starts += 1;
  }
  async stop(): Promise<void> {
    this.lose("released");
  }
  grant(): void {
    this.held = true;
    this.emit("acquired");
  }
  lose(reason: string): void {
    if (!this.held) return;
    this.held = false;
    this.emit("lost", reason);
  }
}

describe("leadership of a market replica", () => {
  it("starts the leader's work when the lease is granted and stops it when the lease is lost, logging each change", async () => {
    const lease = new ScriptedLease();
    const journal: string[] = [];
    const logs = capturedLogs();
    const leadership = new Leadership({
      lease,
      replica: "host:1:abc",
      logger: logs.logger,
      lead: async () => {
        journal.push("lead");
        return async () => void journal.push("stop");
      },
    });
    leadership.start();
    expect(leadership.role).to.equal("follower");
    lease.grant();
    await leadership.settled();
    expect(leadership.role).to.equal("leader");
    lease.lose("the lease's database connection ended");
    await leadership.settled();
    expect(leadership.role).to.equal("follower");
    lease.grant();
    await leadership.settled();
    expect([leadership.role, leadership.terms]).to.deep.equal(["leader", 2]);
    await leadership.stop();
    expect(journal).to.deep.equal(["lead", "stop", "lead", "stop"]);
    const changes = logs.lines().filter((line) => line.component === "leadership" && "previousRole" in line);
    expect(changes.map((line) => [line.role, line.replica])).to.deep.equal([
      ["leader", "host:1:abc"],
      ["follower", "host:1:abc"],
      ["leader", "host:1:abc"],
      ["follower", "host:1:abc"],
    ]);
    expect(changes[1]).to.include({ reason: "the lease's database connection ended" });
  });

  it("gives the lease back and asks again when the leader's work cannot start", async () => {
    const lease = new ScriptedLease();
    let attempts = 0;
    const leadership = new Leadership({
      lease,
      replica: "r",
      lead: async () => {
        attempts += 1;
        throw new Error("chain unreachable");
      },
    });
    leadership.start();
    lease.grant();
    await leadership.settled();
    expect([leadership.role, lease.held, lease.starts, attempts]).to.deep.equal(["follower", false, 2, 1]);
  });
});
