// Specification of failed tasks in the explorer pages, over real HTTP on a ledger the indexer
// built from the Hardhat network: a deal whose task failed for good reads as failed (not open),
// and each failed or claimed task shows its status and its reason (code, attempt, explanation).
import { expect } from "chai";
import type { DataSource } from "typeorm";
import { readTokenUnit } from "../../../src/chain/tokenUnit.ts";
import type { HttpServer } from "../../../src/http/index.ts";
import { explorerPages } from "../../../src/market/explorer/index.ts";
import { Ledger } from "../../../src/persistence/ledger/index.ts";
import { describeTaskFailure } from "../../../src/wire/marketApi/taskFailure.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { loadFailureScenario, type FailureScenario } from "../indexer/support/failureScenario.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { serveMarketApp } from "./marketFixture.ts";

/** The text a browser shows for `text` placed in the page by the explorer. */
function escaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Each task row of a page: its index, status and reason cell. */
function taskRows(page: string): { index: string; status: string; reason: string }[] {
  return page
    .split(`<tr class="task">`)
    .slice(1)
    .map((row) => {
      // The index links to the task's page.
      const found = /^\n<td><a href="[^"]*">(\d+)<\/a><\/td><td><span class="status status-([a-z]+)">[a-z]+<\/span><\/td><td>(.*?)<\/td>/.exec(row);
      expect(found, `a task row: ${row.slice(0, 300)}`).to.not.equal(null);
      return { index: found![1]!, status: found![2]!, reason: found![3]! };
    });
}

/** The reason cell the explorer writes for a failure. */
function reasonMarkup(code: "REQUESTER_CAUSED" | "DATASET_OWNER_CAUSED" | "APP_OWNER_CAUSED" | "DEADLINE_PASSED", attempts: number | null): string {
  const title = escaped(describeTaskFailure({ code, attempts }));
  return `<span class="failure" title="${title}"><code>${code}</code>${attempts === null ? "" : `, attempt ${attempts}`}</span>`;
}

const NO_REASON = `<span class="muted">—</span>`;

describe("explorer pages of failed tasks", function () {
  let scenario: FailureScenario;
  let db: DataSource;
  let server: HttpServer;

  before(async function () {
    scenario = await loadFailureScenario();
    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget());
    await newIndexer(scenario.f, db).indexer.catchUp();
    const token = await readTokenUnit(scenario.f.ethers.provider, scenario.f.deployment.token);
    ({ server } = await serveMarketApp({ modules: [], pages: [explorerPages(new Ledger(db), { token })] }));
  });

  after(async function () {
    await server?.close();
    await db?.destroy();
  });

  async function page(path: string): Promise<string> {
    const response = await fetch(`${server.url}${path}`);
    const body = await response.text();
    expect(response.status, `GET ${path}: ${body.slice(0, 2_000)}`).to.equal(200);
    return body;
  }

  it("shows a deal whose only task failed as failed, with the task's reason and attempt", async function () {
    const body = await page(`/explorer/deals/${scenario.failedOne.dealId}`);
    expect(body).to.contain(
      `<tr><th>Status</th><td><span class="status status-failed">failed</span> 0 completed, 1 failed, 0 claimed, 0 pending</td></tr>`,
    );
    expect(body).not.to.contain(`class="status status-open"`);
    expect(taskRows(body)).to.deep.equal([{ index: "0", status: "failed", reason: reasonMarkup("APP_OWNER_CAUSED", 2) }]);
    expect(body).to.contain("<th>Reason</th>");
  });

  it("shows each task of a running deal with its own status, the failed one with its reason", async function () {
    const body = await page(`/explorer/deals/${scenario.running.dealId}`);
    expect(body).to.contain(`<span class="status status-open">open</span> 1 completed, 1 failed, 0 claimed, 1 pending`);
    expect(taskRows(body)).to.deep.equal([
      { index: "0", status: "completed", reason: NO_REASON },
      { index: "1", status: "failed", reason: reasonMarkup("REQUESTER_CAUSED", 3) },
      { index: "2", status: "pending", reason: NO_REASON },
    ]);
  });

  it("shows both reasons of a batch of failures, and DEADLINE_PASSED for a claimed task", async function () {
    expect(taskRows(await page(`/explorer/deals/${scenario.batch.dealId}`)).map((row) => row.reason)).to.deep.equal([
      reasonMarkup("DATASET_OWNER_CAUSED", 1),
      reasonMarkup("REQUESTER_CAUSED", 2),
    ]);
    expect(taskRows(await page(`/explorer/deals/${scenario.claimed.dealId}`))[1]).to.deep.equal({
      index: "1",
      status: "claimed",
      reason: reasonMarkup("DEADLINE_PASSED", null),
    });
  });

  it("shows the request of a failed task as failed, its tasks with their reasons", async function () {
    const body = await page(`/explorer/requests/${scenario.failedOne.requestHash}`);
    expect(body).to.contain(`<tr><th>Status</th><td><span class="status status-failed">failed</span></td></tr>`);
    expect(body).to.contain("0 completed, 1 failed, 0 claimed, 0 pending of 1");
    expect(body).to.contain(reasonMarkup("APP_OWNER_CAUSED", 2));
  });
});
