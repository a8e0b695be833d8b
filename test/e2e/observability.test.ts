// Observability of the whole devnet stack under real traffic (the e-Health demo through the CLI):
// every service (market, SMS, scheduler, both workers) answers /healthz and /readyz, serves its
// own registry at /metrics, and the counters the issue names move with the traffic; the Grafana
// dashboard under deploy/grafana/ queries only metrics some service exports.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runEHealthDemo } from "../../src/demo/eHealthDemo.ts";
import { dashboardQueries, exposedSeriesNames, metricNamesOf, sampleSum } from "../helpers/prometheusText.ts";
import { startTestDevnet, type TestDevnet } from "../helpers/testDevnet.ts";

const DASHBOARD = join(import.meta.dirname, "../../deploy/grafana/continuum.json");

type Services = Record<"market" | "sms" | "scheduler" | "worker1" | "worker2", string>;

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status, `${baseUrl}/metrics`).to.equal(200);
  expect(response.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

async function scrapeAll(services: Services): Promise<Record<keyof Services, string>> {
  const entries = await Promise.all(Object.entries(services).map(async ([name, url]) => [name, await scrape(url)] as const));
  return Object.fromEntries(entries) as Record<keyof Services, string>;
}

/** mocha's before / after hooks, renamed: this file's `before` and `after` are the scrapes around the traffic. */
const setup = globalThis.before;
const teardown = globalThis.after;

describe("observability of the devnet stack", function () {
  this.timeout(300_000);
  let stack: TestDevnet;
  let services: Services;
  let before: Record<keyof Services, string>;
  let after: Record<keyof Services, string>;

  setup(async function () {
    stack = await startTestDevnet({ env: { CONTINUUM_WORKER_METRICS_PORT: "0" } });
    const { devnet } = stack;
    const [worker1, worker2] = devnet.compute!.workers.map((worker) => worker.metricsUrl!);
    services = { market: devnet.market.url, sms: devnet.sms.url, scheduler: devnet.compute!.scheduler.url, worker1: worker1!, worker2: worker2! };
    before = await scrapeAll(services);
    await runEHealthDemo({
      dataDir: stack.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      gatewayUrl: devnet.endpoints.gatewayUrl,
      collateralUrl: devnet.endpoints.collateralUrl,
      workerpool: devnet.compute!.workerpool,
      workDir: join(stack.dataDir, "demo"),
      timeout: "3m",
    });
    after = await scrapeAll(services);
  });

  teardown(async () => {
    await stack?.close();
  });

  it("answers /healthz and /readyz on every service, each readiness check ready", async () => {
    for (const [name, url] of Object.entries(services)) {
      const health = await fetch(`${url}/healthz`);
      expect(health.status, `${name} /healthz`).to.equal(200);
      const ready = await fetch(`${url}/readyz`);
      const report = (await ready.json()) as { status: string; checks: { name: string; ready: boolean }[] };
      expect(ready.status, `${name} /readyz: ${JSON.stringify(report)}`).to.equal(200);
      expect(report.checks.every((check) => check.ready), name).to.equal(true);
      const expected = { market: ["chain", "database", "indexer"], sms: ["chain", "database"], scheduler: ["chain", "database", "indexer"] }[name] ?? ["scheduler"];
      expect(report.checks.map((check) => check.name), name).to.deep.equal(expected);
    }
  });

  it("labels every series with the service that exported it", () => {
    for (const [name, text] of Object.entries(after)) {
      const service = name.startsWith("worker") ? "worker" : name;
      const samples = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
      expect(samples.length, name).to.be.greaterThan(0);
      for (const line of samples) expect(line, name).to.include(`service="${service}"`);
    }
  });

  it("counts the market's orders, matches and their latency as the demo trades, with the book and indexer lag as gauges", () => {
    const grew = (name: string, labels?: Record<string, string>) => sampleSum(after.market, name, labels) - sampleSum(before.market, name, labels);
    for (const kind of ["app", "dataset", "workerpool", "request"]) {
      expect(grew("continuum_market_orders_accepted_total", { kind }), kind).to.be.at.least(1);
    }
    expect(grew("continuum_market_matches_sent_total")).to.be.at.least(1);
    expect(grew("continuum_market_match_duration_seconds_count", { outcome: "matched" })).to.be.at.least(1);
    expect(after.market).to.match(/^continuum_market_book_orders\{service="market"\} \d+$/m);
    expect(sampleSum(after.market, "continuum_market_indexer_lag_blocks")).to.be.within(0, 20);
  });

  it("counts the SMS's released sessions and times them", () => {
    const released = { outcome: "released" };
    expect(sampleSum(after.sms, "continuum_sms_sessions_total", released) - sampleSum(before.sms, "continuum_sms_sessions_total", released)).to.be.at.least(1);
    expect(sampleSum(after.sms, "continuum_sms_session_duration_seconds_count", released)).to.be.at.least(1);
    expect(sampleSum(after.sms, "continuum_sms_session_duration_seconds_sum", released)).to.be.greaterThan(0);
  });

  it("shows the scheduler's completed tasks, confirmed pushes, its workers and an empty queue", () => {
    expect(sampleSum(after.scheduler, "continuum_scheduler_tasks", { state: "completed" })).to.be.at.least(1);
    expect(sampleSum(after.scheduler, "continuum_scheduler_result_pushes_total", { outcome: "confirmed" })).to.be.at.least(1);
    expect(sampleSum(after.scheduler, "continuum_scheduler_results_pushed_total", { outcome: "confirmed" })).to.be.at.least(1);
    expect(sampleSum(after.scheduler, "continuum_scheduler_workers")).to.equal(2);
    expect(sampleSum(after.scheduler, "continuum_scheduler_queue_depth")).to.equal(0);
  });

  it("counts the tasks the workers ran and the time of every phase", () => {
    const total = (name: string, labels?: Record<string, string>) => sampleSum(after.worker1, name, labels) + sampleSum(after.worker2, name, labels);
    expect(total("continuum_worker_tasks_run_total")).to.be.at.least(1);
    expect(total("continuum_worker_tasks_failed_total")).to.equal(0);
    for (const phase of ["bundle", "attestation", "secrets", "app", "seal", "report"]) {
      expect(total("continuum_worker_phase_duration_seconds_count", { phase }), phase).to.be.at.least(1);
    }
  });

  it("ships a Grafana dashboard whose every query uses metrics some service exports", () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as { title: string; panels: [] };
    const exported = new Set(Object.values(after).flatMap((text) => [...exposedSeriesNames(text)]));
    const queries = dashboardQueries(dashboard);
    expect(queries.length).to.be.at.least(15);
    const used = new Set<string>();
    for (const { panel, expr } of queries) {
      const names = metricNamesOf(expr);
      expect(names, `${panel}: ${expr} selects no metric`).not.to.be.empty;
      for (const name of names) {
        expect(exported.has(name), `${panel}: ${name} is not exported by any service`).to.equal(true);
        used.add(name);
      }
    }
    // The check itself can fail: a misspelt metric is caught.
    expect(metricNamesOf(`sum by (code) (rate(continuum_market_orders_refuzed_total{service="market"}[$__rate_interval]))`)).to.deep.equal([
      "continuum_market_orders_refuzed_total",
    ]);
    expect(exported.has("continuum_market_orders_refuzed_total")).to.equal(false);
    // Every family the services define appears on the dashboard.
    const families = new Set(Object.values(after).flatMap((text) => [...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!)));
    const shown = [...families].filter((family) => [...used].some((name) => name === family || name.startsWith(`${family}_`)));
    expect([...families].filter((family) => !shown.includes(family))).to.deep.equal([]);
  });
});
