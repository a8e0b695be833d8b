// Runs one workerpool's scheduler: its own chain indexer and ledger feeding deal intake, the task
// board behind the worker HTTP API, the lost-worker sweep and the result pusher. On start it
// resumes from its database: settled tasks are closed from the chain, unfinished pushes revisited,
// tasks of silent workers released, and uploaded results pushed.
import type { Server } from "node:http";
import { createHttpServer } from "../src/http/httpServer.ts";
import { listen } from "../src/http/listen.ts";
import type { HttpServerLimits } from "../src/http/serverLimits.ts";
import type { Provider, Signer } from "ethers";
import type { DataSource } from "typeorm";
import type { Deployment } from "../src/chain/deployProtocol.ts";
import { ChainIndexer } from "../src/indexer/index.ts";
import { silentLogger, type Logger } from "../src/core/logger.ts";
import { ChainClock } from "../src/chain/chainClock.ts";
import { continuumDomain } from "../src/wire/eip712/index.ts";
import { openDataSource } from "../src/persistence/index.ts";
import { createSchedulerApp } from "./http/createSchedulerApp.ts";
import { DealIntake } from "./intake/DealIntake.ts";
import { schedulerDatabase } from "./persistence/index.ts";
import { ResultPusher } from "./push/ResultPusher.ts";
import { revisitPushes, settleFromLedger } from "./push/reconcileWithChain.ts";
import { SchedulerError } from "./SchedulerError.ts";
import { TaskBoard } from "./tasks/TaskBoard.ts";

export type SchedulerConfig = {
  /** The workerpool owner's signer, connected to the chain: it signs authorizations and pushes results. */
  owner: Signer;
  /** Defaults to owner.provider. */
  provider?: Provider;
  deployment: Deployment;
  workerpool: bigint;
  database: { pgliteDir?: string; url?: string; schema?: string };
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  heartbeatIntervalMs?: number;
  /** Heartbeats a worker may miss before its task is reassigned (default 3). */
  missedHeartbeats?: number;
  maxAttempts?: number;
  deadlineMarginSeconds?: number;
  batchSize?: number;
  batchDelayMs?: number;
  indexerPollMs?: number;
  maxWaitMs?: number;
  /** Timeouts and header limit of the HTTP server: the configuration's `http` section (defaults when absent). */
  http?: HttpServerLimits;
  logger?: Logger;
};

export type RunningScheduler = {
  readonly url: string;
  readonly port: number;
  readonly db: DataSource;
  readonly ownerAddress: string;
  close(): Promise<void>;
};

const DEFAULTS = {
  host: "127.0.0.1",
  port: 0,
  heartbeatIntervalMs: 5_000,
  missedHeartbeats: 3,
  maxAttempts: 3,
  deadlineMarginSeconds: 20,
  batchSize: 10,
  batchDelayMs: 3_000,
  indexerPollMs: 1_000,
  maxWaitMs: 20_000,
};

export async function startScheduler(config: SchedulerConfig): Promise<RunningScheduler> {
  const settings = { ...DEFAULTS, ...definedOnly(config) };
  for (const name of ["heartbeatIntervalMs", "missedHeartbeats", "maxAttempts", "batchSize", "indexerPollMs"] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) {
      throw new SchedulerError("INVALID_SCHEDULER_OPTIONS", `${name} must be a positive integer`, { [name]: settings[name] });
    }
  }
  const provider = config.provider ?? config.owner.provider;
  if (!provider) throw new SchedulerError("INVALID_SCHEDULER_OPTIONS", "the owner signer has no provider; pass one");
  const logger = (config.logger ?? silentLogger()).child({ service: "scheduler", workerpool: config.workerpool.toString() });
  const ownerAddress = await config.owner.getAddress();
  const chainId = (await provider.getNetwork()).chainId;
  const domain = continuumDomain(chainId, config.deployment.continuum);

  const db = await openDataSource({ ...config.database, ...schedulerDatabase, logger });
  const closers: (() => Promise<unknown> | void)[] = [() => db.destroy()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  let closing = false;
  try {
    const indexer = new ChainIndexer({ provider, deployment: config.deployment, db, pollIntervalMs: settings.indexerPollMs, logger });
    const intake = new DealIntake({ db, workerpool: config.workerpool, logger });
    // Deadlines are the chain's: assignment and expiry follow its clock, not this host's.
    const clock = new ChainClock(provider);
    await clock.refresh();
    const board = new TaskBoard({
      db,
      owner: config.owner,
      domain,
      policy: { maxAttempts: settings.maxAttempts, deadlineMarginSeconds: settings.deadlineMarginSeconds },
      logger,
      now: () => clock.now(),
    });
    const pusher = new ResultPusher({
      db,
      owner: config.owner,
      continuum: config.deployment.continuum,
      policy: { batchSize: settings.batchSize, maxDelayMs: settings.batchDelayMs },
      logger,
    });

    await indexer.catchUp();
    await settleFromLedger(db, logger);
    await revisitPushes(db, provider, logger);
    await intake.intake();

    // One maintenance chain: intake, settlement, the lost-worker sweep and pushes never overlap.
    let chain: Promise<unknown> = Promise.resolve();
    const serially = (step: () => Promise<unknown>) => {
      chain = chain.then(step).catch((error) => logger.warn({ err: error }, "scheduler maintenance step failed"));
      return chain;
    };
    const silenceMs = settings.heartbeatIntervalMs * settings.missedHeartbeats;
    indexer.on("applied", () => void serially(async () => {
      await intake.intake();
      await settleFromLedger(db, logger);
    }));
    board.on("result", () => void serially(() => pusher.pushDue()));
    const sweep = setInterval(() => void serially(async () => {
      // An unreadable chain leaves the clock where it was; lost workers are still released.
      await clock.refresh().catch((error: unknown) => logger.warn({ err: error }, "cannot read the chain's clock"));
      await board.releaseLostWorkers(silenceMs);
      await board.expireWaiting();
    }), Math.min(settings.heartbeatIntervalMs, 1_000));
    const push = setInterval(() => void serially(() => pusher.pushDue()), Math.max(100, Math.min(settings.batchDelayMs, 1_000)));
    closers.push(async () => {
      clearInterval(sweep);
      clearInterval(push);
      await indexer.stop();
      await chain;
    });
    indexer.start();

    const app = createSchedulerApp({
      db,
      board,
      identity: { owner: ownerAddress, workerpool: config.workerpool },
      info: { chainId: chainId.toString(), continuum: config.deployment.continuum, heartbeatIntervalMs: settings.heartbeatIntervalMs },
      maxWaitMs: settings.maxWaitMs,
      closing: () => closing,
      logger,
    });
    const server = createHttpServer(app, { limits: config.http, logger });
    // A bind failure keeps the node's own error (callers read its EADDRINUSE code).
    const address = await listen(server, settings.host, settings.port, (cause) => cause);
    closers.push(() => stopServer(server));
    const url = `http://${settings.host}:${address.port}`;
    logger.info({ url, owner: ownerAddress }, "scheduler listening");
    let closed: Promise<void> | undefined;
    return {
      url,
      port: address.port,
      db,
      ownerAddress,
      close: () => {
        closing = true;
        return (closed ??= closeAll().then(() => logger.info("scheduler stopped")));
      },
    };
  } catch (error) {
    closing = true;
    await closeAll();
    throw error;
  }
}

/** Unlike the other services, lets in-flight worker reports finish for up to a second before dropping connections. */
function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}

function definedOnly(config: SchedulerConfig): Partial<typeof DEFAULTS> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULTS)) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked as Partial<typeof DEFAULTS>;
}
