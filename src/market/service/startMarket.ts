// Runs the market from the validated configuration: checks the chain against the deployment,
// opens the database (PGlite under the data dir, or PostgreSQL), keeps the matcher's memory in
// step with the book, and serves the REST API on market.host:market.port. Replicas may share one
// PostgreSQL database: each serves the API and the feed and hears the others' book changes; the
// one holding the leader lease follows the chain into the ledger, matches from the configured
// wallet and publishes pipeline stages as their inputs become ready. On PGlite the process is
// alone and always leads.
import { JsonRpcProvider, Wallet, type Provider } from "ethers";
import type { DataSource } from "typeorm";
import { deploymentOnChain } from "../../chain/checkChain.ts";
import { readDeploymentFile } from "../../chain/deploymentFile.ts";
import type { Deployment } from "../../chain/deployProtocol.ts";
import { MatchSender } from "../../chain/matchSender.ts";
import { readTokenUnit } from "../../chain/tokenUnit.ts";
import { databaseTarget, type Config, type DatabaseTarget } from "../../config/index.ts";
import { ContinuumError } from "../../core/ContinuumError.ts";
import { ChainIndexer } from "../../indexer/ChainIndexer.ts";
import { indexerNearHead } from "../../indexer/indexerReadiness.ts";
import { chainReachable } from "../../chain/chainReadiness.ts";
import { databaseMigrated } from "../../persistence/migrationReadiness.ts";
import type { Registry } from "prom-client";
import { createMarketMetrics, type MarketMetrics } from "./marketMetrics.ts";
import { createLogger, type Logger } from "../../core/logger.ts";
import { continuumMatcherChain } from "../../matcher/matcherChain.ts";
import { Matcher } from "../../matcher/Matcher.ts";
import { MatchingBook } from "../../matcher/MatchingBook.ts";
import { continuumDomain } from "../../wire/eip712/index.ts";
import { indexerEntities, indexerMigrations, openDataSource } from "../../persistence/index.ts";
import { Ledger, ledgerEntities, ledgerMigrations } from "../../persistence/ledger/index.ts";
import { bookEntities, bookMigrations, ContractOrderState, OrderBook, OrderIntake, OrderUnpublisher } from "../book/index.ts";
import { startHttpServer } from "../../http/index.ts";
import { createMarketApp } from "../http/createMarketApp.ts";
import { marketAccountLimits } from "../http/accountLimits.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import { createFeedRoutes } from "../routes/feed.ts";
import { createOrderRoutes } from "../routes/orders.ts";
import { createAuditRoutes } from "../routes/audit.ts";
import { createInfoRoutes } from "../routes/info.ts";
import { createRequestStatusRoutes } from "../routes/requestStatus.ts";
import { createPipelineRoutes } from "../routes/pipelines.ts";
import { PipelineOrchestrator, PipelineStore, pipelineMigrations } from "../pipelines/index.ts";
import { GatewayContentReader } from "../../storage/GatewayContentReader.ts";
import { TaskAttestations } from "../attestation/TaskAttestations.ts";
import { explorerPages } from "../explorer/index.ts";
import { createTaskAttestationRoutes } from "../routes/taskAttestation.ts";
import { createWorkerpoolRoutes } from "../routes/workerpools.ts";
import { SchedulerDirectory, SchedulerWatcher, schedulerDirectoryMigrations } from "../schedulers/index.ts";
import { mirrorBook } from "./bookMirror.ts";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { OrderBookEvents } from "../book/OrderBook.ts";
import { AdvisoryLease, SoleLease, type LeaderLease } from "../../persistence/leaderLease.ts";
import { NotificationListener } from "../../persistence/notificationListener.ts";
import { BookReplication, type ReplicaChannel } from "../replicas/BookReplication.ts";
import { Leadership, type ReplicaRole } from "../replicas/Leadership.ts";
import { reconcileMatchingBook } from "../replicas/reconcileMatchingBook.ts";
import { followChain } from "./chainFollower.ts";
import { availableParallelism } from "node:os";
import { Secp256k1Pool } from "../../crypto/threads/secp256k1Pool.ts";

export type StartMarketOptions = {
  config: Config;
  /** The chain; defaults to a JSON-RPC provider on config.chain.rpcUrl. */
  provider?: Provider;
  /** The protocol addresses; defaults to the JSON file at config.chain.deploymentFile. */
  deployment?: Deployment;
  logger?: Logger;
  /** How often expired orders leave the book, in ms (default 10 s). */
  expirySweepMs?: number;
};

export type RunningMarket = {
  /** Base URL, e.g. http://127.0.0.1:8080 (the API lives under /v1). */
  readonly url: string;
  readonly port: number;
  readonly dataSource: DataSource;
  readonly book: OrderBook;
  readonly ledger: Ledger;
  readonly indexer: ChainIndexer;
  /** The matcher while this replica leads; absent when it follows or no matcher key is configured. */
  readonly matcher: Matcher | undefined;
  /** This process's id among the replicas sharing the database. */
  readonly replica: string;
  /** Whether this replica leads (indexes and matches) or follows (serves the API and the feed). */
  readonly role: ReplicaRole;
  readonly lease: LeaderLease["mechanism"];
  /** The registry GET /metrics serves. */
  readonly metrics: Registry;
  close(): Promise<void>;
};

export async function startMarket(options: StartMarketOptions): Promise<RunningMarket> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ name: "market", level: config.logLevel });
  const deployment = options.deployment ?? (await readDeploymentFile(config.chain.deploymentFile));
  const ownProvider = options.provider === undefined;
  const provider =
    options.provider ?? new JsonRpcProvider(config.chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 500 });
  const closers: (() => Promise<void> | void)[] = ownProvider ? [() => provider.destroy()] : [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error }, "a market component failed to close");
      }
    }
  };
  try {
    const chainId = await checkChain(provider, deployment, config);
    const domain = continuumDomain(chainId, deployment.continuum);
    const replica = replicaId();
    const target = databaseTarget(config, "market");
    const dataSource = await openDataSource({
      ...target,
      entities: [...indexerEntities, ...ledgerEntities, ...bookEntities],
      migrations: [...indexerMigrations, ...ledgerMigrations, ...bookMigrations, ...schedulerDirectoryMigrations, ...pipelineMigrations],
      logger,
    });
    closers.push(() => dataSource.destroy());

    const chain = new ContractOrderState({ provider, deployment });
    const book = new OrderBook({ db: dataSource, chain, logger });
    // Signatures are recovered beside the event loop, which meanwhile does the database and chain work.
    const recovery = new Secp256k1Pool({ threads: Math.max(1, availableParallelism() - 1) });
    closers.push(() => recovery.close());
    // Filled in once the matching book and the indexer exist; intake counts from its first order.
    let metrics: MarketMetrics | undefined;
    const intake = new OrderIntake({ book, chain, domain, recovery, logger, onIngested: (outcomes) => metrics?.countOrders(outcomes) });
    const unpublisher = new OrderUnpublisher({ book, chain, domain });
    const ledger = new Ledger(dataSource);
    // What the matcher's memory and the feed hear: this replica's book changes and the others'.
    const events = new EventEmitter<OrderBookEvents>();
    const feed = createFeedRoutes({ book: events, logger });
    closers.push(() => feed.close());
    const channel = "url" in target ? replicaChannel(target, dataSource, logger) : undefined;
    const replication = new BookReplication({ book, events, feed, origin: replica, ...(channel ? { channel } : {}), logger });
    closers.push(() => replication.close());

    const indexer = new ChainIndexer({
      provider,
      deployment,
      db: dataSource,
      confirmations: config.chain.confirmations,
      pollIntervalMs: config.market.indexIntervalMs,
      logger,
    });
    const onApplied = followChain({ book, publish: (topic, data) => replication.publishFeed(topic, data), logger });
    // Pipelines move forward on chain events: a stage's result makes the stages reading it ready.
    const pipelines = new PipelineStore(dataSource);
    const orchestrator = new PipelineOrchestrator({ store: pipelines, ledger, intake, book, chainTime: () => chain.latestTimestamp(), logger });
    indexer.on("applied", (applied) => {
      onApplied(applied)
        .catch((error: unknown) => logger.warn({ err: error }, "cannot apply indexed events to the book"))
        .finally(() => orchestrator.poke());
    });
    indexer.on("rewound", (forkBlock) => replication.publishFeed("chain.rewound", { forkBlock }));

    // Hear the other replicas first: what they notify before the load below is in the database it reads.
    await replication.start();
    const matching = new MatchingBook();
    const mirror = await mirrorBook(book, events, matching);
    closers.push(() => mirror.stop());

    let matcher: Matcher | undefined;
    const reconcile = (why: string) =>
      replication
        .exclusive(() =>
          reconcileMatchingBook({ book, matching, events, chainNow: () => chain.latestTimestamp(), setAside: (hash) => matcher?.isParked(hash) ?? false }),
        )
        .then(
          (result) => {
            const fixed = result.added + result.removed + result.lowered;
            if (fixed > 0) logger.warn({ ...result, why }, "the matcher's memory was out of step with the database; set right");
            else logger.debug({ ...result, why }, "the matcher's memory matches the database");
          },
          (error: unknown) => logger.warn({ err: error, why }, "cannot compare the matcher's memory with the database"),
        );
    if (channel) {
      channel.listener.on("reconnected", () => void reconcile("notifications were missed while disconnected"));
      const reconciling = setInterval(() => void reconcile("periodic"), config.market.reconcileIntervalMs);
      reconciling.unref();
      closers.push(() => clearInterval(reconciling));
    }

    const lease: LeaderLease =
      "url" in target
        ? new AdvisoryLease({ url: target.url, name: `${target.schema}.market-leader`, intervalMs: config.market.leaseIntervalMs, logger })
        : new SoleLease();
    const leadership = new Leadership({
      lease,
      replica,
      logger,
      lead: async () => {
        // Notices missed before now do not matter once memory equals the database.
        if (channel) await reconcile("leadership acquired");
        indexer.start();
        orchestrator.start();
        matcher = startMatcher(config, provider, deployment, matching, metrics!, logger);
        const leading = matcher;
        return async () => {
          matcher = undefined;
          await leading?.stop();
          await orchestrator.stop();
          await indexer.stop();
        };
      },
    });
    metrics = createMarketMetrics({ book: matching, indexer, role: () => leadership.role });

    const sweep = setInterval(() => {
      book.removeExpired().catch((error: unknown) => logger.warn({ err: error }, "cannot remove expired orders"));
    }, options.expirySweepMs ?? 10_000);
    sweep.unref();
    closers.push(() => clearInterval(sweep));

    const gatewayUrl = config.market.gatewayUrl ?? `http://${config.gateway.host}:${config.gateway.port}`;
    const attestations = new TaskAttestations(ledger, new GatewayContentReader({ gatewayUrl }));
    const schedulers = new SchedulerDirectory(dataSource);
    const watcher = new SchedulerWatcher({
      directory: schedulers,
      intervalMs: config.market.schedulerCheckIntervalMs,
      timeoutMs: config.market.schedulerCheckTimeoutMs,
      logger,
    });
    watcher.start();
    closers.push(() => watcher.stop());
    const modules: RouteModule[] = [
      createInfoRoutes({ chainId, deployment, replica: () => ({ id: replica, role: leadership.role, lease: lease.mechanism }) }),
      createOrderRoutes({ book, intake, unpublisher }),
      createRequestStatusRoutes(ledger, { book }),
      createPipelineRoutes({ store: pipelines, orchestrator, domain }),
      createAuditRoutes(ledger),
      createTaskAttestationRoutes(attestations),
      createWorkerpoolRoutes({
        ledger,
        directory: schedulers,
        watcher,
        market: { chainId, continuum: deployment.continuum },
        ownerOf: async (workerpool) => (await chain.assetOf("workerpool", workerpool))?.owner ?? null,
      }),
      feed,
    ];
    const token = await readTokenUnit(provider, deployment.token);
    const app = createMarketApp({
      modules,
      pages: [explorerPages(ledger, { token, attestations, schedulers, pipelines: orchestrator, logger })],
      bodyLimitBytes: config.market.bodyLimitBytes,
      rateLimitPerMinute: config.market.rateLimitPerMinute,
      accountLimits: marketAccountLimits({
        market: { chainId, continuum: deployment.continuum },
        perMinute: config.market.accountRateLimitPerMinute,
      }),
      metrics: metrics.registry,
      readiness: [chainReachable(provider), databaseMigrated(dataSource), indexerNearHead(indexer, config.chain.maxIndexerLagBlocks)],
      logger,
    });
    leadership.start();
    closers.push(() => leadership.stop());
    // Alone on its database, the process leads before it serves, as a single market always did.
    if (lease.mechanism === "sole") await leadership.settled();
    const server = await listen(app, config, logger);
    closers.push(() => server.close());
    logger.info(
      { url: server.url, chainId: chainId.toString(), openOrders: mirror.loaded, matcherKey: config.market.matcherKey ? "set" : "none", replica, lease: lease.mechanism, role: leadership.role },
      "market listening",
    );
    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      port: server.port,
      dataSource,
      book,
      ledger,
      indexer,
      get matcher() {
        return matcher;
      },
      replica,
      get role() {
        return leadership.role;
      },
      lease: lease.mechanism,
      metrics: metrics.registry,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** This process among the replicas: its host, its pid and a random part (a restarted process is another replica). */
function replicaId(): string {
  return `${hostname().slice(0, 60)}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/** The channel the replicas of one schema tell each other their book changes on. */
function replicaChannel(target: Extract<DatabaseTarget, { url: string }>, dataSource: DataSource, logger: Logger): ReplicaChannel {
  const name = `${target.schema}_book_changes`;
  return {
    listener: new NotificationListener({ url: target.url, channel: name, logger }),
    notify: async (payload) => {
      await dataSource.query("SELECT pg_notify($1, $2)", [name, payload]);
    },
  };
}

function startMatcher(
  config: Config,
  provider: Provider,
  deployment: Deployment,
  book: MatchingBook,
  metrics: MarketMetrics,
  logger: Logger,
): Matcher | undefined {
  const key = config.market.matcherKey;
  if (key === undefined) {
    logger.warn("no matcher key configured (CONTINUUM_MATCHER_KEY): orders are served but not matched");
    return undefined;
  }
  const wallet = new Wallet(`0x${key}`, provider);
  const sender = new MatchSender({ wallet, continuum: deployment.continuum, logger });
  const matcher = new Matcher({
    book,
    sender: metrics.observeSender(sender),
    chain: continuumMatcherChain(provider, deployment.continuum),
    intervalMs: config.market.matchIntervalMs,
    logger,
  });
  matcher.on("matched", (event) => logger.info({ dealId: event.dealId, txHash: event.txHash }, "deal created"));
  matcher.on("refused", (event) => logger.info({ code: event.code, request: event.hashes.request }, "match refused"));
  matcher.start();
  return matcher;
}

async function checkChain(provider: Provider, deployment: Deployment, config: Config): Promise<bigint> {
  try {
    return await deploymentOnChain(provider, deployment, config.chain.chainId);
  } catch (error) {
    if (error instanceof ContinuumError) throw error;
    throw new ContinuumError("CHAIN_UNREACHABLE", `cannot reach the chain at ${config.chain.rpcUrl}; is the node running?`, {
      rpcUrl: config.chain.rpcUrl,
    }, { cause: error });
  }
}

async function listen(app: Parameters<typeof startHttpServer>[0], config: Config, logger: Logger) {
  const { host, port } = config.market;
  try {
    return await startHttpServer(app, { host, port, limits: config.http, logger });
  } catch (error) {
    const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
    const reason = cause?.code === "EADDRINUSE" ? "the port is in use (another market running? set CONTINUUM_MARKET_PORT)" : (error as Error).message;
    throw new ContinuumError("MARKET_LISTEN_FAILED", `the market cannot listen on ${host}:${port}: ${reason}`, { host, port }, { cause: error });
  }
}
