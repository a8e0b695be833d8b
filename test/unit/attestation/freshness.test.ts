import { expect } from "chai";
import {
  AttestationError,
  ChallengeRegistry,
  createTimestampedNonce,
  nonceIssuedAt,
  ReplayWindow,
} from "../../../src/attestation/index.ts";

const NOW = new Date("2026-06-01T12:00:00Z");

const NOW_SECONDS = NOW.getTime() / 1000;

function secondsAfter(seconds: number): Date {
  return new Date(NOW.getTime() + seconds * 1000);
}

describe("ChallengeRegistry", () => {
  it("admits an issued challenge once and calls a second answer a replay", () => {
    const registry = new ChallengeRegistry({ ttlSeconds: 60 });
    const challenge = registry.issue(NOW);
    expect(registry.admit(challenge, NOW)).to.deep.equal({ fresh: true });
    expect(registry.admit(challenge, NOW)).to.include({ fresh: false, reason: "REPLAYED_QUOTE" });
  });

  it("calls a nonce it never issued stale", () => {
    const registry = new ChallengeRegistry({ ttlSeconds: 60 });
    expect(registry.admit(new Uint8Array(32), NOW)).to.include({ fresh: false, reason: "STALE_QUOTE" });
  });

  it("admits a challenge until its last second and calls it stale afterwards", () => {
    const registry = new ChallengeRegistry({ ttlSeconds: 60 });
    const answeredInTime = registry.issue(NOW);
    const answeredLate = registry.issue(NOW);
    expect(registry.admit(answeredInTime, secondsAfter(60))).to.deep.equal({ fresh: true });
    expect(registry.admit(answeredLate, secondsAfter(61))).to.include({ fresh: false, reason: "STALE_QUOTE" });
  });

  it("issues a different 32-byte challenge each time", () => {
    const registry = new ChallengeRegistry({ ttlSeconds: 60 });
    const first = registry.issue(NOW);
    expect(first).to.have.length(32);
    expect(registry.issue(NOW)).to.not.deep.equal(first);
  });

  it("refuses a ttl or a limit that is not a positive integer", () => {
    expect(() => new ChallengeRegistry({ ttlSeconds: 0 })).to.throw(AttestationError);
    expect(() => new ChallengeRegistry({ ttlSeconds: 60, maxOutstandingPerClient: 0 })).to.throw(AttestationError);
  });

  it("holds at most the allowed unanswered challenges per client and in all, and frees them on answer or expiry", () => {
    const registry = new ChallengeRegistry({ ttlSeconds: 60, maxOutstanding: 5, maxOutstandingPerClient: 2 });
    const first = registry.issue(NOW, "a");
    registry.issue(NOW, "a");
    const tooMany = () => registry.issue(NOW, "a");
    expect(tooMany).to.throw(AttestationError).with.property("code", "TOO_MANY_CHALLENGES");
    expect(registry.admit(first, NOW).fresh).to.equal(true);
    expect(registry.issue(NOW, "a")).to.have.length(32);
    registry.issue(NOW, "b");
    registry.issue(NOW, "b");
    registry.issue(NOW, "c");
    expect(() => registry.issue(NOW, "d"), "five outstanding in all").to.throw(AttestationError);
    const later = new Date(NOW.getTime() + 61_000);
    expect(registry.issue(later, "a")).to.have.length(32);
  });
});

describe("timestamped nonces", () => {
  it("carry the second they were made at", () => {
    expect(nonceIssuedAt(createTimestampedNonce(NOW))).to.equal(NOW_SECONDS);
  });

  it("differ even when made in the same second", () => {
    expect(createTimestampedNonce(NOW)).to.not.deep.equal(createTimestampedNonce(NOW));
  });
});

describe("ReplayWindow", () => {
  const options = { maxAgeSeconds: 300, maxClockSkewSeconds: 30 };

  it("admits a nonce once and calls its second presentation a replay", () => {
    const window = new ReplayWindow(options);
    const nonce = createTimestampedNonce(NOW);
    expect(window.admit(nonce, NOW)).to.deep.equal({ fresh: true });
    expect(window.admit(nonce, secondsAfter(1))).to.include({ fresh: false, reason: "REPLAYED_QUOTE" });
  });

  it("admits a nonce up to maxAgeSeconds old and calls an older one stale", () => {
    const window = new ReplayWindow(options);
    expect(window.admit(createTimestampedNonce(NOW), secondsAfter(300))).to.deep.equal({ fresh: true });
    expect(window.admit(createTimestampedNonce(NOW), secondsAfter(301))).to.include({ reason: "STALE_QUOTE" });
  });

  it("tolerates clock skew up to maxClockSkewSeconds and calls later dates stale", () => {
    const window = new ReplayWindow(options);
    expect(window.admit(createTimestampedNonce(secondsAfter(30)), NOW)).to.deep.equal({ fresh: true });
    expect(window.admit(createTimestampedNonce(secondsAfter(31)), NOW)).to.include({ reason: "STALE_QUOTE" });
  });

  it("refuses a replayed nonce as stale once it has aged out of the window", () => {
    const window = new ReplayWindow(options);
    const nonce = createTimestampedNonce(NOW);
    window.admit(nonce, NOW);
    window.admit(createTimestampedNonce(secondsAfter(400)), secondsAfter(400));
    expect(window.admit(nonce, secondsAfter(400))).to.include({ fresh: false, reason: "STALE_QUOTE" });
  });

  it("refuses options that are not non-negative integers", () => {
    expect(() => new ReplayWindow({ maxAgeSeconds: -1, maxClockSkewSeconds: 0 })).to.throw(AttestationError);
    expect(() => new ReplayWindow({ maxAgeSeconds: 1.5, maxClockSkewSeconds: 0 })).to.throw(AttestationError);
  });
});
