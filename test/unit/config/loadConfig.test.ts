// Specifies loadConfig: defaults, the precedence file < environment < overrides, path resolution,
// freezing, and an INVALID_CONFIG error naming every bad key with its source.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ConfigError, loadConfig, WORKER_LIMIT_DEFAULTS, type ConfigIssue } from "../../../src/config/index.ts";
import { thrownBy } from "../../helpers/expectFailure.ts";

const KEY = "ab".repeat(32);

function issuesOf(run: () => unknown): ConfigIssue[] {
  return [...thrownBy(ConfigError, run, "INVALID_CONFIG").issues];
}

describe("loadConfig", () => {
  let folder: string;
  let configFile: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), "continuum-config-"));
    configFile = join(folder, "continuum.json");
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const writeConfig = (value: unknown) => writeFile(configFile, JSON.stringify(value));

  describe("defaults", () => {
    it("fills every section from an empty environment", () => {
      const config = loadConfig({ env: {}, cwd: "/srv/app" });
      expect(config.dataDir).to.equal("/srv/app/.continuum");
      expect(config.logLevel).to.equal("info");
      expect(config.chain).to.deep.equal({
        rpcUrl: "http://127.0.0.1:8545",
        confirmations: 0,
        maxIndexerLagBlocks: 20,
        deploymentFile: "/srv/app/.continuum/deployment.json",
      });
      expect(config.database).to.deep.equal({});
      expect(config.ipfs).to.deep.equal({});
      expect(config.market).to.deep.equal({
        host: "127.0.0.1",
        port: 8080,
        bodyLimitBytes: 1_048_576,
        matchIntervalMs: 1_000,
        indexIntervalMs: 1_000,
        leaseIntervalMs: 1_000,
        reconcileIntervalMs: 30_000,
        rateLimitPerMinute: 600,
        accountRateLimitPerMinute: 3_000,
        schedulerCheckIntervalMs: 30_000,
        schedulerCheckTimeoutMs: 3_000,
      });
      expect(config.sms).to.deep.equal({
        host: "127.0.0.1",
        port: 8090,
        rateLimitPerMinute: 1_200,
        attestation: {
          collateralMaxAgeSeconds: 3_600,
          acceptedTcbStatuses: ["UpToDate", "SWHardeningNeeded"],
          allowedAdvisoryIds: ["*"],
          minIsvSvn: 1,
          maxAttemptsPerTask: 5,
        },
      });
      expect(config.http).to.deep.equal({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxHeaderBytes: 16_384 });
      expect(config.scheduler).to.deep.equal({
        host: "127.0.0.1",
        port: 8070,
        batchSize: 10,
        batchDelayMs: 2_000,
        heartbeatIntervalMs: 5_000,
        missedHeartbeats: 3,
        maxAttempts: 3,
        deadlineMarginSeconds: 20,
        indexIntervalMs: 1_000,
        maxPollWaitMs: 20_000,
        urgentMinWorkerpoolPrice: "0",
      });
      expect(config.worker).to.deep.equal({
        maxMemoryMb: 2_048,
        defaultMemoryMb: 512,
        maxOutputBytes: 64 * 1_048_576,
        maxOutputFiles: 10_000,
        maxProcesses: 32,
        maxBundleBytes: 64 * 1_048_576,
        maxDatasetBytes: 4 * 1_073_741_824,
        fetchTimeoutMs: 600_000,
        requestTimeoutMs: 30_000,
      });
      expect(config.worker).to.deep.equal(WORKER_LIMIT_DEFAULTS);
      expect(config.gateway).to.deep.equal({ host: "127.0.0.1", port: 8088, networkFetchMs: 0 });
      expect(config.workerMetrics).to.deep.equal({ host: "127.0.0.1" });
    });

    it("derives the deployment file from a configured data dir", () => {
      const config = loadConfig({ env: { CONTINUUM_DATA_DIR: "/var/continuum" } });
      expect(config.chain.deploymentFile).to.equal("/var/continuum/deployment.json");
    });

    it("reads the chain's own deployment file, as `protocol deploy` writes it, when the chain id is configured", () => {
      const config = loadConfig({ env: { CONTINUUM_DATA_DIR: "/var/continuum", CONTINUUM_CHAIN_ID: "42161" } });
      expect(config.chain.deploymentFile).to.equal("/var/continuum/deployments/42161.json");
      const named = loadConfig({ env: { CONTINUUM_CHAIN_ID: "42161", CONTINUUM_DEPLOYMENT_FILE: "/srv/d.json" } });
      expect(named.chain.deploymentFile, "a named file wins").to.equal("/srv/d.json");
    });
  });

  describe("precedence", () => {
    it("takes file values over defaults", async () => {
      await writeConfig({ market: { port: 9000 }, scheduler: { batchSize: 25 } });
      const config = loadConfig({ env: {}, file: configFile });
      expect(config.market.port).to.equal(9000);
      expect(config.market.host).to.equal("127.0.0.1");
      expect(config.scheduler.batchSize).to.equal(25);
    });

    it("takes environment variables over the file", async () => {
      await writeConfig({ market: { port: 9000 }, database: { url: "postgres://file/db" } });
      const config = loadConfig({
        env: { CONTINUUM_MARKET_PORT: "9100", DATABASE_URL: "postgres://env/db" },
        file: configFile,
      });
      expect(config.market.port).to.equal(9100);
      expect(config.database.url).to.equal("postgres://env/db");
    });

    it("takes overrides over environment variables", () => {
      const config = loadConfig({ env: { CONTINUUM_SMS_PORT: "9200" }, overrides: { sms: { port: 9300 } } });
      expect(config.sms.port).to.equal(9300);
    });

    it("finds the file through CONTINUUM_CONFIG, and prefers an explicit file", async () => {
      const other = join(folder, "other.json");
      await writeFile(other, JSON.stringify({ logLevel: "debug" }));
      await writeConfig({ logLevel: "warn" });
      expect(loadConfig({ env: { CONTINUUM_CONFIG: configFile } }).logLevel).to.equal("warn");
      expect(loadConfig({ env: { CONTINUUM_CONFIG: configFile }, file: other }).logLevel).to.equal("debug");
    });

    it("layers the scheduler's and the worker's keys like every other: file, then environment, then overrides", async () => {
      await writeConfig({
        scheduler: { heartbeatIntervalMs: 700, maxAttempts: 4, batchDelayMs: 900 },
        worker: { maxMemoryMb: 1_024, timeLimitMs: 30_000, fetchTimeoutMs: 1_000 },
      });
      const config = loadConfig({
        env: { CONTINUUM_SCHEDULER_MAX_ATTEMPTS: "6", CONTINUUM_WORKER_TIME_LIMIT_MS: "20000", CONTINUUM_SCHEDULER_BATCH_DELAY_MS: "800" },
        file: configFile,
        overrides: { scheduler: { batchDelayMs: 100 }, worker: { fetchTimeoutMs: 2_000 } },
      });
      expect(config.scheduler).to.include({ heartbeatIntervalMs: 700, maxAttempts: 6, batchDelayMs: 100, missedHeartbeats: 3 });
      expect(config.worker).to.include({ maxMemoryMb: 1_024, timeLimitMs: 20_000, fetchTimeoutMs: 2_000, defaultMemoryMb: 512 });
    });

    it("treats empty environment variables as unset", () => {
      expect(loadConfig({ env: { CONTINUUM_MARKET_PORT: "", IPFS_API_URL: " " } }).market.port).to.equal(8080);
    });
  });

  describe("values", () => {
    it("reads every section from the environment", () => {
      const config = loadConfig({
        env: {
          CONTINUUM_LOG_LEVEL: "debug",
          CONTINUUM_RPC_URL: "ws://node:8546",
          CONTINUUM_CHAIN_ID: "31337",
          CONTINUUM_CONFIRMATIONS: "2",
          IPFS_API_URL: "http://kubo:5001",
          CONTINUUM_MARKET_BODY_LIMIT_BYTES: "2048",
          CONTINUUM_MARKET_RATE_LIMIT_PER_MINUTE: "60",
          CONTINUUM_SMS_MASTER_KEY: `0x${KEY.toUpperCase()}`,
          CONTINUUM_SCHEDULER_BATCH_DELAY_MS: "0",
          CONTINUUM_SCHEDULER_HEARTBEAT_INTERVAL_MS: "1000",
          CONTINUUM_SCHEDULER_MISSED_HEARTBEATS: "5",
          CONTINUUM_SCHEDULER_MAX_ATTEMPTS: "7",
          CONTINUUM_SCHEDULER_DEADLINE_MARGIN_SECONDS: "45",
          CONTINUUM_SCHEDULER_INDEX_INTERVAL_MS: "250",
          CONTINUUM_SCHEDULER_MAX_POLL_WAIT_MS: "0",
          CONTINUUM_WORKER_MAX_MEMORY_MB: "4096",
          CONTINUUM_WORKER_DEFAULT_MEMORY_MB: "256",
          CONTINUUM_WORKER_MAX_OUTPUT_BYTES: "1048576",
          CONTINUUM_WORKER_MAX_OUTPUT_FILES: "100",
          CONTINUUM_WORKER_MAX_PROCESSES: "16",
          CONTINUUM_WORKER_MAX_BUNDLE_BYTES: "2097152",
          CONTINUUM_WORKER_MAX_DATASET_BYTES: "3145728",
          CONTINUUM_WORKER_TIME_LIMIT_MS: "90000",
          CONTINUUM_WORKER_FETCH_TIMEOUT_MS: "60000",
          CONTINUUM_WORKER_REQUEST_TIMEOUT_MS: "5000",
          CONTINUUM_GATEWAY_PORT: "0",
          CONTINUUM_SMS_RATE_LIMIT_PER_MINUTE: "120",
          CONTINUUM_HTTP_HEADERS_TIMEOUT_MS: "5000",
          CONTINUUM_HTTP_REQUEST_TIMEOUT_MS: "20000",
          CONTINUUM_HTTP_MAX_HEADER_BYTES: "8192",
        },
      });
      expect(config.logLevel).to.equal("debug");
      expect(config.chain).to.include({ rpcUrl: "ws://node:8546", chainId: 31337, confirmations: 2 });
      expect(config.ipfs.apiUrl).to.equal("http://kubo:5001");
      expect(config.market).to.include({ bodyLimitBytes: 2048, rateLimitPerMinute: 60 });
      expect(config.sms.masterKey, "normalized to lowercase hex without 0x").to.equal(KEY);
      expect(config.scheduler).to.include({
        batchDelayMs: 0,
        heartbeatIntervalMs: 1000,
        missedHeartbeats: 5,
        maxAttempts: 7,
        deadlineMarginSeconds: 45,
        indexIntervalMs: 250,
        maxPollWaitMs: 0,
      });
      expect(config.worker).to.deep.equal({
        maxMemoryMb: 4096,
        defaultMemoryMb: 256,
        maxOutputBytes: 1_048_576,
        maxOutputFiles: 100,
        maxProcesses: 16,
        maxBundleBytes: 2_097_152,
        maxDatasetBytes: 3_145_728,
        timeLimitMs: 90_000,
        fetchTimeoutMs: 60_000,
        requestTimeoutMs: 5_000,
      });
      expect(config.gateway.port).to.equal(0);
      expect(config.sms.rateLimitPerMinute).to.equal(120);
      expect(config.http).to.deep.equal({ headersTimeoutMs: 5_000, requestTimeoutMs: 20_000, maxHeaderBytes: 8_192 });
    });

    it("resolves relative paths from the environment against the cwd", () => {
      const config = loadConfig({ env: { CONTINUUM_DATA_DIR: "state", CONTINUUM_DEPLOYMENT_FILE: "d.json" }, cwd: "/srv" });
      expect(config.dataDir).to.equal("/srv/state");
      expect(config.chain.deploymentFile).to.equal("/srv/d.json");
    });

    it("resolves relative paths from the file against the file's folder", async () => {
      await writeConfig({ dataDir: "state" });
      expect(loadConfig({ env: {}, file: configFile, cwd: "/elsewhere" }).dataDir).to.equal(join(folder, "state"));
    });

    it("returns a deeply frozen object", () => {
      const config = loadConfig({ env: {} });
      expect(Object.isFrozen(config)).to.equal(true);
      expect(Object.isFrozen(config.market)).to.equal(true);
      expect(() => {
        (config.market as { port: number }).port = 1;
      }).to.throw(TypeError);
    });
  });

  describe("invalid input", () => {
    const invalidEnvironment: [variable: string, value: string, key: string][] = [
      ["CONTINUUM_LOG_LEVEL", "loud", "logLevel"],
      ["CONTINUUM_RPC_URL", "ftp://node", "chain.rpcUrl"],
      ["CONTINUUM_CHAIN_ID", "0", "chain.chainId"],
      ["CONTINUUM_CONFIRMATIONS", "-1", "chain.confirmations"],
      ["DATABASE_URL", "mysql://db", "database.url"],
      ["IPFS_API_URL", "not a url", "ipfs.apiUrl"],
      ["CONTINUUM_MARKET_PORT", "http", "market.port"],
      ["CONTINUUM_MARKET_BODY_LIMIT_BYTES", "1.5", "market.bodyLimitBytes"],
      ["CONTINUUM_MARKET_RATE_LIMIT_PER_MINUTE", "0", "market.rateLimitPerMinute"],
      ["CONTINUUM_MATCHER_KEY", "0x1234", "market.matcherKey"],
      ["CONTINUUM_MATCH_INTERVAL_MS", "1", "market.matchIntervalMs"],
      ["CONTINUUM_INDEX_INTERVAL_MS", "later", "market.indexIntervalMs"],
      ["CONTINUUM_SMS_PORT", "65536", "sms.port"],
      ["CONTINUUM_SMS_MASTER_KEY", "abcd", "sms.masterKey"],
      ["CONTINUUM_SCHEDULER_PORT", "-5", "scheduler.port"],
      ["CONTINUUM_SCHEDULER_BATCH_SIZE", "0", "scheduler.batchSize"],
      ["CONTINUUM_SCHEDULER_BATCH_DELAY_MS", "soon", "scheduler.batchDelayMs"],
      ["CONTINUUM_SCHEDULER_HEARTBEAT_INTERVAL_MS", "10", "scheduler.heartbeatIntervalMs"],
      ["CONTINUUM_SCHEDULER_MISSED_HEARTBEATS", "0", "scheduler.missedHeartbeats"],
      ["CONTINUUM_SCHEDULER_MAX_ATTEMPTS", "none", "scheduler.maxAttempts"],
      ["CONTINUUM_SCHEDULER_DEADLINE_MARGIN_SECONDS", "-1", "scheduler.deadlineMarginSeconds"],
      ["CONTINUUM_SCHEDULER_INDEX_INTERVAL_MS", "1", "scheduler.indexIntervalMs"],
      ["CONTINUUM_SCHEDULER_MAX_POLL_WAIT_MS", "600001", "scheduler.maxPollWaitMs"],
      ["CONTINUUM_WORKER_MAX_MEMORY_MB", "32", "worker.maxMemoryMb"],
      ["CONTINUUM_WORKER_MAX_OUTPUT_BYTES", "0", "worker.maxOutputBytes"],
      ["CONTINUUM_WORKER_TIME_LIMIT_MS", "1.5", "worker.timeLimitMs"],
      ["CONTINUUM_WORKER_REQUEST_TIMEOUT_MS", "soon", "worker.requestTimeoutMs"],
      ["CONTINUUM_GATEWAY_PORT", "99999", "gateway.port"],
    ];

    for (const [variable, value, key] of invalidEnvironment) {
      it(`names ${key} when ${variable}=${JSON.stringify(value)}`, () => {
        const issues = issuesOf(() => loadConfig({ env: { [variable]: value } }));
        expect(issues.map((issue) => issue.key)).to.deep.equal([key]);
        expect(issues[0]!.source).to.contain(variable);
      });
    }

    it("refuses a headers timeout longer than the request timeout, which Node would refuse at startup", () => {
      const issues = issuesOf(() => loadConfig({ env: {}, overrides: { http: { headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 } } }));
      expect(issues.map((issue) => issue.key)).to.deep.equal(["http.headersTimeoutMs"]);
    });

    it("refuses a default app memory above the worker's maximum, naming the key and its source", async () => {
      await writeConfig({ worker: { maxMemoryMb: 256 } });
      const issues = issuesOf(() => loadConfig({ env: { CONTINUUM_WORKER_DEFAULT_MEMORY_MB: "512" }, file: configFile }));
      expect(issues).to.have.length(1);
      expect(issues[0]).to.include({ key: "worker.defaultMemoryMb", source: 'env CONTINUUM_WORKER_DEFAULT_MEMORY_MB="512"' });
      expect(issues[0]!.reason).to.contain("worker.maxMemoryMb");
    });

    it("names a renamed variable as unknown rather than ignoring it", () => {
      const issues = issuesOf(() => loadConfig({ env: { CONTINUUM_SCHEDULER_HEARTBEAT_MS: "1000" } }));
      expect(issues.map((issue) => [issue.key, issue.reason])).to.deep.equal([["CONTINUUM_SCHEDULER_HEARTBEAT_MS", "unknown Continuum environment variable"]]);
    });

    it("names empty strings given in a file", async () => {
      await writeConfig({ dataDir: "", market: { host: "" } });
      const issues = issuesOf(() => loadConfig({ env: {}, file: configFile }));
      expect(issues.map((issue) => issue.key)).to.have.members(["dataDir", "market.host"]);
    });

    it("reports every bad key at once, in the message too", async () => {
      await writeConfig({ market: { port: "8080", prot: 1 }, sms: 7, extra: true });
      const error = (() => {
        try {
          return loadConfig({
            env: { CONTINUUM_SCHEDULER_BATCH_SIZE: "many", CONTINUUM_MARKT_PORT: "1" },
            file: configFile,
            overrides: { gateway: { port: -1 } },
          });
        } catch (caught) {
          return caught as ConfigError;
        }
      })() as ConfigError;
      expect(error).to.be.instanceOf(ConfigError);
      const keys = error.issues.map((issue) => issue.key);
      expect(keys).to.have.members([
        "CONTINUUM_MARKT_PORT",
        "market.port",
        "market.prot",
        "sms",
        "extra",
        "scheduler.batchSize",
        "gateway.port",
      ]);
      for (const key of keys) expect(error.message).to.contain(key);
      expect(error.issues.find((issue) => issue.key === "gateway.port")!.source).to.equal("override");
      expect(error.issues.find((issue) => issue.key === "market.prot")!.source).to.equal(`file ${configFile}`);
      expect(error.details).to.deep.equal({ issues: error.issues });
    });

    it("never repeats a secret value in the error", () => {
      const secret = `${"cd".repeat(31)}zz`;
      const issues = issuesOf(() =>
        loadConfig({ env: { CONTINUUM_SMS_MASTER_KEY: secret, CONTINUUM_MATCHER_KEY: `${secret}ee`, DATABASE_URL: "mysql://user:hunter2@db" } }),
      );
      expect(JSON.stringify(issues)).not.to.contain(secret).and.not.to.contain("hunter2");
    });

    it("rejects a missing, malformed or non-object config file", async () => {
      expect(issuesOf(() => loadConfig({ env: {}, file: join(folder, "absent.json") }))[0]!.reason).to.contain(
        "file not found",
      );
      await writeFile(configFile, "{ nope");
      expect(issuesOf(() => loadConfig({ env: {}, file: configFile }))[0]!.reason).to.contain("not valid JSON");
      await writeConfig([1, 2]);
      expect(issuesOf(() => loadConfig({ env: { CONTINUUM_CONFIG: configFile } }))[0]).to.include({
        key: "config file",
        source: "env CONTINUUM_CONFIG",
      });
    });
  });
});
