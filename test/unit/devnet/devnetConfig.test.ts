// One configuration for the scheduler and the workers: `npm start` and the `continuum` commands
// (`workerpool scheduler start`, `worker start`) read the same keys from the same environment and
// file, so a scheduler or a worker behaves alike however it is started; flags override their keys.
import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CliContext } from "../../../src/cli/context.ts";
import type { Config, Environment } from "../../../src/config/index.ts";
import { devnetConfig } from "../../../src/devnet/devnetConfig.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { schedulerOverrides, type SchedulerStartFlags } from "../../../src/serve/schedulerStart.ts";

const KEY = `0x${"ab".repeat(32)}`;
const SCHEDULER_PORT = 8071;

describe("the scheduler's and the workers' configuration, devnet and CLI alike", () => {
  let dir: TemporaryDirectory;
  const io = { stdout: () => undefined, stderr: () => undefined };

  beforeEach(async () => {
    dir = await createTemporaryDirectory("continuum-devnet-config-");
  });
  afterEach(async () => {
    await dir.remove();
  });

  function devnet(env: Environment): Config {
    return devnetConfig({
      dataDir: join(dir.path, "data"),
      rpcUrl: "http://127.0.0.1:8545",
      marketPort: 8080,
      smsPort: 8090,
      gatewayPort: 8088,
      schedulerPort: SCHEDULER_PORT,
      matcherKey: KEY,
      attestation: { trustedRootFile: join(dir.path, "root.pem"), collateralUrl: "http://127.0.0.1:8081" },
      smsMasterKey: KEY,
      env,
    });
  }

  /** What `workerpool scheduler start` and `worker start` read, with the same data dir and scheduler port. */
  function cli(env: Environment, flags: Partial<SchedulerStartFlags> = {}): Pick<Config, "scheduler" | "worker"> {
    const context = new CliContext({ dataDir: "data" }, { io, env, cwd: dir.path });
    const forScheduler = context.configWith(schedulerOverrides({ workerpool: 1n, logLevel: "warn", port: SCHEDULER_PORT, ...flags }));
    return { scheduler: forScheduler.scheduler, worker: context.config.worker };
  }

  it("keeps the batch delay and heartbeat both used before: 2000 ms and 5000 ms", () => {
    const env = { CONTINUUM_SCHEDULER_INDEX_INTERVAL_MS: "500" };
    expect(devnet({}).scheduler).to.include({ batchDelayMs: 2_000, heartbeatIntervalMs: 5_000, indexIntervalMs: 500 });
    expect(cli(env).scheduler).to.deep.equal(devnet({}).scheduler);
  });

  it("builds the same scheduler settings and worker limits from the same environment and file", async () => {
    const file = join(dir.path, "continuum.json");
    await writeFile(file, JSON.stringify({ scheduler: { batchDelayMs: 1_234, deadlineMarginSeconds: 30 }, worker: { timeLimitMs: 60_000 } }));
    const env = {
      CONTINUUM_CONFIG: file,
      CONTINUUM_SCHEDULER_BATCH_SIZE: "7",
      CONTINUUM_SCHEDULER_HEARTBEAT_INTERVAL_MS: "900",
      CONTINUUM_SCHEDULER_MAX_ATTEMPTS: "5",
      // The devnet polls its chain every 500 ms; a standalone scheduler is told so here.
      CONTINUUM_SCHEDULER_INDEX_INTERVAL_MS: "500",
      CONTINUUM_WORKER_MAX_MEMORY_MB: "1024",
    };
    const fromDevnet = devnet(env);
    const fromCli = cli(env);
    expect(fromDevnet.scheduler).to.deep.include({
      port: SCHEDULER_PORT,
      batchSize: 7,
      batchDelayMs: 1_234,
      heartbeatIntervalMs: 900,
      maxAttempts: 5,
      deadlineMarginSeconds: 30,
    });
    expect(fromDevnet.worker).to.deep.include({ maxMemoryMb: 1_024, timeLimitMs: 60_000 });
    expect(fromCli.scheduler).to.deep.equal(fromDevnet.scheduler);
    expect(fromCli.worker).to.deep.equal(fromDevnet.worker);
  });

  it("lets each `workerpool scheduler start` flag override its configuration key, and leaves the rest alone", () => {
    const env = { CONTINUUM_SCHEDULER_BATCH_SIZE: "7", CONTINUUM_SCHEDULER_HEARTBEAT_INTERVAL_MS: "900", CONTINUUM_SCHEDULER_MAX_ATTEMPTS: "5" };
    const flagged = cli(env, { host: "0.0.0.0", port: 0, batchSize: 3, batchDelayMs: 10, heartbeatIntervalMs: 200 }).scheduler;
    expect(flagged).to.deep.include({ host: "0.0.0.0", port: 0, batchSize: 3, batchDelayMs: 10, heartbeatIntervalMs: 200, maxAttempts: 5 });
    expect(schedulerOverrides({ workerpool: 1n, logLevel: "warn" })).to.deep.equal({ scheduler: {} });
  });
});
