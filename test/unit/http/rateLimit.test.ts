// Specification of the per-client token bucket: a burst up to the allowance, continuous refill,
// independent clients, an honest Retry-After, and idle clients forgotten.
import { expect } from "chai";
import { TokenBucketLimiter } from "../../../src/http/index.ts";

describe("TokenBucketLimiter", function () {
  let clock: number;
  const now = () => clock;

  beforeEach(function () {
    clock = 0;
  });

  it("allows a burst of perMinute requests, then refuses with the wait until the next token", function () {
    const limiter = new TokenBucketLimiter({ perMinute: 60, now });
    for (let i = 0; i < 60; i += 1) expect(limiter.take("a").allowed).to.equal(true);
    expect(limiter.take("a")).to.deep.equal({ allowed: false, retryAfterSeconds: 1 });
    clock += 1_000;
    expect(limiter.take("a")).to.deep.equal({ allowed: true, remaining: 0 });
  });

  it("keeps clients independent", function () {
    const limiter = new TokenBucketLimiter({ perMinute: 1, now });
    expect(limiter.take("10.0.0.1").allowed).to.equal(true);
    expect(limiter.take("10.0.0.1")).to.deep.equal({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.take("10.0.0.2").allowed).to.equal(true);
  });

  it("never refills beyond the burst", function () {
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 2, now });
    limiter.take("a");
    clock += 3_600_000;
    expect(limiter.take("a")).to.deep.equal({ allowed: true, remaining: 1 });
    expect(limiter.take("a")).to.deep.equal({ allowed: true, remaining: 0 });
    expect(limiter.take("a").allowed).to.equal(false);
  });

  it("forgets clients whose bucket has refilled, so memory follows active clients", function () {
    const limiter = new TokenBucketLimiter({ perMinute: 60, now });
    for (let i = 0; i < 100; i += 1) limiter.take(`client-${i}`);
    expect(limiter.trackedClients).to.equal(100);
    clock += 61_000;
    limiter.take("latecomer");
    expect(limiter.trackedClients).to.equal(1);
  });

  it("rejects a non-positive allowance", function () {
    expect(() => new TokenBucketLimiter({ perMinute: 0 })).to.throw(RangeError);
  });
});
