// The market's per-account rate limits over real HTTP on loopback, with real signatures: requests
// naming their account with a valid signature are charged to the account's own allowance, apart
// from their IP's and from other accounts'; a forged, stale or foreign-market signature is charged
// to the IP; and one IP's signed requests stop at the ceiling however many accounts it mints.
import { expect } from "chai";
import express from "express";
import { Wallet, type Signer } from "ethers";
import { silentLogger } from "../../../../src/core/logger.ts";
import { jsonResponse, startHttpServer, type HttpServer } from "../../../../src/http/index.ts";
import { marketAccountLimits, SIGNED_IP_CEILING_FACTOR } from "../../../../src/market/http/accountLimits.ts";
import { createMarketApp } from "../../../../src/market/http/createMarketApp.ts";
import { ACCOUNT_HEADER, signAccountRequest, type MarketIdentity } from "../../../../src/wire/marketApi/accountRequestSignature.ts";

const MARKET: MarketIdentity = { chainId: 31337n, continuum: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const IP_PER_MINUTE = 2;
const ACCOUNT_PER_MINUTE = 5;

describe("market per-account rate limits", function () {
  this.timeout(30_000);
  let server: HttpServer;
  const clock = Date.now();

  beforeEach(async () => {
    const router = express.Router();
    router.get("/requests/:hash", (req, res) => {
      res.json({ hash: req.params.hash });
    });
    const app = createMarketApp({
      modules: [{ name: "status", router, openapi: { paths: { "/v1/requests/{hash}": { get: { responses: { "200": jsonResponse("status", { type: "object" }) } } } } } }],
      bodyLimitBytes: 1_024,
      rateLimitPerMinute: IP_PER_MINUTE,
      accountLimits: marketAccountLimits({ market: MARKET, perMinute: ACCOUNT_PER_MINUTE, now: () => clock }),
      now: () => clock,
      logger: silentLogger(),
    });
    server = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  });

  afterEach(() => server.close());

  const path = (n: number) => `/v1/requests/0x${n.toString(16).padStart(2, "0")}`;

  async function get(n: number, headers: Record<string, string> = {}): Promise<{ status: number; message?: string; account?: string }> {
    const response = await fetch(`${server.url}${path(n)}`, { headers });
    const body = (await response.json()) as { error?: { message: string; details: { account?: string } } };
    return { status: response.status, message: body.error?.message, account: body.error?.details.account };
  }

  const signed = (wallet: Signer, n: number, overrides: { timestampMs?: number; market?: MarketIdentity } = {}) =>
    signAccountRequest(wallet, overrides.market ?? MARKET, { method: "GET", path: path(n), timestampMs: overrides.timestampMs ?? clock });

  it("gives a signing account its own allowance, apart from its IP's and from other accounts'", async () => {
    const alice = Wallet.createRandom();
    const bob = Wallet.createRandom();
    expect((await get(1)).status).to.equal(200);
    expect((await get(2)).status).to.equal(200);
    const anonymous = await get(3);
    expect(anonymous.status).to.equal(429);
    expect(anonymous.message).to.match(/^too many requests from this client/);

    for (let n = 0; n < ACCOUNT_PER_MINUTE; n += 1) expect((await get(n, await signed(alice, n))).status, `alice #${n}`).to.equal(200);
    const spent = await get(9, await signed(alice, 9));
    expect(spent.status).to.equal(429);
    expect(spent.account).to.equal(alice.address.toLowerCase());
    expect(spent.message).to.match(/^too many requests from account 0x[0-9a-f]{40}; retry in 12 s$/);

    for (let n = 0; n < ACCOUNT_PER_MINUTE; n += 1) expect((await get(n, await signed(bob, n))).status, `bob #${n}`).to.equal(200);
  });

  it("charges a forged, stale or other market's signature to the IP, never to the account it names", async () => {
    const alice = Wallet.createRandom();
    const mallory = Wallet.createRandom();
    const forged = { ...(await signed(mallory, 1)), [ACCOUNT_HEADER]: alice.address };
    const stale = await signed(alice, 2, { timestampMs: clock - 120_000 });
    const foreign = await signed(alice, 3, { market: { ...MARKET, chainId: 1n } });
    expect((await get(1, forged)).status).to.equal(200);
    expect((await get(2, stale)).status).to.equal(200);
    const third = await get(3, foreign);
    expect(third.status).to.equal(429);
    expect(third.message).to.match(/^too many requests from this client/);
    // Alice's own allowance is untouched.
    for (let n = 0; n < ACCOUNT_PER_MINUTE; n += 1) expect((await get(n, await signed(alice, n))).status).to.equal(200);
  });

  it("stops one IP's signed requests at the ceiling, however many accounts sign them", async () => {
    const ceiling = ACCOUNT_PER_MINUTE * SIGNED_IP_CEILING_FACTOR;
    const statuses: number[] = [];
    for (let n = 0; n <= ceiling; n += 1) {
      // A fresh account every time: each has a full allowance of its own.
      statuses.push((await get(n % 256, await signed(Wallet.createRandom(), n % 256))).status);
    }
    expect(statuses.slice(0, ceiling).every((status) => status === 200)).to.equal(true);
    expect(statuses[ceiling]).to.equal(429);
    const refused = await get(1, await signed(Wallet.createRandom(), 1));
    expect(refused.message).to.match(/^too many signed requests from this address/);
  });
});
