// The SMS limits each client as the market does: sms.rateLimitPerMinute requests a minute (also
// the burst), then 429 RATE_LIMITED with Retry-After, in the error format; /health stays reachable.
import { expect } from "chai";
import { expectErrorShape, sendRaw } from "../../helpers/httpEdges.ts";
import { startHarness, type Harness } from "./smsHarness.ts";

describe("SMS rate limit", function () {
  this.timeout(60_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ rateLimitPerMinute: 3 });
  });

  after(async () => {
    await h?.close();
  });

  it("answers a client over its configured allowance with 429 RATE_LIMITED and Retry-After", async () => {
    for (let i = 0; i < 3; i += 1) expect((await sendRaw(`${h.url}/v1/challenges`, "POST")).status).to.equal(201);
    const refused = await sendRaw(`${h.url}/v1/challenges`, "POST");
    const error = expectErrorShape(refused, 429, "RATE_LIMITED");
    expect(Number(refused.headers["retry-after"])).to.equal(error.details.retryAfterSeconds);
    expect((await sendRaw(`${h.url}/health`, "GET")).status).to.equal(200);
  });
});
