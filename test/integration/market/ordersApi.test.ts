// Specification of the order routes over real HTTP, against the protocol on the in-process chain
// and the book on PGlite: publishing each kind, every refusal with its status and code, queries
// with filters and pages, reading one order, unpublishing, signing from GET /v1/info alone, and
// an OpenAPI document in step.
import { expect } from "chai";
import { TypedDataEncoder, Wallet, type TypedDataField } from "ethers";
import {
  by,
  appOrder,
  datasetOrder,
  loadProtocol,
  matchDeal,
  requestOrder,
  workerpoolOrder,
  FUNDS,
  type Fixture,
} from "../../helpers/protocolFixture.ts";
import { continuumDomain, orderDigest, signOrder, type OrderKind } from "../../../src/wire/eip712/index.ts";
import { signUnpublish } from "../../../src/wire/eip712/unpublish.ts";
import { publishBodyOf } from "../../../src/wire/marketApi/orderJson.ts";
import { capturedLogs, LOG_LEVEL } from "../../helpers/capturedLogs.ts";
import { BODY_EDGE_CASES, expectErrorShape, sendRaw } from "../../helpers/httpEdges.ts";
import { documentedCodes, expectRoutesDocumented, type DocumentWithErrors } from "../../helpers/openApiCoverage.ts";
import {
  latestTimestamp,
  openMarketDatabase,
  signedBody,
  startMarketServer,
  type MarketDatabase,
  type MarketServer,
} from "./marketFixture.ts";

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };
type OrderBody = { kind: string; hash: string; signer: string; remaining: string; status: string; removedReason: string | null; order: Record<string, string> };

describe("market order routes", function () {
  let database: MarketDatabase;
  let f: Fixture;
  let market: MarketServer;

  before(async function () {
    database = await openMarketDatabase();
  });

  after(() => database.close());

  const logs = capturedLogs();

  beforeEach(async function () {
    f = await loadProtocol();
    market = await startMarketServer(f, database.dataSource, { logger: logs.logger });
  });

  afterEach(() => market.close());

  const url = (path: string) => `${market.server.url}${path}`;

  function post(path: string, body: unknown): Promise<Response> {
    return fetch(url(path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  async function refusal(response: Response, status: number, code: string): Promise<ErrorBody["error"]> {
    const body = (await response.json()) as ErrorBody;
    expect({ status: response.status, code: body.error?.code }, body.error?.message).to.deep.equal({ status, code });
    expect(body.error.message.length).to.be.greaterThan(20);
    return body.error;
  }

  describe("publishing", function () {
    const builders = { app: appOrder, dataset: datasetOrder, workerpool: workerpoolOrder, request: requestOrder } as const;

    for (const kind of ["app", "dataset", "workerpool", "request"] as OrderKind[]) {
      it(`accepts a valid ${kind} order with 201, its location and the stored order`, async function () {
        const order = await builders[kind](f);
        const response = await post(`/v1/orders/${kind}`, await signedBody(f, kind, order as never));
        expect(response.status).to.equal(201);
        const body = (await response.json()) as OrderBody;
        const hash = orderDigest(kind, f.domain, order as never);
        expect(body.hash).to.equal(hash);
        expect(response.headers.get("location")).to.equal(`/v1/orders/${kind}/${hash}`);
        expect(body).to.include({ kind, remaining: order.volume.toString(), status: "open", removedReason: null });
        const rightful = { app: f.appOwner, dataset: f.datasetOwner, workerpool: f.poolOwner, request: f.requester }[kind];
        expect(body.signer).to.equal(rightful.address);

        const read = await fetch(url(`/v1/orders/${kind}/${hash}`));
        expect(read.status).to.equal(200);
        expect(await read.json()).to.deep.equal(body);
      });
    }

    it("accepts a signed request on POST /v1/requests", async function () {
      const order = await requestOrder(f, { volume: 3n });
      const response = await post("/v1/requests", await signedBody(f, "request", order));
      expect(response.status).to.equal(201);
      expect(((await response.json()) as OrderBody).hash).to.equal(orderDigest("request", f.domain, order));
    });

    it("accepts an order approved on-chain instead of signed", async function () {
      const order = await appOrder(f);
      await by(f.continuum, f.appOwner).approveAppOrder(order);
      const response = await post("/v1/orders/app", publishBodyOf("app", order, "0x"));
      expect(response.status).to.equal(201);
      expect(((await response.json()) as OrderBody).signer).to.equal(f.appOwner.address);
    });

    it("accepts a partly consumed order with its remaining volume", async function () {
      const app = await appOrder(f, { volume: 10n });
      await matchDeal(f, { app, dataset: await datasetOrder(f), workerpool: await workerpoolOrder(f), request: await requestOrder(f, { volume: 3n }) });
      const response = await post("/v1/orders/app", await signedBody(f, "app", app));
      expect(response.status).to.equal(201);
      expect(((await response.json()) as OrderBody).remaining).to.equal("7");
    });
  });

  describe("refusals", function () {
    it("400 INVALID_ORDER for a malformed order, listing every problem", async function () {
      const body = await signedBody(f, "app", await appOrder(f));
      body.order.price = "five";
      delete (body.order as Record<string, string>).salt;
      const error = await refusal(await post("/v1/orders/app", body), 400, "INVALID_ORDER");
      expect((error.details!.issues as { path: string }[]).map((issue) => issue.path)).to.have.members(["order.price", "order.salt"]);
    });

    it("400 INVALID_ORDER for a missing body", async function () {
      await refusal(await fetch(url("/v1/orders/app"), { method: "POST" }), 400, "INVALID_ORDER");
    });

    it("400 BAD_SIGNATURE for a signature that cannot be recovered", async function () {
      const body = publishBodyOf("app", await appOrder(f), `0x${"00".repeat(65)}`);
      await refusal(await post("/v1/orders/app", body), 400, "BAD_SIGNATURE");
    });

    it("400 BAD_SIGNATURE for a request not signed by its requester", async function () {
      const error = await refusal(await post("/v1/requests", await signedBody(f, "request", await requestOrder(f), f.stranger)), 400, "BAD_SIGNATURE");
      expect(error.details).to.include({ recovered: f.stranger.address, expected: f.requester.address });
    });

    it("400 BAD_SIGNATURE, naming the domain, for an order signed for another chain", async function () {
      const order = await appOrder(f);
      const foreign = continuumDomain(1n, f.deployment.continuum);
      const body = { ...publishBodyOf("app", order, await signOrder("app", f.appOwner, foreign, order)), signer: f.appOwner.address };
      const error = await refusal(await post("/v1/orders/app", body), 400, "BAD_SIGNATURE");
      expect(error.details).to.include({ chainId: f.deployment.chainId, verifyingContract: f.deployment.continuum });
    });

    it("400 BAD_SIGNATURE for an unsigned order nobody approved on-chain", async function () {
      await refusal(await post("/v1/orders/dataset", publishBodyOf("dataset", await datasetOrder(f), "0x")), 400, "BAD_SIGNATURE");
    });

    it("403 NOT_ASSET_OWNER for an order signed by someone else than the asset owner", async function () {
      const error = await refusal(await post("/v1/orders/app", await signedBody(f, "app", await appOrder(f), f.stranger)), 403, "NOT_ASSET_OWNER");
      expect(error.details).to.include({ owner: f.appOwner.address, signer: f.stranger.address });
    });

    it("422 UNKNOWN_ASSET for an order on an unregistered asset", async function () {
      await refusal(await post("/v1/orders/workerpool", await signedBody(f, "workerpool", await workerpoolOrder(f, { workerpool: 99n }))), 422, "UNKNOWN_ASSET");
    });

    it("422 UNKNOWN_ASSET for a request naming an unregistered dataset", async function () {
      const error = await refusal(await post("/v1/requests", await signedBody(f, "request", await requestOrder(f, { dataset: 42n }))), 422, "UNKNOWN_ASSET");
      expect(error.details).to.deep.equal({ asset: "dataset", id: "42" });
    });

    it("422 UNKNOWN_CATEGORY for a category the protocol does not have", async function () {
      await refusal(await post("/v1/orders/workerpool", await signedBody(f, "workerpool", await workerpoolOrder(f, { category: 7n }))), 422, "UNKNOWN_CATEGORY");
    });

    it("422 ORDER_EXPIRED for an order whose expiry has passed on the chain's clock", async function () {
      const order = await datasetOrder(f, { expiry: await latestTimestamp(f) });
      await refusal(await post("/v1/orders/dataset", await signedBody(f, "dataset", order)), 422, "ORDER_EXPIRED");
    });

    it("422 ORDER_CANCELLED for an order cancelled on-chain", async function () {
      const order = await appOrder(f);
      await by(f.continuum, f.appOwner).cancelAppOrder(order);
      await refusal(await post("/v1/orders/app", await signedBody(f, "app", order)), 422, "ORDER_CANCELLED");
    });

    it("422 ORDER_STALE for an order signed before its asset's epoch moved on", async function () {
      await by(f.datasets, f.datasetOwner).revokeOrders(1n);
      const stale = await datasetOrder(f);
      const error = await refusal(await post("/v1/orders/dataset", await signedBody(f, "dataset", stale)), 422, "ORDER_STALE");
      expect(error.details).to.deep.include({ asset: "dataset", id: "1", signedEpoch: "0", epoch: "1" });
      const renewed = await datasetOrder(f, { assetEpoch: 1n });
      expect((await post("/v1/orders/dataset", await signedBody(f, "dataset", renewed))).status).to.equal(201);
    });

    it("422 ORDER_CONSUMED for an order whose whole volume deals already used", async function () {
      const request = await requestOrder(f, { volume: 1n });
      await matchDeal(f, { app: await appOrder(f), dataset: await datasetOrder(f), workerpool: await workerpoolOrder(f), request });
      await refusal(await post("/v1/requests", await signedBody(f, "request", request)), 422, "ORDER_CONSUMED");
    });

    it("422 INSUFFICIENT_ESCROW for a request its requester's escrow cannot pay", async function () {
      const request = await requestOrder(f, { volume: FUNDS });
      const error = await refusal(await post("/v1/requests", await signedBody(f, "request", request)), 422, "INSUFFICIENT_ESCROW");
      expect(error.details).to.include({ balance: (FUNDS / 2n).toString(), needed: (18n * FUNDS).toString() });
    });

    it("422 INSUFFICIENT_STAKE for a workerpool order its owner cannot stake", async function () {
      const order = await workerpoolOrder(f, { price: FUNDS, volume: 10n });
      const error = await refusal(await post("/v1/orders/workerpool", await signedBody(f, "workerpool", order)), 422, "INSUFFICIENT_STAKE");
      expect(error.details).to.include({ needed: ((FUNDS * 3_000n) / 10_000n * 10n).toString() });
    });

    it("409 ORDER_EXISTS for an order published twice", async function () {
      const body = await signedBody(f, "app", await appOrder(f));
      expect((await post("/v1/orders/app", body)).status).to.equal(201);
      await refusal(await post("/v1/orders/app", body), 409, "ORDER_EXISTS");
    });

    it("404 UNKNOWN_ORDER_KIND for a kind that does not exist", async function () {
      await refusal(await post("/v1/orders/banana", {}), 404, "UNKNOWN_ORDER_KIND");
    });

    it("413 BODY_TOO_LARGE and 400 MALFORMED_JSON on the publish route", async function () {
      const big = await signedBody(f, "request", await requestOrder(f));
      big.order.params = "x".repeat(70 * 1_024);
      await refusal(await post("/v1/requests", big), 413, "BODY_TOO_LARGE");
      const broken = await fetch(url("/v1/orders/app"), { method: "POST", headers: { "content-type": "application/json" }, body: '{"order":' });
      await refusal(broken, 400, "MALFORMED_JSON");
    });
  });

  describe("queries", function () {
    async function publishPools(prices: bigint[]): Promise<string[]> {
      const hashes: string[] = [];
      for (const price of prices) {
        const order = await workerpoolOrder(f, { price });
        expect((await post("/v1/orders/workerpool", await signedBody(f, "workerpool", order))).status).to.equal(201);
        hashes.push(orderDigest("workerpool", f.domain, order));
      }
      return hashes;
    }

    it("pages through open workerpool orders cheapest first, filtered", async function () {
      const marker = Wallet.createRandom().address;
      const order = await workerpoolOrder(f, { price: 1n, requesterRestrict: marker });
      await post("/v1/orders/workerpool", await signedBody(f, "workerpool", order));
      const [p30, p10, p20] = await publishPools([30n, 10n, 20n]);
      const seen: OrderBody[] = [];
      let next: string | null = `/v1/orders/workerpool?category=1&minPrice=10&maxPrice=30&limit=2`;
      while (next) {
        const response = await fetch(url(next));
        expect(response.status).to.equal(200);
        const page = (await response.json()) as { items: OrderBody[]; nextCursor: string | null };
        seen.push(...page.items);
        next = page.nextCursor ? `/v1/orders/workerpool?category=1&minPrice=10&maxPrice=30&limit=2&cursor=${page.nextCursor}` : null;
      }
      const ours = seen.map((item) => item.hash).filter((hash) => [p10, p20, p30].includes(hash));
      expect(ours).to.deep.equal([p10, p20, p30]);
      const prices = seen.map((item) => BigInt(item.order.price));
      expect(prices).to.deep.equal([...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(seen.map((item) => item.hash)).not.to.include(orderDigest("workerpool", f.domain, order));
    });

    it("lists a requester's requests", async function () {
      const request = await requestOrder(f, { volume: 2n });
      await post("/v1/requests", await signedBody(f, "request", request));
      const response = await fetch(url(`/v1/orders/request?requester=${f.requester.address.toLowerCase()}&minVolume=2`));
      const page = (await response.json()) as { items: OrderBody[] };
      expect(page.items.map((item) => item.hash)).to.include(orderDigest("request", f.domain, request));
      expect(page.items.every((item) => item.order.requester === f.requester.address)).to.equal(true);
    });

    it("400 INVALID_QUERY for an unknown or malformed filter, 400 INVALID_CURSOR and INVALID_LIMIT", async function () {
      await refusal(await fetch(url("/v1/orders/app?colour=red")), 400, "INVALID_QUERY");
      await refusal(await fetch(url("/v1/orders/app?minPrice=cheap")), 400, "INVALID_QUERY");
      await refusal(await fetch(url("/v1/orders/app?category=1")), 400, "INVALID_QUERY");
      await refusal(await fetch(url("/v1/orders/app?minPrice=1&minPrice=2")), 400, "INVALID_QUERY");
      await refusal(await fetch(url("/v1/orders/app?cursor=bm9wZQ")), 400, "INVALID_CURSOR");
      await refusal(await fetch(url(`/v1/orders/app?cursor=${Buffer.from("[1,2]").toString("base64url")}`)), 400, "INVALID_CURSOR");
      await refusal(await fetch(url("/v1/orders/app?limit=100000")), 400, "INVALID_LIMIT");
    });

    it("404 ORDER_NOT_FOUND for an unknown hash or another kind's order, 400 INVALID_ORDER_HASH for a malformed one", async function () {
      const order = await appOrder(f);
      await post("/v1/orders/app", await signedBody(f, "app", order));
      const hash = orderDigest("app", f.domain, order);
      await refusal(await fetch(url(`/v1/orders/dataset/${hash}`)), 404, "ORDER_NOT_FOUND");
      await refusal(await fetch(url(`/v1/orders/app/0x${"12".repeat(32)}`)), 404, "ORDER_NOT_FOUND");
      await refusal(await fetch(url("/v1/orders/app/0x1234")), 400, "INVALID_ORDER_HASH");
    });
  });

  describe("unpublishing", function () {
    async function published(): Promise<string> {
      const order = await appOrder(f);
      expect((await post("/v1/orders/app", await signedBody(f, "app", order))).status).to.equal(201);
      return orderDigest("app", f.domain, order);
    }

    async function unpublishBody(hash: string, signer = f.appOwner, expiry?: bigint) {
      const message = { orderHash: hash, expiry: expiry ?? (await latestTimestamp(f)) + 600n };
      return { expiry: message.expiry.toString(), signature: await signUnpublish(signer, f.domain, message) };
    }

    it("takes an order off the book when its signer asks, and says so again when repeated", async function () {
      const hash = await published();
      const body = await unpublishBody(hash);
      const response = await post(`/v1/orders/app/${hash}/unpublish`, body);
      expect(response.status).to.equal(200);
      expect(await response.json()).to.include({ hash, status: "removed", removedReason: "unpublished" });
      const page = (await (await fetch(url("/v1/orders/app?limit=500"))).json()) as { items: OrderBody[] };
      expect(page.items.map((item) => item.hash)).not.to.include(hash);
      expect((await post(`/v1/orders/app/${hash}/unpublish`, body)).status).to.equal(200);
      await refusal(await post("/v1/orders/app", await signedBody(f, "app", (await market.book.get(hash))!.order as never)), 409, "ORDER_EXISTS");
    });

    it("403 NOT_ORDER_SIGNER when someone else signs the unpublish", async function () {
      const hash = await published();
      await refusal(await post(`/v1/orders/app/${hash}/unpublish`, await unpublishBody(hash, f.stranger)), 403, "NOT_ORDER_SIGNER");
      expect((await market.book.get(hash))!.status).to.equal("open");
    });

    it("422 UNPUBLISH_EXPIRED for a stale message, 400 INVALID_UNPUBLISH and BAD_SIGNATURE for malformed ones", async function () {
      const hash = await published();
      const stale = await unpublishBody(hash, f.appOwner, await latestTimestamp(f));
      await refusal(await post(`/v1/orders/app/${hash}/unpublish`, stale), 422, "UNPUBLISH_EXPIRED");
      await refusal(await post(`/v1/orders/app/${hash}/unpublish`, { expiry: "1" }), 400, "INVALID_UNPUBLISH");
      await refusal(await post(`/v1/orders/app/${hash}/unpublish`, { expiry: "99999999999", signature: `0x${"00".repeat(65)}` }), 400, "BAD_SIGNATURE");
      expect((await market.book.get(hash))!.status).to.equal("open");
    });

    it("404 ORDER_NOT_FOUND for an order not in the book", async function () {
      const hash = `0x${"34".repeat(32)}`;
      await refusal(await post(`/v1/orders/app/${hash}/unpublish`, await unpublishBody(hash)), 404, "ORDER_NOT_FOUND");
    });
  });

  describe("GET /v1/info", function () {
    type Info = {
      chainId: string;
      contracts: Record<string, string>;
      eip712: { domain: { name: string; version: string; chainId: number; verifyingContract: string }; types: Record<string, TypedDataField[]> };
    };

    it("serves the chain, the contracts and the EIP-712 domain and types of every message the market takes", async function () {
      const info = (await (await fetch(url("/v1/info"))).json()) as Info;
      const { continuum, appRegistry, datasetRegistry, workerpoolRegistry, token } = f.deployment;
      expect(info.chainId).to.equal(f.deployment.chainId);
      expect(info.contracts).to.deep.equal({ continuum, appRegistry, datasetRegistry, workerpoolRegistry, token });
      expect(info.eip712.domain).to.deep.equal({ name: "Continuum", version: "1", chainId: Number(f.deployment.chainId), verifyingContract: continuum });
      expect(Object.keys(info.eip712.types)).to.have.members(["AppOrder", "DatasetOrder", "WorkerpoolOrder", "RequestOrder", "Unpublish"]);
    });

    it("is enough to sign an order and its Unpublish with plain ethers, as an outside developer would", async function () {
      const info = (await (await fetch(url("/v1/info"))).json()) as Info;
      const { domain, types } = info.eip712;
      const order = await appOrder(f);
      const signature = await f.appOwner.signTypedData(domain, { AppOrder: types.AppOrder }, order);
      const published = await post("/v1/orders/app", publishBodyOf("app", order, signature));
      expect(published.status).to.equal(201);
      const hash = TypedDataEncoder.hash(domain, { AppOrder: types.AppOrder }, order);
      expect(((await published.json()) as OrderBody).hash).to.equal(hash);
      const message = { orderHash: hash, expiry: (await latestTimestamp(f)) + 600n };
      const unpublish = await f.appOwner.signTypedData(domain, { Unpublish: types.Unpublish }, message);
      const removed = await post(`/v1/orders/app/${hash}/unpublish`, { expiry: message.expiry.toString(), signature: unpublish });
      expect(removed.status).to.equal(200);
    });
  });

  it("answers every malformed body on every POST route in the error format, documented there, logged at debug at most", async function () {
    const document = (await sendRaw(url("/openapi.json"), "GET")).json as DocumentWithErrors;
    const hash = `0x${"56".repeat(32)}`;
    const posts = { "/v1/orders/{kind}": "/v1/orders/app", "/v1/orders/{kind}/{hash}/unpublish": `/v1/orders/app/${hash}/unpublish`, "/v1/requests": "/v1/requests" };
    logs.clear();
    for (const [documented, path] of Object.entries(posts)) {
      for (const edge of BODY_EDGE_CASES) {
        expectErrorShape(await sendRaw(url(path), "POST", edge.headers, edge.body), edge.status, edge.code, `${edge.name} on POST ${path}`);
        expect(documentedCodes(document, "POST", documented, edge.status), `POST ${documented}`).to.include(edge.code);
      }
    }
    expect(logs.lines().filter((line) => line.level > LOG_LEVEL.debug)).to.deep.equal([]);
  });

  it("documents every order and feed route in /openapi.json, and nothing else", async function () {
    const operations = await expectRoutesDocumented(market.app, market.server.url);
    expect(operations).to.include.members([
      "POST /v1/orders/{kind}",
      "GET /v1/orders/{kind}",
      "GET /v1/orders/{kind}/{hash}",
      "POST /v1/orders/{kind}/{hash}/unpublish",
      "POST /v1/requests",
      "GET /v1/feed",
      "GET /v1/info",
    ]);
  });
});
