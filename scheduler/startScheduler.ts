// Runs one workerpool's scheduler from the validated configuration (section `scheduler`): its own
// chain indexer and ledger feeding deal intake, the task board behind the worker HTTP API, the
// lost-worker sweep and the result pusher. On start it resumes from its database: settled tasks are
// closed from the chain, unfinished pushes revisited, tasks of silent workers released, and
// uploaded results pushed.
import type { Server } from "node:http";
import { createHttpServer } from "../src/http/httpServer.ts";
import { listen } from "../src/http/listen.ts";
import type { Provider, Signer } from "ethers";
import type { DataSource } from "typeorm";
import type { Deployment } from "../src/chain/deployProtocol.ts";
import { deploymentOnChain } from "../src/chain/checkChain.ts";
import { databaseTarget, type Config, type DatabaseTarget } from "../src/config/index.ts";
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
import { chainSmsSigner, SmsVerdicts } from "./tasks/SmsVerdicts.ts";
import type { Registry } from "prom-client";
import { chainReachable } from "../src/chain/chainReadiness.ts";
import { indexerNearHead } from "../src/indexer/indexerReadiness.ts";
import { databaseMigrated } from "../src/persistence/migrationReadiness.ts";
import { createSchedulerMetrics } from "./metrics/schedulerMetrics.ts";

export type StartSchedulerOptions = {
  /** The validated configuration; its `scheduler` section holds every setting of the service. */
  config: Config;
  /** The workerpool owner's signer, connected to the chain: it signs authorizations and pushes results. */
  owner: Signer;
  /** Defaults to owner.provider. */
  provider?: Provider;
  deployment: Deployment;
  workerpool: bigint;
  /** Where the tables live; defaults to the configuration's target for `scheduler_<workerpool>`. */
  database?: DatabaseTarget;
  logger?: Logger;
};

export type RunningScheduler = {
  readonly url: string;
  readonly port: number;
  readonly db: DataSource;
  readonly ownerAddress: string;
  /** The registry GET /metrics serves. */
  readonly metrics: Registry;
  close(): Promise<void>;
};

export async function startScheduler(options: StartSchedulerOptions): Promise<RunningScheduler> {
  const settings = options.config.scheduler;
  const provider = options.provider ?? options.owner.provider;
  if (!provider) throw new SchedulerError("INVALID_SCHEDULER_OPTIONS", "the owner signer has no provider; pass one");
  const logger = (options.logger ?? silentLogger()).child({ service: "scheduler", workerpool: options.workerpool.toString() });
  const ownerAddress = await options.owner.getAddress();
  // The chain must hold the deployment's code before the scheduler signs anything for it.
  const chainId = await deploymentOnChain(provider, options.deployment, options.config.chain.chainId);
  const domain = continuumDomain(chainId, options.deployment.continuum);
  const database = options.database ?? databaseTarget(options.config, schedulerDatabaseName(options.workerpool));

  const db = await openDataSource({ ...database, ...schedulerDatabase, logger });
  const closers: (() => Promise<unknown> | void)[] = [() => db.destroy()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  let closing = false;
  try {
    const indexer = new ChainIndexer({
      provider,
      deployment: options.deployment,
      db,
      confirmations: options.config.chain.confirmations,
      pollIntervalMs: settings.indexIntervalMs,
      logger,
    });
    const intake = new DealIntake({
      db,
      workerpool: options.workerpool,
      urgentMinWorkerpoolPrice: BigInt(settings.urgentMinWorkerpoolPrice),
      logger,
    });
    // Deadlines are the chain's: assignment and expiry follow its clock, not this host's.
    const clock = new ChainClock(provider);
    await clock.refresh();
    const board = new TaskBoard({
      db,
      owner: options.owner,
      domain,
      policy: { maxAttempts: settings.maxAttempts, deadlineMarginSeconds: settings.deadlineMarginSeconds },
      verdicts: new SmsVerdicts({ domain, smsSigner: chainSmsSigner(provider, options.deployment.continuum) }),
      logger,
      now: () => clock.now(),
    });
    const silenceMs = settings.heartbeatIntervalMs * settings.missedHeartbeats;
    const metrics = createSchedulerMetrics(db, silenceMs);
    const pusher = new ResultPusher({
      db,
      owner: options.owner,
      continuum: options.deployment.continuum,
      policy: { batchSize: settings.batchSize, batchDelayMs: settings.batchDelayMs },
      logger,
      onPushed: (kind, outcome, tasks) => metrics.countPush(kind, outcome, tasks),
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
      identity: { owner: ownerAddress, workerpool: options.workerpool },
      info: { chainId: chainId.toString(), continuum: options.deployment.continuum, heartbeatIntervalMs: settings.heartbeatIntervalMs },
      maxWaitMs: settings.maxPollWaitMs,
      closing: () => closing,
      metrics: metrics.registry,
      readiness: [chainReachable(provider), databaseMigrated(db), indexerNearHead(indexer, options.config.chain.maxIndexerLagBlocks)],
      logger,
    });
    const server = createHttpServer(app, { limits: options.config.http, logger });
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
      metrics: metrics.registry,
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

/** The database (PGlite directory or PostgreSQL schema) of one workerpool's scheduler. */
export function schedulerDatabaseName(workerpool: bigint): string {
  return `scheduler_${workerpool}`;
}

/** Unlike the other services, lets in-flight worker reports finish for up to a second before dropping connections. */
function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}
