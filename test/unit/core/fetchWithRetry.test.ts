// Specification of the clients' retry on a busy server, against real HTTP on loopback: a 429 is
// asked again after its Retry-After, a 429 without one after a jittered capped backoff, a 503 only
// for GETs, a Retry-After too long for the policy is returned rather than waited for, and the
// attempts are bounded. The backoff stays within its cap for every attempt (a property).
import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_RETRY_POLICY, fetchWithRetry, parseRetryAfter, retryDelayMs, type RetryNotice } from "../../../src/core/fetchWithRetry.ts";
import { rateLimited, startBusyServer, type BusyServer } from "../../helpers/busyServer.ts";

describe("fetchWithRetry", function () {
  this.timeout(20_000);
  let server: BusyServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("waits out a 429's Retry-After, then returns the server's 200", async () => {
    server = await startBusyServer({ "/v1/requests": [rateLimited(1), { status: 200, body: { ok: true } }] });
    const notices: RetryNotice[] = [];
    const response = await fetchWithRetry(`${server.url}/v1/requests/0x01`, {}, { onRetry: (notice) => notices.push(notice), random: () => 0 });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ ok: true });
    expect(server.seen).to.have.length(2);
    const waited = server.seen[1]!.at - server.seen[0]!.at;
    expect(waited).to.be.at.least(990).and.below(1_900);
    expect(notices).to.deep.equal([{ attempt: 1, status: 429, delayMs: 1_000, url: `${server.url}/v1/requests/0x01` }]);
  });

  it("retries a POST refused with 429 (the server did nothing) and sends its body again", async () => {
    server = await startBusyServer({ "/v1/orders": [rateLimited(0), rateLimited(0), { status: 201, body: { hash: "0xab" } }] });
    const response = await fetchWithRetry(`${server.url}/v1/orders/app`, { method: "POST", body: '{"order":1}', headers: { "content-type": "application/json" } });
    expect(response.status).to.equal(201);
    expect(server.seen.map((request) => request.body)).to.deep.equal(['{"order":1}', '{"order":1}', '{"order":1}']);
  });

  it("backs off with jitter below a capped exponential ceiling when no Retry-After is given", async () => {
    server = await startBusyServer({ "/": [{ status: 429 }, { status: 429 }, { status: 429 }, { status: 200, body: {} }] });
    const notices: RetryNotice[] = [];
    const response = await fetchWithRetry(server.url, {}, { baseDelayMs: 40, maxDelayMs: 100, random: () => 0.99, onRetry: (notice) => notices.push(notice) });
    expect(response.status).to.equal(200);
    // Ceilings 40, 80, then the 100 cap; random 0.99 lands just below each.
    expect(notices.map((notice) => notice.delayMs)).to.deep.equal([39, 79, 99]);
  });

  it("asks a GET again after a 503, but returns a POST's 503 at once (it may have been acted on)", async () => {
    server = await startBusyServer({ "/get": [{ status: 503, headers: { "retry-after": "0" } }, { status: 200, body: {} }], "/post": [{ status: 503 }] });
    expect((await fetchWithRetry(`${server.url}/get`)).status).to.equal(200);
    expect((await fetchWithRetry(`${server.url}/post`, { method: "POST", body: "{}" })).status).to.equal(503);
    expect(server.seen.map((request) => `${request.method} ${request.url}`)).to.deep.equal(["GET /get", "GET /get", "POST /post"]);
  });

  it("gives up after maxAttempts and returns the last 429 for the caller to report", async () => {
    server = await startBusyServer({ "/": [rateLimited(0)] });
    const response = await fetchWithRetry(server.url, {}, { maxAttempts: 3 });
    expect(response.status).to.equal(429);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal("RATE_LIMITED");
    expect(server.seen).to.have.length(3);
  });

  it("returns a 429 whose Retry-After is longer than the policy waits for, without waiting", async () => {
    server = await startBusyServer({ "/": [rateLimited(3_600)] });
    const startedAt = performance.now();
    const response = await fetchWithRetry(server.url, {}, { maxRetryAfterMs: 60_000 });
    expect(response.status).to.equal(429);
    expect(server.seen).to.have.length(1);
    expect(performance.now() - startedAt).to.be.below(1_000);
  });

  it("stops waiting when its signal aborts", async () => {
    server = await startBusyServer({ "/": [rateLimited(30)] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stopping")), 100);
    let failure: unknown;
    try {
      await fetchWithRetry(server.url, { signal: controller.signal }, { signal: controller.signal });
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).message).to.equal("stopping");
    expect(server.seen).to.have.length(1);
  });

  it("reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read", () => {
    const now = Date.parse("2026-12-03T10:00:00Z");
    expect(parseRetryAfter("20", now)).to.equal(20_000);
    expect(parseRetryAfter("Thu, 03 Dec 2026 10:00:05 GMT", now)).to.equal(5_000);
    expect(parseRetryAfter("Thu, 03 Dec 2026 09:59:00 GMT", now)).to.equal(0);
    expect(parseRetryAfter("soon", now)).to.equal(undefined);
    expect(parseRetryAfter(null, now)).to.equal(undefined);
  });

  it("keeps every pause within [Retry-After, Retry-After + one base step), or below the capped ceiling without one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, retryAfterMs, random) => {
          const delay = retryDelayMs(attempt, retryAfterMs, DEFAULT_RETRY_POLICY, () => random);
          if (retryAfterMs !== undefined) {
            expect(delay).to.be.at.least(retryAfterMs).and.below(retryAfterMs + DEFAULT_RETRY_POLICY.baseDelayMs);
          } else {
            const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** attempt);
            expect(delay).to.be.at.least(0).and.below(ceiling);
          }
        },
      ),
    );
  });
});
