// Specification of the explorer web pages over real HTTP, on a ledger the indexer built from a
// real scenario on the Hardhat network: pages show the chain's records with labelled proofs, amounts
// in the token's unit and whole hashes, links page through every list, text registered on-chain
// stays text, and bad input gets an HTML page with the JSON API's status and code. A headless
// Chromium checks what the stylesheet promises: hashes on one line, short on screen, whole when copied.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { Wallet, hexlify, randomBytes, type Log } from "ethers";
import type { DataSource } from "typeorm";
import { chromium, type Browser } from "playwright-core";
import { readTokenUnit } from "../../../src/chain/tokenUnit.ts";
import { tokenQuantity, type TokenUnit } from "../../../src/core/tokenAmount.ts";
import { createExplorerRouter, explorerPages } from "../../../src/market/explorer/index.ts";
import { encodeCursor, type HttpServer } from "../../../src/http/index.ts";
import { createAuditRoutes } from "../../../src/market/routes/audit.ts";
import { Ledger, type PaymentRecord } from "../../../src/persistence/ledger/index.ts";
import { NO_TAG, appOrder, by, emptyDatasetOrder, requestOrder, workerpoolOrder } from "../../helpers/protocolFixture.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { loadScenario, match, wait, type MatchedDeal, type Scenario } from "../indexer/support/scenario.ts";
import { serveMarketApp } from "./marketFixture.ts";

const HOSTILE_POOL = `<script>alert("pool")</script> & 'friends'`;
const HOSTILE_APP = `<img src=x onerror=alert(1)>`;

/** The text a browser shows for `text` placed in the page by the explorer. */
function escaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function unescapeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The href of the link marked rel=`rel` in the page links of the list paged by `cursorParam`, or undefined. */
function linkOf(page: string, rel: string, cursorParam = "cursor"): string | undefined {
  const nav = page.split(`<nav class="pages" data-cursor="${cursorParam}">`)[1]?.split("</nav>")[0] ?? "";
  const found = new RegExp(`<a rel="${rel}" href="([^"]*)"`).exec(nav);
  return found ? unescapeAttribute(found[1]) : undefined;
}

/** The full values in title attributes of `<code>` elements of rows of class `rowClass`. */
function rowTitles(page: string, rowClass: string): string[][] {
  const rows = page.split(`<tr class="${rowClass}">`).slice(1).map((row) => row.split("</tr>")[0]);
  return rows.map((row) => [...row.matchAll(/<code class="[^"]*" title="([^"]*)"/g)].map((found) => found[1]));
}

/** How the explorer writes a hash, an address or a CID: the whole value as title and as text (in two spans when long). */
function hashMarkup(value: string, kind = "hash"): string {
  if (value.length <= 18) return `<code class="${kind}" title="${value}">${value}</code>`;
  return `<code class="${kind} clipped" title="${value}"><span class="head">${value.slice(0, -6)}</span><span class="tail">${value.slice(-6)}</span></code>`;
}

type MeasuredHash = { title: string; copied: string; lines: number; clipped: boolean; widthInChars: number };

/** Run in the page: each clipped hash of the deal list selected as a person would, and measured. */
const MEASURE_CLIPPED_HASHES = `[...document.querySelectorAll("table.deals code.clipped")].map((code) => {
  const head = code.querySelector(".head");
  const style = getComputedStyle(code);
  const range = document.createRange();
  range.selectNodeContents(code);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return {
    title: code.getAttribute("title"),
    copied: selection.toString(),
    lines: Math.round(code.getBoundingClientRect().height / parseFloat(style.lineHeight)),
    clipped: head.scrollWidth > head.clientWidth,
    widthInChars: code.getBoundingClientRect().width / (parseFloat(style.fontSize) * 0.6),
  };
})`;

describe("explorer web pages", function () {
  let scenario: Scenario;
  let hostile: MatchedDeal;
  let db: DataSource;
  let ledger: Ledger;
  let server: HttpServer;
  let token: TokenUnit;

  /** An amount as the explorer shows it: whole tokens and the unit, the base units in the title. */
  const amountMarkup = (raw: string | bigint) =>
    `<span class="amount" title="${raw} base units">${tokenQuantity(raw, token.decimals)} <span class="unit">${token.symbol}</span></span>`;

  before(async function () {
    scenario = await loadScenario();
    const { f } = scenario;
    // Text anyone can register on-chain, meant to run as script in an auditor's browser.
    await wait(f.pools.registerWorkerpool(f.poolOwner.address, HOSTILE_POOL));
    await wait(f.apps.registerApp(f.appOwner.address, HOSTILE_APP, "bafyhostile", hexlify(randomBytes(32)), hexlify(randomBytes(32))));
    hostile = await match(f, {
      app: await appOrder(f, { app: 2n, tag: NO_TAG }),
      dataset: emptyDatasetOrder(),
      workerpool: await workerpoolOrder(f, { workerpool: 3n, tag: NO_TAG }),
      request: await requestOrder(f, { app: 2n, tag: NO_TAG, dataset: 0n, datasetMaxPrice: 0n }),
    });

    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget());
    await newIndexer(f, db).indexer.catchUp();
    ledger = new Ledger(db);
    token = await readTokenUnit(f.ethers.provider, f.deployment.token);
    ({ server } = await serveMarketApp({ modules: [createAuditRoutes(ledger)], pages: [explorerPages(ledger, { token })] }));
  });

  after(async function () {
    await server?.close();
    await db?.destroy();
  });

  function expectHtml(response: Response): void {
    expect(response.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).to.contain("default-src 'none'");
    expect(policy).not.to.contain("script-src");
    expect(response.headers.get("x-content-type-options")).to.equal("nosniff");
  }

  async function page(path: string): Promise<string> {
    const response = await fetch(`${server.url}${path}`);
    const body = await response.text();
    expect(response.status, `GET ${path}: ${body.slice(0, 2_000)}`).to.equal(200);
    expectHtml(response);
    expect(body).to.match(/^<!doctype html>/);
    return body;
  }

  async function errorPage(path: string, status: number, code: string, init: RequestInit = {}): Promise<string> {
    const response = await fetch(`${server.url}${path}`, init);
    const body = await response.text();
    expect({ status: response.status, code: /<code class="error-code">([^<]*)<\/code>/.exec(body)?.[1] }, `${path}: ${body}`).to.deep.equal({
      status,
      code,
    });
    expectHtml(response);
    expect(/<p class="error-message">([^<]*)<\/p>/.exec(body)?.[1]?.length, "a message a person can act on").to.be.greaterThan(15);
    return body;
  }

  /** Every page of a list, following its "next page" links from `path`. */
  async function walk(path: string, cursorParam = "cursor"): Promise<string[]> {
    const pages: string[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const body = await page(next);
      pages.push(body);
      next = linkOf(body, "next", cursorParam);
      expect(pages.length, "a list that ends").to.be.below(50);
    }
    return pages;
  }

  async function chainEvents(name: string): Promise<{ log: Log; args: Record<string, unknown> }[]> {
    const { continuum } = scenario.f;
    const logs = await continuum.queryFilter(continuum.getEvent(name as never), scenario.f.deployment.deployBlock);
    return logs.map((log) => ({ log, args: continuum.interface.parseLog(log)!.args.toObject() }));
  }

  const allDeals = () => [
    scenario.completed,
    scenario.mixed,
    scenario.claimed,
    scenario.partialFirst,
    scenario.partialSecond,
    scenario.unstaked,
    hostile,
  ];
  const idsOf = (...deals: { dealId: string }[]) => deals.map((deal) => deal.dealId.toLowerCase()).sort();
  /** Deal ids of the deal rows of a page (the first code title of each row). */
  const dealIdsOn = (body: string) => rowTitles(body, "deal").map((titles) => titles[0]);

  describe("GET /explorer", function () {
    it("lists every deal newest first, each row with the labelled block and transaction of its DealCreated log", async function () {
      const body = await page("/explorer");
      const created = await chainEvents("DealCreated");
      const rows = rowTitles(body, "deal");
      expect(rows.map((titles) => titles[0])).to.deep.equal(
        [...created].sort((a, b) => b.log.blockNumber - a.log.blockNumber || b.log.index - a.log.index).map(({ args }) => String(args.dealId).toLowerCase()),
      );
      for (const { log, args } of created) {
        const row = rows.find((titles) => titles[0] === String(args.dealId).toLowerCase())!;
        expect(row, "the proving transaction").to.include(log.transactionHash);
        const block = await scenario.f.ethers.provider.getBlock(log.blockNumber);
        const blockTime = new Date(block!.timestamp * 1_000).toISOString();
        expect(body).to.contain(
          `<td><span class="proof">block <span class="proof-block" title="${blockTime}">${log.blockNumber}</span>, tx ${hashMarkup(log.transactionHash)}</span></td>`,
        );
      }
      expect(body).to.contain("<th>Proof</th>");
      const { deal } = scenario.completed;
      const perTask = (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice).toString();
      expect(token).to.deep.equal({ symbol: "CTD", decimals: 18 });
      expect(body).to.contain(amountMarkup(perTask));
      expect(body).to.contain(`${tokenQuantity(perTask, 18)} <span class="unit">CTD</span>`);
    });

    it("pages through every deal once with the next-page links, and offers the first page again", async function () {
      const pages = await walk("/explorer?limit=3");
      expect(pages).to.have.length(3);
      const ids = pages.flatMap(dealIdsOn);
      expect(ids).to.have.length(allDeals().length);
      expect([...ids].sort()).to.deep.equal(idsOf(...allDeals()));
      expect(linkOf(pages[0], "first")).to.equal(undefined);
      expect(linkOf(pages[2], "first")).to.equal("/explorer?limit=3");

      const oldestFirst = (await walk("/explorer?limit=2&order=asc")).flatMap(dealIdsOn);
      expect(oldestFirst).to.deep.equal([...ids].reverse());
    });

    it("filters by address, workerpool, app, dataset and time range, keeping the filters in the form and the links", async function () {
      const { f } = scenario;
      const ids = async (query: string) => (await walk(`/explorer?${query}`)).flatMap(dealIdsOn).sort();
      expect(await ids(`workerpool=2`)).to.deep.equal(idsOf(scenario.claimed));
      expect(await ids(`address=${f.stranger.address}`)).to.deep.equal(idsOf(scenario.claimed));
      expect(await ids(`app=2`)).to.deep.equal(idsOf(hostile));
      expect(await ids(`dataset=0`)).to.deep.equal(idsOf(scenario.mixed, scenario.unstaked, hostile));
      expect(await ids(`app=1&dataset=1&workerpool=1&limit=1`)).to.deep.equal(idsOf(scenario.completed, scenario.partialFirst, scenario.partialSecond));

      const [newest] = (await ledger.deals({}, { limit: 1, order: "desc" })).items;
      const seconds = Date.parse(newest.blockTime) / 1_000;
      expect(await ids(`from=${encodeURIComponent(newest.blockTime)}`)).to.deep.equal([newest.dealId]);
      expect(await ids(`to=${seconds}`)).to.deep.equal(idsOf(...allDeals()).filter((id) => id !== newest.dealId));

      const body = await page(`/explorer?workerpool=1&from=${seconds - 100_000}`);
      expect(body).to.contain(`name="workerpool" value="1"`);
      expect(body).to.contain(`name="from" value="${seconds - 100_000}"`);
    });

    it("treats the empty fields a submitted form sends as no filter", async function () {
      const body = await page("/explorer?address=&workerpool=&app=&dataset=&from=&to=&order=desc");
      expect(dealIdsOn(body).sort()).to.deep.equal(idsOf(...allDeals()));
    });
  });

  describe("GET /explorer/deals/:dealId", function () {
    it("shows the deal's parties, prices, volume, deadline and status, and its tasks with the chain's result CIDs", async function () {
      const { dealId, deal } = scenario.completed;
      const body = await page(`/explorer/deals/${dealId}`);
      expect(body).to.contain(`<h1>Deal <code>${dealId.toLowerCase()}</code></h1>`);
      for (const party of [deal.requester, deal.beneficiary, deal.appOwner, deal.datasetOwner, deal.workerpoolOwner]) {
        expect(body).to.contain(`href="/explorer/accounts/${party}"`);
      }
      expect(body).to.contain(amountMarkup(deal.appPrice));
      const locked = ((deal.appPrice + deal.datasetPrice + deal.workerpoolPrice) * deal.volume).toString();
      expect(body).to.contain(`title="${locked} base units"`);
      expect(body).to.contain(`<tr><th>Volume</th><td>3</td></tr>`);
      expect(body).to.contain(new Date(Number(deal.deadline) * 1_000).toISOString());
      expect(body).to.contain(`<span class="status status-completed">completed</span>`);
      expect(body).to.contain(`<span class="asset-label">ward-stats</span>`);
      expect(body).to.contain(`<span class="asset-label">city pool, now with GPUs</span>`);
      const record = (await ledger.deal(dealId))!;
      expect(body).to.contain(
        `<tr><th>Proof</th><td><span class="proof">block <span class="proof-block" title="${record.blockTime}">${record.blockNumber}</span>, tx ${hashMarkup(record.transactionHash)}</span></td></tr>`,
      );

      const pushed = (await chainEvents("ResultPushed")).filter(({ args }) => String(args.dealId) === dealId);
      expect(pushed).to.have.length(3);
      for (const { log, args } of pushed) {
        expect(body).to.contain(hashMarkup(String(args.resultCid), "cid"));
        const row = rowTitles(body, "task").find((titles) => titles.includes(String(args.taskId)))!;
        expect(row, `task ${String(args.index)}`).to.include(log.transactionHash);
      }
    });

    it("lists the deal's payments, each with its amount and proving transaction", async function () {
      const { dealId } = scenario.mixed;
      const payments: PaymentRecord[] = (await ledger.payments({ deal: dealId }, { limit: 500, order: "asc" })).items;
      expect(payments.map((payment) => payment.kind)).to.include.members(["lock", "refund", "slash"]);
      const body = await page(`/explorer/deals/${dealId}`);
      const rows = body.split(`<tr class="payment">`).slice(1);
      expect(rows).to.have.length(payments.length);
      payments.forEach((payment, i) => {
        expect(rows[i]).to.contain(`<td>${payment.kind}</td>`);
        expect(rows[i]).to.contain(`title="${payment.amount} base units"`);
        expect(rows[i]).to.contain(hashMarkup(payment.transactionHash));
      });
    });

    it("pages the tasks and the payments separately, each link keeping the other list's cursor", async function () {
      const { dealId } = scenario.completed;
      const taskPages = await walk(`/explorer/deals/${dealId}?limit=1`, "tasksCursor");
      expect(taskPages.map((body) => rowTitles(body, "task").length)).to.deep.equal([1, 1, 1]);
      expect(taskPages.map((body) => /<tr class="task">\n<td><a href="[^"]+">(\d+)<\/a><\/td>/.exec(body)?.[1])).to.deep.equal(["0", "1", "2"]);

      const payments = (await ledger.payments({ deal: dealId }, { limit: 500, order: "asc" })).items;
      const paymentPages = await walk(`/explorer/deals/${dealId}?limit=1`, "paymentsCursor");
      expect(paymentPages).to.have.length(payments.length);
      const shown = paymentPages.map((body) => /<tr class="payment"><td>([a-z_]+)<\/td>/.exec(body)?.[1]);
      expect(shown).to.deep.equal(payments.map((payment) => payment.kind));

      const paymentsFromSecondTaskPage = linkOf(taskPages[1], "next", "paymentsCursor")!;
      expect(paymentsFromSecondTaskPage).to.match(/tasksCursor=/).and.match(/paymentsCursor=/);
      const combined = await page(paymentsFromSecondTaskPage);
      expect(/<tr class="task">\n<td><a href="[^"]+">(\d+)<\/a><\/td>/.exec(combined)?.[1]).to.equal("1");
      expect(linkOf(combined, "first", "paymentsCursor")).to.not.match(/paymentsCursor=/);
    });

    it("links each task to its page, which shows its enclave and result and says when no attestation can be shown", async function () {
      const { dealId } = scenario.completed;
      const body = await page(`/explorer/deals/${dealId}`);
      expect(body).to.contain(`<a href="/explorer/deals/${dealId}/tasks/2">2</a>`);
      const task = (await ledger.dealTasks(dealId, { limit: 1 }))!.items[0]!;
      const taskPage = await page(`/explorer/deals/${dealId}/tasks/0`);
      expect(taskPage).to.contain(`<code class="address">${task.enclave}</code>`);
      expect(taskPage).to.contain('<h2 id="attestation">Attestation</h2>');
      expect(taskPage).to.contain("attestations are not shown");
    });

    it("shows the pending tasks of a deal not yet finished, proven by the deal", async function () {
      const { dealId } = scenario.partialSecond;
      const deal = (await ledger.deal(dealId))!;
      const body = await page(`/explorer/deals/${dealId}`);
      const rows = rowTitles(body, "task");
      expect(rows).to.have.length(3);
      for (const row of rows) expect(row).to.include(deal.transactionHash);
      expect(body.match(/class="status status-pending"/g)).to.have.length(3);
    });
  });

  describe("GET /explorer/workerpools/:id", function () {
    it("shows completed, failed and score as the contract holds them, and the pool's deals", async function () {
      for (const [pool, deals] of [[1n, [scenario.completed, scenario.mixed, scenario.partialFirst, scenario.partialSecond, scenario.unstaked]], [2n, [scenario.claimed]]] as const) {
        const [completed, failed, score] = await scenario.f.continuum.reputationOf(pool);
        const body = await page(`/explorer/workerpools/${pool}`);
        expect(body).to.contain(`<tr><th>Completed tasks</th><td>${completed}</td></tr>`);
        expect(body).to.contain(`<tr><th>Failed tasks</th><td>${failed}</td></tr>`);
        expect(body).to.contain(`title="${score} basis points"`);
        expect(dealIdsOn(body).sort()).to.deep.equal(idsOf(...deals));
      }
      const pages = await walk("/explorer/workerpools/1?limit=2");
      expect(pages).to.have.length(3);
      expect(pages.flatMap(dealIdsOn)).to.have.length(5);
    });
  });

  describe("GET /explorer/accounts/:address", function () {
    it("shows the escrow balance and locked funds in token units, and the payments to and from the account", async function () {
      const { f } = scenario;
      for (const signer of [f.requester, f.poolOwner, f.stranger]) {
        const balance = (await f.continuum.balanceOf(signer.address)).toString();
        const locked = (await f.continuum.lockedOf(signer.address)).toString();
        const body = await page(`/explorer/accounts/${signer.address.toLowerCase()}`);
        expect(body).to.contain(`<tr><th>Escrow balance</th><td>${amountMarkup(balance)}</td></tr>`);
        expect(body).to.contain(`<tr><th>Locked</th><td>${amountMarkup(locked)}</td></tr>`);
      }
      const deposits = (await chainEvents("Deposited")).filter(({ args }) => [args.from, args.account].includes(f.stranger.address));
      const withdrawals = (await chainEvents("Withdrawn")).filter(({ args }) => args.account === f.stranger.address);
      const pages = await walk(`/explorer/accounts/${f.stranger.address}?limit=2`);
      const movements = (await ledger.payments({ address: f.stranger.address }, { limit: 500 })).items;
      expect(pages).to.have.length(Math.ceil(movements.length / 2));
      const text = pages.join("");
      expect(text.split(`<tr class="payment">`)).to.have.length(movements.length + 1);
      for (const { log } of [...deposits, ...withdrawals]) expect(text).to.contain(hashMarkup(log.transactionHash));
    });
  });

  describe("GET /explorer/requests/:hash", function () {
    it("follows a request filled by two deals: status, counts, deals and result CIDs", async function () {
      const body = await page(`/explorer/requests/${scenario.partialFirst.requestHash}`);
      expect(body).to.contain(`<span class="status status-running">running</span>`);
      expect(body).to.contain("1 completed, 0 failed, 0 claimed, 4 pending of 5");
      expect(dealIdsOn(body).sort()).to.deep.equal(idsOf(scenario.partialFirst, scenario.partialSecond));
      const pushed = (await chainEvents("ResultPushed")).find(({ args }) => String(args.dealId) === scenario.partialFirst.dealId)!;
      expect(body).to.contain(hashMarkup(String(pushed.args.resultCid), "cid"));
      expect(rowTitles(body, "task")).to.have.length(5);

      const cancelled = await page(`/explorer/requests/${scenario.cancelledRequestHash}`);
      expect(cancelled).to.contain(`<span class="status status-cancelled">cancelled</span>`);
    });
  });

  describe("text registered on-chain", function () {
    it("shows a workerpool description and an app name holding markup as text", async function () {
      const pool = await page("/explorer/workerpools/3");
      expect(pool).to.contain(escaped(HOSTILE_POOL));
      const deal = await page(`/explorer/deals/${hostile.dealId}`);
      expect(deal).to.contain(`<span class="asset-label">${escaped(HOSTILE_APP)}</span>`);
      expect(deal).to.contain(escaped(HOSTILE_POOL));
      for (const body of [pool, deal]) {
        expect(body).not.to.contain("<script");
        expect(body).not.to.contain("<img");
      }
    });

    it("escapes what a visitor puts in the query when the error page names it", async function () {
      const unknown = await errorPage(`/explorer?${encodeURIComponent('"><script>x</script>')}=1`, 400, "INVALID_QUERY");
      expect(unknown).not.to.contain("<script");
      expect(unknown).to.contain(escaped('"><script>x</script>'));
    });
  });

  describe("bad input", function () {
    // {deal}, {requester}, {request} and {stranger} stand for records of the scenario.
    const cases: [path: string, status: number, code: string][] = [
      ["/explorer?address=0x1234", 400, "INVALID_ADDRESS"],
      ["/explorer?address=0x8626F6940E2eb28930eFb4CeF49B2d1F2C9C1199", 400, "INVALID_ADDRESS"],
      ["/explorer?workerpool=one", 400, "INVALID_ASSET_ID"],
      ["/explorer?app=-1", 400, "INVALID_ASSET_ID"],
      ["/explorer?workerpool=1&workerpool=2", 400, "INVALID_ASSET_ID"],
      ["/explorer?from=yesterday", 400, "INVALID_TIME_RANGE"],
      ["/explorer?from=2000&to=1000", 400, "INVALID_TIME_RANGE"],
      ["/explorer?cursor=not-a-cursor", 400, "INVALID_CURSOR"],
      [`/explorer?cursor=${encodeCursor([1, 2, 3])}`, 400, "INVALID_CURSOR"],
      ["/explorer?limit=0", 400, "INVALID_LIMIT"],
      ["/explorer?limit=501", 400, "INVALID_LIMIT"],
      ["/explorer?sort=price", 400, "INVALID_QUERY"],
      ["/explorer?order=up", 400, "INVALID_QUERY"],
      ["/explorer/deals/0x1234", 400, "INVALID_DEAL_ID"],
      [`/explorer/deals/0x${"ab".repeat(32)}`, 404, "DEAL_NOT_FOUND"],
      [`/explorer/deals/{deal}?tasksCursor=${encodeCursor([1, 2])}`, 400, "INVALID_CURSOR"],
      [`/explorer/deals/{deal}?paymentsCursor=${encodeCursor([1, 2])}`, 400, "INVALID_CURSOR"],
      ["/explorer/deals/{deal}?cursor=x", 400, "INVALID_QUERY"],
      ["/explorer/deals/{deal}/tasks/3", 404, "TASK_NOT_FOUND"],
      ["/explorer/deals/{deal}/tasks/first", 400, "INVALID_TASK_INDEX"],
      [`/explorer/deals/0x${"ab".repeat(32)}/tasks/0`, 404, "DEAL_NOT_FOUND"],
      ["/explorer/deals/%E0%A4%A", 400, "BAD_REQUEST"],
      ["/explorer/workerpools/pool-1", 400, "INVALID_ASSET_ID"],
      [`/explorer/workerpools/1${"0".repeat(80)}`, 400, "INVALID_ASSET_ID"],
      ["/explorer/workerpools/99", 404, "WORKERPOOL_NOT_FOUND"],
      [`/explorer/workerpools/1?cursor=${encodeCursor([-1, 0])}`, 400, "INVALID_CURSOR"],
      ["/explorer/accounts/0x1234", 400, "INVALID_ADDRESS"],
      ["/explorer/accounts/{stranger}", 404, "ACCOUNT_NOT_FOUND"],
      [`/explorer/accounts/{requester}?cursor=${encodeCursor([1, 2])}`, 400, "INVALID_CURSOR"],
      ["/explorer/requests/0xcd", 400, "INVALID_ORDER_HASH"],
      [`/explorer/requests/0x${"zz".repeat(32)}`, 400, "INVALID_ORDER_HASH"],
      [`/explorer/requests/0x${"cd".repeat(32)}`, 404, "REQUEST_NOT_FOUND"],
      ["/explorer/requests/{request}?limit=2", 400, "INVALID_QUERY"],
      ["/explorer/blocks/1", 404, "ROUTE_NOT_FOUND"],
    ];
    for (const [template, status, code] of cases) {
      it(`${status} ${code} page for GET ${template}`, async function () {
        const path = template
          .replace("{deal}", scenario.completed.dealId)
          .replace("{requester}", scenario.f.requester.address)
          .replace("{request}", scenario.completed.requestHash)
          .replace("{stranger}", Wallet.createRandom().address);
        await errorPage(path, status, code);
      });
    }

    it("405 METHOD_NOT_ALLOWED page for a POST to a page", async function () {
      const response = await fetch(`${server.url}/explorer/workerpools/1`, { method: "POST" });
      expect(response.headers.get("allow")).to.equal("GET, HEAD");
      await errorPage("/explorer/workerpools/1", 405, "METHOD_NOT_ALLOWED", { method: "POST" });
    });
  });

  describe("beside the JSON API", function () {
    it("leaves the API's answers and its JSON 404 untouched", async function () {
      const deals = await fetch(`${server.url}/v1/deals?limit=1`);
      expect(deals.headers.get("content-type")).to.match(/^application\/json/);
      const missing = await fetch(`${server.url}/nowhere`);
      expect(missing.status).to.equal(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal("ROUTE_NOT_FOUND");
    });

    it("links blocks and transactions to a configured chain explorer, and refuses a URL that is not http(s)", async function () {
      const { server: linked } = await serveMarketApp({
        modules: [],
        pages: [{ path: "/explorer", router: createExplorerRouter(ledger, { token, chainExplorerUrl: "https://scan.example/" }) }],
      });
      try {
        const deal = (await ledger.deal(scenario.completed.dealId))!;
        const body = await (await fetch(`${linked.url}/explorer/deals/${deal.dealId}`)).text();
        expect(body).to.contain(`<a href="https://scan.example/tx/${deal.transactionHash}">${hashMarkup(deal.transactionHash)}</a>`);
        expect(body).to.contain(`block <a href="https://scan.example/block/${deal.blockNumber}"><span class="proof-block" title="${deal.blockTime}">${deal.blockNumber}</span></a>`);
      } finally {
        await linked.close();
      }
      expect(() => createExplorerRouter(ledger, { token, chainExplorerUrl: "javascript:alert(1)" })).to.throw(/http\(s\) URL/);
    });
  });

  describe("in a browser", function () {
    const CHROMIUM = "/usr/bin/chromium";
    let browser: Browser | undefined;

    before(async function () {
      // .ci/run installs Debian's chromium; a machine without it fails here rather than skipping.
      if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does)`);
      browser = await chromium.launch({ executablePath: CHROMIUM });
    });

    after(async function () {
      await browser?.close();
    });

    it("keeps every hash of the deal list on one line, clipped short on screen, and copies it whole", async function () {
      const tab = await browser!.newPage({ viewport: { width: 700, height: 900 } });
      await tab.goto(`${server.url}/explorer`);
      const shown = (await tab.evaluate(MEASURE_CLIPPED_HASHES)) as MeasuredHash[];
      // Per deal row: the deal id, the requester and the proving transaction.
      expect(shown).to.have.length(allDeals().length * 3);
      for (const value of shown) {
        expect(value.copied, "a selection copies the whole value").to.equal(value.title);
        expect(value.lines, `${value.title} on one line`).to.equal(1);
        expect(value.clipped, "the head is clipped").to.equal(true);
        expect(value.widthInChars, "about 17 characters wide").to.be.below(20);
      }
      await tab.close();
    });
  });

  describe("after a deposit of whole tokens", function () {
    it("shows the balance in the same token units the contract counts", async function () {
    const { f } = scenario;
    await wait(by(f.continuum, f.stranger).deposit(1_500_000_000_000_000_000n));
    await newIndexer(f, db).indexer.catchUp();
    const balance = (await f.continuum.balanceOf(f.stranger.address)).toString();
    const body = await page(`/explorer/accounts/${f.stranger.address}`);
    expect(body).to.contain(amountMarkup(balance));
    expect(tokenQuantity(balance, token.decimals)).to.match(/^1\.5/);
    });
  });
});
