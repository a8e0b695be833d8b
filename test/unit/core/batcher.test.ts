import { expect } from "chai";
import fc from "fast-check";
import { Batcher } from "../../../src/core/batcher.ts";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe("Batcher", () => {
  it("answers every caller with its own output, whatever the timing of the calls", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer(), fc.nat(3)), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (calls, maxBatch) => {
        const batches: number[][] = [];
        const batcher = new Batcher<number, string>(
          async (inputs) => {
            batches.push([...inputs]);
            await new Promise((resolve) => setImmediate(resolve));
            return inputs.map((input) => `out ${input}`);
          },
          { maxBatch },
        );
        const answers = calls.map(async ([input, delay]) => {
          for (let i = 0; i < delay; i++) await new Promise((resolve) => setImmediate(resolve));
          return [input, await batcher.submit(input)] as const;
        });
        for (const [input, output] of await Promise.all(answers)) expect(output).to.equal(`out ${input}`);
        expect(batches.flat()).to.have.length(calls.length);
        for (const batch of batches) expect(batch.length).to.be.within(1, maxBatch);
      }),
      { numRuns: 60 },
    );
  });

  it("gathers calls made at the same time into one batch", async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (inputs) => {
      sizes.push(inputs.length);
      return inputs.map((input) => input * 2);
    });
    expect(await Promise.all([1, 2, 3, 4].map((input) => batcher.submit(input)))).to.deep.equal([2, 4, 6, 8]);
    expect(sizes).to.deep.equal([4]);
  });

  it("never answers a call from a batch that started before it was made", async () => {
    const release = deferred();
    const started: number[][] = [];
    const batcher = new Batcher<number, number>(async (inputs) => {
      started.push([...inputs]);
      if (started.length === 1) await release.promise;
      return inputs.map(() => started.length);
    });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal([[1]]);
    const late = [batcher.submit(2), batcher.submit(3)];
    release.resolve();
    expect(await first).to.equal(1);
    expect(await Promise.all(late)).to.deep.equal([2, 2]);
    expect(started).to.deep.equal([[1], [2, 3]]);
  });

  it("rejects the callers of a failed batch with its error and goes on with the next", async () => {
    let calls = 0;
    const batcher = new Batcher<string, string>(async (inputs) => {
      calls++;
      if (calls === 1) throw new Error("database unavailable");
      return inputs.map((input) => input.toUpperCase());
    });
    const failed = await Promise.allSettled([batcher.submit("a"), batcher.submit("b")]);
    expect(failed.map((result) => result.status)).to.deep.equal(["rejected", "rejected"]);
    expect((failed[0] as PromiseRejectedResult).reason.message).to.equal("database unavailable");
    expect(await batcher.submit("c")).to.equal("C");
  });

  it("rejects callers when a batch answers the wrong number of outputs, and a bad maxBatch", async () => {
    const batcher = new Batcher<number, number>(async () => [1]);
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(results.every((result) => result.status === "rejected")).to.equal(true);
    expect(() => new Batcher(async () => [], { maxBatch: 0 })).to.throw(RangeError);
  });
});
