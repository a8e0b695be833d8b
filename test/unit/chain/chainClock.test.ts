import { expect } from "chai";
import { ChainClock } from "../../../src/chain/chainClock.ts";

/** A chain whose latest block has the timestamp we set, and a wall clock we move by hand. */
function fakes(startWallMs: number) {
  const state = { wallMs: startWallMs, blockSeconds: Math.floor(startWallMs / 1000) as number | undefined };
  const provider = { getBlock: async () => (state.blockSeconds === undefined ? null : ({ timestamp: state.blockSeconds } as never)) };
  return { state, clock: new ChainClock(provider, () => state.wallMs) };
}

describe("ChainClock", () => {
  const T = 1_900_000_000_000;

  it("is the wall clock before its first read, and when the chain returns no block", async () => {
    const { state, clock } = fakes(T);
    expect(clock.now()).to.equal(T);
    state.blockSeconds = undefined;
    await clock.refresh();
    expect(clock.now()).to.equal(T);
  });

  it("follows a chain that runs ahead of the wall clock, moving on with the wall clock between reads", async () => {
    const { state, clock } = fakes(T);
    state.blockSeconds = T / 1000 + 86_400;
    await clock.refresh();
    expect(clock.now()).to.equal(T + 86_400_000);
    state.wallMs += 5_000;
    expect(clock.now()).to.equal(T + 86_405_000);
  });

  it("never reads earlier than the wall clock when the latest block is merely old", async () => {
    const { state, clock } = fakes(T);
    state.blockSeconds = T / 1000 - 600;
    await clock.refresh();
    expect(clock.now()).to.equal(T);
    state.wallMs += 1_000;
    expect(clock.now()).to.equal(T + 1_000);
  });

  it("takes the newest block as the anchor at each read", async () => {
    const { state, clock } = fakes(T);
    state.blockSeconds = T / 1000 + 100;
    await clock.refresh();
    state.wallMs += 10_000;
    state.blockSeconds = T / 1000 + 3_600;
    await clock.refresh();
    expect(clock.now()).to.equal(T + 3_600_000);
  });
});
