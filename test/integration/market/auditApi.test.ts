// Specification of the audit and request-status routes over real HTTP, on a ledger the indexer
// built from a real scenario on the Hardhat network: records equal the chain's facts, every list
// pages through without duplicates, each bad input gets its 4xx code, and OpenAPI covers them.
import { expect } from "chai";
import { Wallet, type Log } from "ethers";
import type { Express } from "express";
import type { DataSource } from "typeorm";
import { bookEntities, bookMigrations, type OrderBook } from "../../../src/market/book/index.ts";
import { encodeCursor, type HttpServer } from "../../../src/http/index.ts";
import { createAuditRoutes } from "../../../src/market/routes/audit.ts";
import { createTaskAttestationRoutes } from "../../../src/market/routes/taskAttestation.ts";
import { TaskAttestations } from "../../../src/market/attestation/TaskAttestations.ts";
import { GatewayContentReader } from "../../../src/storage/GatewayContentReader.ts";
import { createOrderRoutes } from "../../../src/market/routes/orders.ts";
import { createRequestStatusRoutes } from "../../../src/market/routes/requestStatus.ts";
import type { RequestStatusJson } from "../../../src/wire/marketApi/requestStatus.ts";
import { orderDigest } from "../../../src/wire/eip712/index.ts";
import {
  Ledger,
  type ClaimRecord,
  type DealRecord,
  type EscrowAccountRecord,
  type PaymentRecord,
  type ReputationRecord,
  type TaskRecord,
} from "../../../src/persistence/ledger/index.ts";
import { requestOrder } from "../../helpers/protocolFixture.ts";
import { expectRoutesDocumented } from "../../helpers/openApiCoverage.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { loadScenario, type Scenario } from "../indexer/support/scenario.ts";
import { marketFor, serveMarketApp, signedBody } from "./marketFixture.ts";

type ErrorBody = { error: { code: string; message: string } };
type PageBody<T> = { items: T[]; nextCursor: string | null };

describe("market audit and request-status routes", function () {
  let scenario: Scenario;
  let db: DataSource;
  let book: OrderBook;
  let app: Express;
  let server: HttpServer;

  before(async function () {
    scenario = await loadScenario();
    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget(), { entities: bookEntities, migrations: bookMigrations });
    await newIndexer(scenario.f, db).indexer.catchUp();
    const ledger = new Ledger(db);
    const market = marketFor(scenario.f, db);
    book = market.book;
    ({ app, server } = await serveMarketApp({
      // The order routes alongside, to prove GET /requests/{hash} and POST /requests live together.
      modules: [
        createOrderRoutes(market),
        createAuditRoutes(ledger),
        createRequestStatusRoutes(ledger, { book }),
        // A gateway nobody listens on: what IPFS holds is out of reach, the ledger's answers are not.
        createTaskAttestationRoutes(new TaskAttestations(ledger, new GatewayContentReader({ gatewayUrl: "http://127.0.0.1:9", timeoutMs: 2_000 }))),
      ],
    }));
  });

  after(async function () {
    await server?.close();
    await db?.destroy();
  });

  async function get<T>(path: string): Promise<T> {
    const response = await fetch(`${server.url}/v1${path}`);
    const body = await response.json();
    expect(response.status, `GET ${path}: ${JSON.stringify(body)}`).to.equal(200);
    return body as T;
  }

  async function refusal(path: string, status: number, code: string): Promise<void> {
    const response = await fetch(`${server.url}/v1${path}`);
    const body = (await response.json()) as ErrorBody;
    expect({ status: response.status, code: body.error?.code }, `GET ${path}: ${body.error?.message}`).to.deep.equal({ status, code });
    expect(body.error.message.length, "a message a person can act on").to.be.greaterThan(15);
  }

  /** Every item of a list, following nextCursor page after page. */
  async function walk<T>(path: string, limit: number): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page: PageBody<T> = await get<PageBody<T>>(`${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).to.be.at.most(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    return { items, pages };
  }

  /** The protocol logs named `name` the chain holds, decoded. */
  async function chainEvents(name: string): Promise<{ log: Log; args: Record<string, unknown> }[]> {
    const { continuum } = scenario.f;
    const logs = await continuum.queryFilter(continuum.getEvent(name as never), scenario.f.deployment.deployBlock);
    return logs.map((log) => ({ log, args: continuum.interface.parseLog(log)!.args.toObject() }));
  }

  const scenarioDeals = () => [scenario.completed, scenario.mixed, scenario.claimed, scenario.partialFirst, scenario.partialSecond, scenario.unstaked];
  const key = (record: { transactionHash: string; logIndex: number }) => `${record.transactionHash}:${record.logIndex}`;

  describe("GET /v1/deals", function () {
    it("walks every deal, newest first, each proven by its DealCreated log", async function () {
      const { items, pages } = await walk<DealRecord>("/deals", 4);
      expect(pages).to.equal(2);
      expect(items.map((deal) => deal.dealId)).to.have.members(scenarioDeals().map((deal) => deal.dealId.toLowerCase()));
      expect(new Set(items.map(key)).size).to.equal(items.length);
      const blocks = items.map((deal) => deal.blockNumber);
      expect(blocks).to.deep.equal([...blocks].sort((a, b) => b - a));

      const created = await chainEvents("DealCreated");
      expect(created).to.have.length(items.length);
      for (const deal of items) {
        const proof = created.find(({ args }) => String(args.dealId).toLowerCase() === deal.dealId);
        expect(proof, `DealCreated of ${deal.dealId}`).to.not.equal(undefined);
        expect({ block: proof!.log.blockNumber, tx: proof!.log.transactionHash, index: proof!.log.index }).to.deep.equal({
          block: deal.blockNumber,
          tx: deal.transactionHash,
          index: deal.logIndex,
        });
      }
    });

    it("pages oldest first with order=asc, one deal a page", async function () {
      const descending = (await walk<DealRecord>("/deals", 500)).items;
      const ascending = await walk<DealRecord>("/deals?order=asc", 1);
      expect(ascending.pages).to.equal(descending.length);
      expect(ascending.items).to.deep.equal([...descending].reverse());
    });

    it("carries the deal's terms as the chain emitted them, bigints as decimal strings", async function () {
      const { deal, dealId } = scenario.partialSecond;
      const record = await get<DealRecord>(`/deals/${dealId}`);
      expect(record).to.deep.include({
        dealId: dealId.toLowerCase(),
        app: deal.app.toString(),
        dataset: deal.dataset.toString(),
        workerpool: deal.workerpool.toString(),
        requester: deal.requester,
        volume: deal.volume.toString(),
        workerpoolPrice: deal.workerpoolPrice.toString(),
        requestHash: scenario.partialSecond.requestHash.toLowerCase(),
        requestOffset: "2",
        status: "open",
      });
      expect(await get<DealRecord>(`/deals/${dealId.toUpperCase().replace("0X", "0x")}`)).to.deep.equal(record);
    });

    it("filters by party, requester, asset and time range", async function () {
      const ids = async (query: string) => (await walk<DealRecord>(`/deals?${query}`, 500)).items.map((deal) => deal.dealId).sort();
      const idsOf = (...deals: { dealId: string }[]) => deals.map((deal) => deal.dealId.toLowerCase()).sort();
      const { f } = scenario;
      expect(await ids(`requester=${f.requester.address}`)).to.deep.equal(idsOf(...scenarioDeals()));
      expect(await ids(`requester=${f.stranger.address.toLowerCase()}`)).to.deep.equal([]);
      expect(await ids(`address=${f.stranger.address}`), "owner of workerpool 2").to.deep.equal(idsOf(scenario.claimed));
      expect(await ids(`workerpool=2`)).to.deep.equal(idsOf(scenario.claimed));
      expect(await ids(`dataset=0`)).to.deep.equal(idsOf(scenario.mixed, scenario.unstaked));
      expect(await ids(`app=0x1&dataset=1&workerpool=1`)).to.deep.equal(
        idsOf(scenario.completed, scenario.partialFirst, scenario.partialSecond),
      );

      const unstaked = await get<DealRecord>(`/deals/${scenario.unstaked.dealId}`);
      const seconds = Date.parse(unstaked.blockTime) / 1_000;
      expect(await ids(`from=${encodeURIComponent(unstaked.blockTime)}`)).to.deep.equal(idsOf(scenario.unstaked));
      expect(await ids(`to=${seconds}`)).to.deep.equal(idsOf(...scenarioDeals().filter((deal) => deal !== scenario.unstaked)));
      expect(await ids(`from=${seconds - 1}&to=${seconds + 1}&requester=${f.requester.address}`)).to.deep.equal(idsOf(scenario.unstaked));
    });

    it("404 DEAL_NOT_FOUND for a deal the chain never made, 400 INVALID_DEAL_ID for a malformed id", async function () {
      await refusal(`/deals/0x${"ab".repeat(32)}`, 404, "DEAL_NOT_FOUND");
      await refusal(`/deals/0x${"ab".repeat(32)}/tasks`, 404, "DEAL_NOT_FOUND");
      await refusal(`/deals/0x1234`, 400, "INVALID_DEAL_ID");
      await refusal(`/deals/${"ab".repeat(32)}/tasks`, 400, "INVALID_DEAL_ID");
    });
  });

  describe("GET /v1/deals/{dealId}/tasks", function () {
    it("lists every task by index with the result CID the chain recorded", async function () {
      const { dealId } = scenario.completed;
      const { items, pages } = await walk<TaskRecord>(`/deals/${dealId}/tasks`, 1);
      expect(pages).to.equal(3);
      expect(items.map((task) => [task.index, task.status])).to.deep.equal([["0", "completed"], ["1", "completed"], ["2", "completed"]]);
      const pushed = (await chainEvents("ResultPushed")).filter(({ args }) => String(args.dealId) === dealId);
      for (const task of items) {
        const proof = pushed.find(({ args }) => String(args.index) === task.index)!;
        expect(task).to.include({
          taskId: String(proof.args.taskId),
          resultCid: String(proof.args.resultCid),
          worker: String(proof.args.worker),
          transactionHash: proof.log.transactionHash,
          blockNumber: proof.log.blockNumber,
        });
      }
    });

    it("shows pending tasks proven by their deal", async function () {
      const deal = await get<DealRecord>(`/deals/${scenario.partialSecond.dealId}`);
      const tasks = (await get<PageBody<TaskRecord>>(`/deals/${deal.dealId}/tasks`)).items;
      expect(tasks.map((task) => task.status)).to.deep.equal(["pending", "pending", "pending"]);
      for (const task of tasks) expect(task).to.include({ transactionHash: deal.transactionHash, resultCid: null });
    });
  });

  describe("GET /v1/tasks and /v1/claims", function () {
    it("lists finalized tasks, each matching its ResultPushed or TaskClaimed log", async function () {
      const { items } = await walk<TaskRecord>("/tasks", 2);
      const logs = [...(await chainEvents("ResultPushed")), ...(await chainEvents("TaskClaimed"))];
      expect(items).to.have.length(logs.length);
      expect(new Set(items.map(key)).size).to.equal(items.length);
      expect(items.map(key).sort()).to.deep.equal(logs.map(({ log }) => `${log.transactionHash}:${log.index}`).sort());
      const claimed = (await walk<TaskRecord>("/tasks?status=claimed", 500)).items;
      expect(claimed.map((task) => `${task.dealId}:${task.index}`).sort()).to.deep.equal(
        [`${scenario.mixed.dealId}:1`, `${scenario.claimed.dealId}:0`, `${scenario.claimed.dealId}:1`].map((id) => id.toLowerCase()).sort(),
      );
      const ofDeal = (await walk<TaskRecord>(`/tasks?deal=${scenario.mixed.dealId}&order=asc`, 500)).items;
      expect(ofDeal.map((task) => task.status)).to.deep.equal(["completed", "claimed"]);
    });

    it("lists claims with the refund and slashed stake the deal's terms imply", async function () {
      const { items, pages } = await walk<ClaimRecord>("/claims", 1);
      expect(pages).to.equal(3);
      const claimedLogs = await chainEvents("TaskClaimed");
      expect(items.map(key).sort()).to.deep.equal(claimedLogs.map(({ log }) => `${log.transactionHash}:${log.index}`).sort());
      const { deal } = scenario.claimed;
      const ofClaimedDeal = (await walk<ClaimRecord>(`/claims?workerpool=2`, 500)).items;
      expect(ofClaimedDeal).to.have.length(2);
      for (const claim of ofClaimedDeal) {
        expect(claim).to.include({
          refunded: (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice).toString(),
          slashed: deal.stakePerTask.toString(),
          workerpoolOwner: scenario.f.stranger.address,
        });
      }
    });
  });

  describe("GET /v1/payments", function () {
    it("walks every movement once, and deposits equal the chain's Deposited logs", async function () {
      const { items, pages } = await walk<PaymentRecord>("/payments", 5);
      expect(pages).to.equal(Math.ceil(items.length / 5));
      expect(new Set(items.map((payment) => `${key(payment)}:${payment.seq}`)).size).to.equal(items.length);
      expect(items).to.have.length(44);

      const deposits = (await walk<PaymentRecord>("/payments?kind=deposit&order=asc", 500)).items;
      const logs = await chainEvents("Deposited");
      expect(deposits.map((payment) => [payment.transactionHash, payment.to, payment.amount])).to.deep.equal(
        logs.map(({ log, args }) => [log.transactionHash, args.account, String(args.amount)]),
      );
    });

    it("filters by deal, party and kind", async function () {
      const { f } = scenario;
      const ofDeal = (await walk<PaymentRecord>(`/payments?deal=${scenario.mixed.dealId}&order=asc`, 500)).items;
      expect(ofDeal.map((payment) => payment.kind)).to.include.members(["lock", "stake_lock", "refund", "slash"]);
      for (const payment of ofDeal) expect(payment.dealId).to.equal(scenario.mixed.dealId.toLowerCase());
      const stranger = (await walk<PaymentRecord>(`/payments?address=${f.stranger.address}`, 500)).items;
      for (const payment of stranger) expect([payment.from, payment.to]).to.include(f.stranger.address);
      const all = (await walk<PaymentRecord>("/payments", 500)).items;
      const ofRequester = (await walk<PaymentRecord>(`/payments?requester=${f.requester.address}`, 500)).items;
      expect(ofRequester, "every deal's movements").to.deep.equal(all.filter((payment) => payment.dealId !== null));
      expect((await walk<PaymentRecord>(`/payments?requester=${f.stranger.address}`, 500)).items).to.deep.equal([]);
      const withdrawals = (await walk<PaymentRecord>(`/payments?kind=withdraw`, 500)).items;
      expect(withdrawals.map((payment) => [payment.from, payment.amount]).sort()).to.deep.equal(
        [[f.poolOwner.address, "7"], [f.requester.address, "11"]].sort(),
      );
    });
  });

  describe("reputation and escrow", function () {
    it("answers a workerpool's reputation as the contract holds it", async function () {
      for (const pool of [1n, 2n]) {
        const [completed, failed, score] = await scenario.f.continuum.reputationOf(pool);
        expect(await get<ReputationRecord>(`/workerpools/${pool}/reputation`)).to.include({
          workerpool: pool.toString(),
          completed: completed.toString(),
          failed: failed.toString(),
          score: score.toString(),
        });
      }
      await refusal("/workerpools/99/reputation", 404, "WORKERPOOL_NOT_FOUND");
      await refusal("/workerpools/pool-1/reputation", 400, "INVALID_ASSET_ID");
    });

    it("answers an escrow account as the contract holds it, and one nothing ever moved as zero with no proof", async function () {
      const { f } = scenario;
      for (const signer of [f.requester, f.poolOwner, f.stranger]) {
        const account = await get<EscrowAccountRecord>(`/accounts/${signer.address.toLowerCase()}/escrow`);
        expect(account).to.include({
          address: signer.address,
          balance: (await f.continuum.balanceOf(signer.address)).toString(),
          locked: (await f.continuum.lockedOf(signer.address)).toString(),
        });
        expect(account.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      }
      const fresh = Wallet.createRandom().address;
      expect(await get(`/accounts/${fresh.toLowerCase()}/escrow`)).to.deep.equal({
        address: fresh,
        balance: "0",
        locked: "0",
        blockNumber: null,
        blockTime: null,
        transactionHash: null,
      });
      await refusal("/accounts/0x1234/escrow", 400, "INVALID_ADDRESS");
    });
  });

  describe("GET /v1/requests/{hash}", function () {
    it("follows a request filled by two deals: consumed volume, tasks, result CIDs and payments", async function () {
      const hash = scenario.partialFirst.requestHash;
      const status = await get<RequestStatusJson>(`/requests/${hash}`);
      expect(BigInt(status.matchedVolume)).to.equal(await scenario.f.continuum.consumed(hash));
      expect(status).to.deep.include({ requestHash: hash.toLowerCase(), status: "running", cancelled: false, book: null });
      expect(status.taskCounts).to.deep.equal({ total: "5", completed: "1", failed: "0", claimed: "0", pending: "4" });
      expect(status.deals.map((deal) => deal.dealId)).to.deep.equal(
        [scenario.partialFirst.dealId, scenario.partialSecond.dealId].map((id) => id.toLowerCase()),
      );
      const [first] = status.deals;
      const pushed = (await chainEvents("ResultPushed")).find(({ args }) => String(args.dealId) === scenario.partialFirst.dealId)!;
      expect(first.tasks[0]).to.include({ status: "completed", resultCid: String(pushed.args.resultCid) });
      expect(first.tasks[1]).to.include({ status: "pending", resultCid: null });
      const payments = (await walk<PaymentRecord>(`/payments?deal=${first.dealId}&order=asc`, 500)).items;
      expect(status.payments.filter((payment) => payment.dealId === first.dealId)).to.deep.equal(payments);
      expect(status.paymentsTruncated).to.equal(false);
    });

    it("tells completed, settled, approved-only and cancelled requests apart", async function () {
      const state = async (hash: string) => (await get<RequestStatusJson>(`/requests/${hash}`)).status;
      expect(await state(scenario.completed.requestHash)).to.equal("completed");
      expect(await state(scenario.claimed.requestHash)).to.equal("settled");
      expect(await state(scenario.openRequestHash)).to.equal("open");
      const cancelled = await get<RequestStatusJson>(`/requests/${scenario.cancelledRequestHash}`);
      expect(cancelled).to.deep.include({ status: "cancelled", cancelled: true, deals: [] });
      expect(cancelled.blockNumber).to.be.a("number");
    });

    it("reports a request published to the book but unseen on-chain as open, without chain proof", async function () {
      const { f } = scenario;
      const order = await requestOrder(f, { volume: 2n });
      const published = await fetch(`${server.url}/v1/requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(await signedBody(f, "request", order)),
      });
      expect(published.status).to.equal(201);
      const hash = orderDigest("request", f.domain, order);
      const status = await get<RequestStatusJson>(`/requests/${hash}`);
      expect(status).to.deep.include({ requestHash: hash, requester: f.requester.address, status: "open", deals: [], blockNumber: null });
      expect(status.book).to.include({ status: "open", remaining: "2", removedReason: null });
    });

    it("404 REQUEST_NOT_FOUND for a request nobody saw, 400 INVALID_ORDER_HASH for a malformed hash", async function () {
      await refusal(`/requests/0x${"cd".repeat(32)}`, 404, "REQUEST_NOT_FOUND");
      await refusal("/requests/0xcd", 400, "INVALID_ORDER_HASH");
      await refusal(`/requests/0x${"zz".repeat(32)}`, 400, "INVALID_ORDER_HASH");
    });
  });

  describe("bad input", function () {
    const cases: [string, string][] = [
      ["/deals?address=0x1234", "INVALID_ADDRESS"],
      ["/deals?requester=0x8626F6940E2eb28930eFb4CeF49B2d1F2C9C1199", "INVALID_ADDRESS"],
      ["/accounts/0x8626F6940E2eb28930eFb4CeF49B2d1F2C9C1199/escrow", "INVALID_ADDRESS"],
      ["/deals?address=0x8626f6940e2eb28930efb4cef49b2d1f2c9c1199&address=0x8626f6940e2eb28930efb4cef49b2d1f2c9c1199", "INVALID_ADDRESS"],
      ["/payments?address=nobody", "INVALID_ADDRESS"],
      ["/tasks?deal=0x12", "INVALID_DEAL_ID"],
      ["/claims?deal=deal-1", "INVALID_DEAL_ID"],
      ["/deals?app=-1", "INVALID_ASSET_ID"],
      ["/payments?workerpool=one", "INVALID_ASSET_ID"],
      ["/deals?from=yesterday", "INVALID_TIME_RANGE"],
      ["/tasks?to=2026-13-45T00:00:00Z", "INVALID_TIME_RANGE"],
      ["/payments?from=2000&to=1000", "INVALID_TIME_RANGE"],
      ["/claims?from=1000&to=1000", "INVALID_TIME_RANGE"],
      ["/deals?cursor=not-a-cursor", "INVALID_CURSOR"],
      [`/deals?cursor=${encodeCursor([1, 2, 3])}`, "INVALID_CURSOR"],
      [`/payments?cursor=${encodeCursor([1, 2])}`, "INVALID_CURSOR"],
      [`/tasks?cursor=${encodeCursor([-1, 0])}`, "INVALID_CURSOR"],
      [`/claims?cursor=${encodeCursor([1, 2 ** 40])}`, "INVALID_CURSOR"],
      [`/payments?cursor=${encodeCursor([1, 2, 40_000])}`, "INVALID_CURSOR"],
      [`/deals?cursor=${encodeCursor(["1", 2])}`, "INVALID_CURSOR"],
      [`/deals/${"0x" + "ab".repeat(32)}/tasks?cursor=${encodeCursor([5])}`, "INVALID_CURSOR"],
      ["/deals?limit=0", "INVALID_LIMIT"],
      ["/payments?limit=501", "INVALID_LIMIT"],
      ["/claims?limit=ten", "INVALID_LIMIT"],
      ["/deals?sort=price", "INVALID_QUERY"],
      ["/deals?order=up", "INVALID_QUERY"],
      ["/payments?kind=bribe", "INVALID_QUERY"],
      ["/tasks?status=running", "INVALID_QUERY"],
      ["/deals?kind=deposit", "INVALID_QUERY"],
    ];
    for (const [path, code] of cases) {
      it(`400 ${code} for GET /v1${path}`, async function () {
        await refusal(path, 400, code);
      });
    }
  });

  it("answers a task's attestation request with the reason there is none: unknown deal or task, no result yet, IPFS out of reach", async function () {
    const unknownDeal = `0x${"ab".repeat(32)}`;
    await refusal(`/deals/${unknownDeal}/tasks/0/attestation`, 404, "DEAL_NOT_FOUND");
    await refusal(`/deals/${scenario.completed.dealId}/tasks/3/attestation`, 404, "TASK_NOT_FOUND");
    await refusal(`/deals/${scenario.completed.dealId}/tasks/x/attestation`, 400, "INVALID_TASK_INDEX");
    await refusal(`/deals/0x12/tasks/0/attestation`, 400, "INVALID_DEAL_ID");
    await refusal(`/deals/${scenario.claimed.dealId}/tasks/0/attestation`, 409, "RESULT_NOT_READY");
    await refusal(`/deals/${scenario.completed.dealId}/tasks/0/attestation`, 503, "ATTESTATION_UNAVAILABLE");
  });

  it("documents every route it serves in /openapi.json", async function () {
    const served = await expectRoutesDocumented(app, server.url);
    expect(served).to.include.members([
      "GET /v1/deals",
      "GET /v1/requests/{hash}",
      "POST /v1/requests",
      "GET /v1/accounts/{address}/escrow",
      "GET /v1/deals/{dealId}/tasks/{index}/attestation",
    ]);
  });
});
