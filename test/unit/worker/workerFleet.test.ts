// The fleet's bookkeeping with members it can watch stop: concurrent scaleTo calls never launch
// past the size last asked for, a member that stops by itself is counted and replaced, and one
// that is drained or closed is not taken for a crash.
import { expect } from "chai";
import { WorkerFleet, type FleetMember } from "../../../worker/fleet/index.ts";

type FakeMember = FleetMember & { crash(reason: string): void; closedWith: ({ abandon?: boolean } | undefined)[] };

function fakeMember(index: number): FakeMember {
  let crash: (reason: string) => void = () => undefined;
  const closedWith: ({ abandon?: boolean } | undefined)[] = [];
  return {
    address: `0x${index.toString(16).padStart(40, "0")}`,
    busy: false,
    crashed: new Promise<string>((resolve) => (crash = resolve)),
    crash: (reason) => crash(reason),
    closedWith,
    close: async (options) => void closedWith.push(options),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("WorkerFleet", function () {
  it("runs concurrent scaleTo calls one after another, ending at the size last asked for", async function () {
    const launched: number[] = [];
    const fleet = new WorkerFleet({
      launch: async (index) => {
        launched.push(index);
        await settle();
        return fakeMember(index);
      },
    });
    await Promise.all([fleet.scaleTo(3), fleet.scaleTo(2), fleet.scaleTo(4)]);
    expect(fleet.size).to.equal(4);
    expect(launched, "no launch past the last size asked for").to.have.length(4);
    await fleet.close();
  });

  it("counts a member that stops by itself and launches a replacement", async function () {
    const members: FakeMember[] = [];
    const fleet = new WorkerFleet({
      launch: async (index) => {
        const member = fakeMember(index);
        members.push(member);
        return member;
      },
    });
    const crashes: string[] = [];
    fleet.on("crashed", (address, reason) => crashes.push(`${address} ${reason}`));
    await fleet.scaleTo(2);
    members[0]!.crash("exit 137");
    await settle();
    expect(fleet.crashes).to.equal(1);
    expect(crashes).to.deep.equal([`${members[0]!.address} exit 137`]);
    expect(fleet.size, "back to its size").to.equal(2);
    expect(fleet.workers).to.not.include(members[0]);
    expect(fleet.workers).to.include(members[2]);

    // Drained and closed members stop as asked: none of that is a crash.
    await fleet.scaleTo(1);
    await fleet.drained();
    const drained = members.find((member) => member.closedWith.length > 0)!;
    drained.crash("exit 0");
    await settle();
    expect(fleet.crashes).to.equal(1);
    expect(fleet.size).to.equal(1);
    await fleet.close({ abandon: true });
    expect(fleet.workers).to.have.length(0);
    expect(members.filter((member) => member.closedWith.some((options) => options?.abandon)).length).to.equal(1);
  });

  it("keeps no worker launched after it was closed", async function () {
    const members: FakeMember[] = [];
    let release: () => void = () => undefined;
    const fleet = new WorkerFleet({
      launch: async (index) => {
        await new Promise<void>((resolve) => (release = resolve));
        const member = fakeMember(index);
        members.push(member);
        return member;
      },
    });
    const growing = fleet.scaleTo(1);
    await settle();
    const closing = fleet.close();
    release();
    await Promise.all([growing, closing]);
    await settle();
    expect(fleet.size).to.equal(0);
    expect(members[0]!.closedWith, "the late worker is stopped").to.have.length(1);
  });
});
