// The market as a newcomer starts it: a real Hardhat node, the protocol seeded, the market
// service (REST API, indexer, matcher) on PGlite. Four signed orders published over HTTP become a
// deal on-chain, and the API then shows the orders consumed and the deal.
import { expect } from "chai";
import { Contract, hexlify, randomBytes, type JsonRpcSigner } from "ethers";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import type { Devnet } from "../../src/devnet/startDevnet.ts";
import { publishBodyOf } from "../../src/wire/marketApi/orderJson.ts";
import { continuumDomain, signOrder, TAG_TEE, ZERO_ADDRESS, type OrderKind, type OrderOf } from "../../src/wire/eip712/index.ts";
import { eventually, startTestDevnet, type TestDevnet } from "../helpers/testDevnet.ts";
import { expectErrorShape, sendRaw } from "../helpers/httpEdges.ts";
import { expectEveryCodeDocumented, type DocumentWithErrors } from "../helpers/openApiCoverage.ts";

const TEE = `0x${TAG_TEE.toString(16).padStart(64, "0")}`;

describe("market service end to end (npm start's market)", function () {
  this.timeout(180_000);
  let running: TestDevnet;
  let devnet: Devnet;
  let api: string;

  before(async () => {
    running = await startTestDevnet({ compute: false });
    devnet = running.devnet;
    api = `${devnet.market.url}/v1`;
  });

  after(async () => {
    await running?.close();
  });

  async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${api}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  async function get(path: string): Promise<{ status: number; json: any }> {
    const response = await fetch(`${api}${path}`);
    return { status: response.status, json: await response.json() };
  }

  it("turns four orders published over HTTP into a deal on-chain and in the API", async () => {
    const [, appOwner, datasetOwner, poolOwner, requester, beneficiary] = devnet.accounts as JsonRpcSigner[];
    const { deployment, provider } = devnet;
    const contract = (name: Parameters<typeof loadArtifact>[0], address: string, signer: JsonRpcSigner) => new Contract(address, loadArtifact(name).abi as never, signer);
    const continuum = contract("Continuum", deployment.continuum, requester);
    await (await contract("AppRegistry", deployment.appRegistry, appOwner).registerApp(appOwner.address, "ward-stats", "bafyapp", hexlify(randomBytes(32)), hexlify(randomBytes(32)))).wait();
    await (await contract("DatasetRegistry", deployment.datasetRegistry, datasetOwner).registerDataset(datasetOwner.address, "vitals", "bafydata", hexlify(randomBytes(32)))).wait();
    await (await contract("WorkerpoolRegistry", deployment.workerpoolRegistry, poolOwner).registerWorkerpool(poolOwner.address, "city pool")).wait();
    for (const account of [requester, poolOwner]) {
      await (await contract("DevnetToken", deployment.token, account).approve(deployment.continuum, 10n ** 21n)).wait();
      await (await contract("Continuum", deployment.continuum, account).deposit(10n ** 21n)).wait();
    }

    const domain = continuumDomain(BigInt(deployment.chainId), deployment.continuum);
    const expiry = BigInt((await provider.getBlock("latest"))!.timestamp) + 86_400n;
    const salt = () => hexlify(randomBytes(32));
    const orders: { [K in OrderKind]: { order: OrderOf<K>; signer: JsonRpcSigner } } = {
      app: { signer: appOwner, order: { app: 1n, price: 5n, volume: 10n, tag: TEE, datasetRestrict: 0n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry } },
      dataset: { signer: datasetOwner, order: { dataset: 1n, price: 3n, volume: 10n, tag: TEE, appRestrict: 1n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry } },
      workerpool: { signer: poolOwner, order: { workerpool: 1n, price: 10n, volume: 10n, tag: TEE, category: 1n, appRestrict: 0n, datasetRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry } },
      request: {
        signer: requester,
        order: {
          app: 1n, appMaxPrice: 5n, dataset: 1n, datasetMaxPrice: 3n, workerpool: 0n, workerpoolMaxPrice: 10n,
          requester: requester.address, volume: 2n, tag: TEE, category: 1n, trust: 0n, beneficiary: beneficiary.address,
          resultPublicKey: salt(), params: '{"window":"24h"}', salt: salt(), expiry,
        },
      },
    };
    const hashes: Partial<Record<OrderKind, string>> = {};
    for (const kind of ["app", "dataset", "workerpool", "request"] as const) {
      const { order, signer } = orders[kind];
      const body = publishBodyOf(kind, order as never, await signOrder(kind, signer, domain, order as never));
      const response = kind === "request" ? await post("/requests", body) : await post(`/orders/${kind}`, body);
      expect(response.status, JSON.stringify(response.json)).to.equal(201);
      hashes[kind] = response.json.hash;
    }

    // On-chain: the matcher sent matchOrders for these four orders.
    const dealCreated = await eventually("DealCreated on-chain", async () => {
      const events = await continuum.queryFilter(continuum.filters.DealCreated());
      return events.find((event) => (event as any).args.workerpoolOrderHash.toLowerCase() === hashes.workerpool);
    }, 30_000);
    const args = (dealCreated as any).args;
    expect(args.appOrderHash.toLowerCase()).to.equal(hashes.app);
    expect(args.datasetOrderHash.toLowerCase()).to.equal(hashes.dataset);
    expect(args.deal.requestHash.toLowerCase()).to.equal(hashes.request);
    expect(args.deal.volume).to.equal(2n);

    // In the API: the indexer saw the deal and took the consumed request out of the book.
    const request = await eventually("the request to leave the book", async () => {
      const { json } = await get(`/orders/request/${hashes.request}`);
      return json.status === "removed" ? json : undefined;
    }, 30_000);
    expect(request.removedReason).to.equal("consumed");
    const workerpool = await get(`/orders/workerpool/${hashes.workerpool}`);
    expect(workerpool.json).to.include({ status: "open", remaining: "8" });
    const status = await eventually("the request's deal in GET /requests/{hash}", async () => {
      const { json } = await get(`/requests/${hashes.request}`);
      return json.deals?.length === 1 ? json : undefined;
    }, 30_000);
    expect(status.deals[0].dealId).to.equal(args.dealId);
    const deals = await get(`/deals?requester=${requester.address}`);
    expect(deals.json.items.map((deal: { dealId: string }) => deal.dealId)).to.deep.equal([args.dealId]);
    expect(deals.json.items[0].transactionHash).to.equal(dealCreated.transactionHash);
    const open = await get("/orders/request");
    expect(open.json.items.map((item: { hash: string }) => item.hash)).not.to.include(hashes.request);
  });

  it("answers a client's mistake with a 4xx and the error format, never a 500", async () => {
    const malformed = await fetch(`${api}/orders/app`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(malformed.status).to.equal(400);
    expect(((await malformed.json()) as any).error.code).to.equal("MALFORMED_JSON");
    const unknownKind = await post("/orders/banana", {});
    expect(unknownKind.status).to.be.within(400, 499);
    expect(unknownKind.json.error.code).to.be.a("string").and.match(/^[A-Z_]+$/);
    expect(unknownKind.json.error.message).to.be.a("string").that.is.not.empty;
    const missing = await get(`/orders/app/0x${"ab".repeat(32)}`);
    expect(missing.status).to.equal(404);
  });

  it("documents every code of the market's and the SMS's tables on an operation of their documents", async () => {
    for (const base of [devnet.market.url, devnet.endpoints.smsUrl]) {
      const document = (await sendRaw(`${base}/openapi.json`, "GET")).json as DocumentWithErrors;
      expectEveryCodeDocumented(document);
    }
  });

  it("serves the signing parameters on GET /v1/info and a zero escrow for an account nothing moved", async () => {
    const info = await get("/info");
    expect(info.json).to.deep.include({ chainId: devnet.deployment.chainId });
    expect(info.json.contracts.continuum).to.equal(devnet.deployment.continuum);
    expect(info.json.eip712.domain).to.deep.equal({ name: "Continuum", version: "1", chainId: Number(devnet.deployment.chainId), verifyingContract: devnet.deployment.continuum });
    const nobody = `0x${"0b".repeat(20)}`;
    expect((await get(`/accounts/${nobody}/escrow`)).json).to.include({ balance: "0", locked: "0", blockNumber: null });
  });

  it("answers oversized headers with 431 HEADERS_TOO_LARGE in the error format on the market and the SMS", async () => {
    for (const base of [devnet.market.url, devnet.endpoints.smsUrl]) {
      const answer = await sendRaw(`${base}/health`, "GET", { "x-padding": "a".repeat(32_768) });
      expectErrorShape(answer, 431, "HEADERS_TOO_LARGE", base);
    }
  });
});
