// Runs the market from the validated configuration: checks the chain against the deployment,
// opens the database (PGlite under the data dir, or PostgreSQL), follows the chain into the
// ledger and the book, keeps the matcher's memory in step with the book, matches from the
// configured wallet, publishes pipeline stages as their inputs become ready, and serves the REST
// API on market.host:market.port.
import { JsonRpcProvider, Wallet, type Provider } from "ethers";
import type { DataSource } from "typeorm";
import { deploymentOnChain } from "../../chain/checkChain.ts";
import { readDeploymentFile } from "../../chain/deploymentFile.ts";
import type { Deployment } from "../../chain/deployProtocol.ts";
import { MatchSender } from "../../chain/matchSender.ts";
import { readTokenUnit } from "../../chain/tokenUnit.ts";
import { databaseTarget, type Config } from "../../config/index.ts";
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
import { mirrorBook } from "./bookMirror.ts";
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
  /** Absent when no matcher key is configured. */
  readonly matcher: Matcher | undefined;
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
    const dataSource = await openDataSource({
      ...databaseTarget(config, "market"),
      entities: [...indexerEntities, ...ledgerEntities, ...bookEntities],
      migrations: [...indexerMigrations, ...ledgerMigrations, ...bookMigrations, ...pipelineMigrations],
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
    const feed = createFeedRoutes({ book, logger });
    closers.push(() => feed.close());

    const indexer = new ChainIndexer({
      provider,
      deployment,
      db: dataSource,
      confirmations: config.chain.confirmations,
      pollIntervalMs: config.market.indexIntervalMs,
      logger,
    });
    const onApplied = followChain({ book, publish: (topic, data) => feed.publish(topic, data), logger });
    // Pipelines move forward on chain events: a stage's result makes the stages reading it ready.
    const pipelines = new PipelineStore(dataSource);
    const orchestrator = new PipelineOrchestrator({ store: pipelines, ledger, intake, book, chainTime: () => chain.latestTimestamp(), logger });
    indexer.on("applied", (events) => {
      onApplied(events)
        .catch((error: unknown) => logger.warn({ err: error }, "cannot apply indexed events to the book"))
        .finally(() => orchestrator.poke());
    });
    indexer.on("rewound", (forkBlock) => feed.publish("chain.rewound", { forkBlock }));
    indexer.start();
    closers.push(() => indexer.stop());
    orchestrator.start();
    closers.push(() => orchestrator.stop());

    const matching = new MatchingBook();
    metrics = createMarketMetrics({ book: matching, indexer });
    const mirror = await mirrorBook(book, matching);
    closers.push(() => mirror.stop());
    const matcher = startMatcher(config, provider, deployment, matching, metrics, logger);
    if (matcher) closers.push(() => matcher.stop());

    const sweep = setInterval(() => {
      book.removeExpired().catch((error: unknown) => logger.warn({ err: error }, "cannot remove expired orders"));
    }, options.expirySweepMs ?? 10_000);
    sweep.unref();
    closers.push(() => clearInterval(sweep));

    const gatewayUrl = config.market.gatewayUrl ?? `http://${config.gateway.host}:${config.gateway.port}`;
    const attestations = new TaskAttestations(ledger, new GatewayContentReader({ gatewayUrl }));
    const modules: RouteModule[] = [
      createInfoRoutes({ chainId, deployment }),
      createOrderRoutes({ book, intake, unpublisher }),
      createRequestStatusRoutes(ledger, { book }),
      createPipelineRoutes({ store: pipelines, orchestrator, domain }),
      createAuditRoutes(ledger),
      createTaskAttestationRoutes(attestations),
      feed,
    ];
    const token = await readTokenUnit(provider, deployment.token);
    const app = createMarketApp({
      modules,
      pages: [explorerPages(ledger, { token, attestations, pipelines: orchestrator, logger })],
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
    const server = await listen(app, config, logger);
    closers.push(() => server.close());
    logger.info(
      { url: server.url, chainId: chainId.toString(), openOrders: mirror.loaded, matcher: matcher ? "on" : "off" },
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
      matcher,
      metrics: metrics.registry,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
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
