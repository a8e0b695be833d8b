// One read of an announced scheduler, against a real HTTP server playing each kind of answer: the
// runtimes summarised, and every failure (silence past the timeout, an error status, something
// that is not a scheduler, another workerpool's scheduler, a refused connection) a typed outcome,
// never a throw. And the URL an owner may announce.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readSchedulerRuntimes } from "../../../../src/market/schedulers/index.ts";
import { parseSchedulerUrl } from "../../../../src/market/routes/workerpools.ts";
import { MarketError } from "../../../../src/market/MarketError.ts";
import { freePort } from "../../../helpers/freePort.ts";

const INFO = {
  workerpool: "1",
  workerpoolOwner: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  chainId: "31337",
  continuum: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
  heartbeatIntervalMs: 10_000,
  runtimes: [
    { runtime: "node" },
    {
      runtime: "python",
      profile: `0x${"12".repeat(32)}`,
      profileDocument: { runtime: "python", interpreter: { implementation: "CPython", version: "3.11.2" }, packages: [{ name: "numpy", version: "1.24.2", filesSha256: "0x00" }] },
    },
  ],
};

describe("readSchedulerRuntimes", function () {
  let server: Server;
  let base: string;
  const answers: Record<string, (res: import("node:http").ServerResponse) => void> = {
    "/ok/v1/info": (res) => res.setHeader("content-type", "application/json").end(JSON.stringify(INFO)),
    "/other/v1/info": (res) => res.end(JSON.stringify({ ...INFO, workerpool: "2" })),
    "/broken/v1/info": (res) => res.writeHead(500).end("{}"),
    "/html/v1/info": (res) => res.end("<html>hello</html>"),
    "/silent/v1/info": () => undefined,
  };

  before(async function () {
    server = createServer((req, res) => (answers[req.url ?? ""] ?? ((r) => r.writeHead(404).end()))(res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("summarises the live workers' runtimes: profile, interpreter, declared packages", async function () {
    expect(await readSchedulerRuntimes(`${base}/ok`, 1n, 1_000)).to.deep.equal({
      status: "reachable",
      runtimes: [
        { runtime: "node", profile: null, interpreter: null, packages: [] },
        { runtime: "python", profile: `0x${"12".repeat(32)}`, interpreter: "CPython 3.11.2", packages: [{ name: "numpy", version: "1.24.2" }] },
      ],
    });
  });

  it("turns every failure into an outcome with its reason", async function () {
    expect(await readSchedulerRuntimes(`${base}/other`, 1n, 1_000)).to.deep.equal({ status: "mismatch", problem: "the scheduler serves workerpool 2, not 1" });
    expect(await readSchedulerRuntimes(`${base}/broken`, 1n, 1_000)).to.deep.equal({ status: "unreachable", problem: "GET /v1/info answered HTTP 500" });
    expect(await readSchedulerRuntimes(`${base}/html`, 1n, 1_000)).to.include({ status: "unreachable" });
    const started = Date.now();
    expect(await readSchedulerRuntimes(`${base}/silent`, 1n, 300)).to.deep.equal({ status: "unreachable", problem: "no answer within 300 ms" });
    expect(Date.now() - started).to.be.lessThan(2_000);
    const refused = await readSchedulerRuntimes(`http://127.0.0.1:${await freePort()}`, 1n, 1_000);
    expect(refused.status).to.equal("unreachable");
    expect("problem" in refused && refused.problem).to.match(/^cannot read GET \/v1\/info: /);
  });
});

describe("parseSchedulerUrl", function () {
  it("keeps an http(s) base URL, without trailing slashes or /v1", function () {
    expect(parseSchedulerUrl("http://127.0.0.1:8070/")).to.equal("http://127.0.0.1:8070");
    expect(parseSchedulerUrl("https://pool.example/scheduler/v1")).to.equal("https://pool.example/scheduler");
  });

  it("refuses what the market should not fetch, with INVALID_SCHEDULER_URL", function () {
    for (const url of [undefined, "", "pool.example", "ftp://pool.example", "http://user:pw@pool.example", "http://pool.example/?a=1", "file:///etc/passwd", `http://x/${"a".repeat(2_100)}`]) {
      expect(() => parseSchedulerUrl(url), String(url)).to.throw(MarketError).with.property("code", "INVALID_SCHEDULER_URL");
    }
  });
});
