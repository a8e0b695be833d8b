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

  it("rejects every caller with its own error when the operation keeps failing, and goes on with the next batch", async () => {
    let down = true;
    let runs = 0;
    const batcher = new Batcher<string, string>(async (inputs) => {
      runs++;
      if (down) throw new Error(`database unavailable (${inputs.join(",")})`);
      return inputs.map((input) => input.toUpperCase());
    });
    const failed = await Promise.allSettled([batcher.submit("a"), batcher.submit("b")]);
    expect(failed.map((result) => result.status)).to.deep.equal(["rejected", "rejected"]);
    expect((failed[0] as PromiseRejectedResult).reason.message).to.equal("database unavailable (a)");
    expect((failed[1] as PromiseRejectedResult).reason.message).to.equal("database unavailable (b)");
    expect(runs).to.equal(3);
    down = false;
    expect(await batcher.submit("c")).to.equal("C");
  });

  it("fails only the poisoned input of a batch: its neighbours get the answers they would get alone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ value: fc.integer({ min: 0, max: 1000 }), poisoned: fc.boolean() }), { minLength: 1, maxLength: 30 }),
        async (inputs) => {
          // Like a database refusing a whole statement for one bad row.
          const batcher = new Batcher<{ value: number; poisoned: boolean }, number>(async (batch) => {
            if (batch.some((input) => input.poisoned)) throw new Error("invalid byte sequence");
            return batch.map((input) => input.value * 3);
          });
          const results = await Promise.allSettled(inputs.map((input) => batcher.submit(input)));
          results.forEach((result, index) => {
            if (inputs[index].poisoned) expect(result.status).to.equal("rejected");
            else expect(result).to.deep.equal({ status: "fulfilled", value: inputs[index].value * 3 });
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rejects callers when a batch answers the wrong number of outputs, and a bad maxBatch", async () => {
    const batcher = new Batcher<number, number>(async () => []);
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(results.every((result) => result.status === "rejected")).to.equal(true);
    expect(() => new Batcher(async () => [], { maxBatch: 0 })).to.throw(RangeError);
  });
});
