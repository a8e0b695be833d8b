// The market assembled from real parts for integration tests: the protocol on the in-process
// Hardhat chain, the book on PGlite, the intake reading the chain, and the HTTP API on loopback.
import type { DataSource } from "typeorm";
import type { Signer } from "ethers";
import { silentLogger, type Logger } from "../../../src/core/logger.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { signOrder, type OrderKind, type OrderOf } from "../../../src/wire/eip712/index.ts";
import { bookEntities, bookMigrations, ContractOrderState, OrderBook, OrderIntake, OrderUnpublisher } from "../../../src/market/book/index.ts";
import { publishBodyOf } from "../../../src/wire/marketApi/orderJson.ts";
import { startHttpServer, type HttpServer } from "../../../src/http/index.ts";
import { createMarketApp, type MarketAppOptions } from "../../../src/market/http/createMarketApp.ts";
import { createOrderRoutes } from "../../../src/market/routes/orders.ts";
import { createFeedRoutes, type FeedModule } from "../../../src/market/routes/feed.ts";
import { createInfoRoutes } from "../../../src/market/routes/info.ts";
import type { Fixture } from "../../helpers/protocolFixture.ts";
import type { Express } from "express";

export type MarketDatabase = { dataSource: DataSource; close(): Promise<void> };

/** A migrated PGlite database in a throw-away directory. */
export async function openMarketDatabase(): Promise<MarketDatabase> {
  const directory: TemporaryDirectory = await createTemporaryDirectory("continuum-market-");
  const dataSource = await openDataSource({
    pgliteDir: directory.path,
    entities: bookEntities,
    migrations: bookMigrations,
    logger: silentLogger(),
  });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await directory.remove();
    },
  };
}

export type Market = {
  chain: ContractOrderState;
  book: OrderBook;
  intake: OrderIntake;
  unpublisher: OrderUnpublisher;
};

/** Book, intake and unpublisher for the fixture's deployment; fresh caches each call. */
export function marketFor(f: Fixture, dataSource: DataSource): Market {
  const chain = new ContractOrderState({ provider: f.ethers.provider, deployment: f.deployment });
  const book = new OrderBook({ db: dataSource, chain });
  const intake = new OrderIntake({ book, chain, domain: f.domain });
  const unpublisher = new OrderUnpublisher({ book, chain, domain: f.domain });
  return { chain, book, intake, unpublisher };
}

export type MarketServer = Market & { app: Express; server: HttpServer; feed: FeedModule; close(): Promise<void> };

export async function startMarketServer(
  f: Fixture,
  dataSource: DataSource,
  options: { bodyLimitBytes?: number; rateLimitPerMinute?: number; heartbeatMs?: number; logger?: Logger } = {},
): Promise<MarketServer> {
  const market = marketFor(f, dataSource);
  const feed = createFeedRoutes({ book: market.book, heartbeatMs: options.heartbeatMs });
  const app = createMarketApp({
    modules: [createInfoRoutes({ chainId: BigInt(f.deployment.chainId), deployment: f.deployment }), createOrderRoutes(market), feed],
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1_024,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    logger: options.logger ?? silentLogger(),
  });
  const server = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  return {
    ...market,
    app,
    server,
    feed,
    close: async () => {
      feed.close();
      await server.close();
    },
  };
}

/** A market app serving only `parts` on a loopback port, its limits out of the test's way. */
export async function serveMarketApp(parts: Pick<MarketAppOptions, "modules" | "pages"> & { logger?: Logger }): Promise<{ app: Express; server: HttpServer }> {
  const app = createMarketApp({ bodyLimitBytes: 16 * 1_024, rateLimitPerMinute: 1_000_000, logger: silentLogger(), ...parts });
  return { app, server: await startHttpServer(app, { host: "127.0.0.1", port: 0 }) };
}

/** The JSON body publishing `order` signed by `signer` (default: the fixture's rightful signer). */
export async function signedBody<K extends OrderKind>(f: Fixture, kind: K, order: OrderOf<K>, signer?: Signer) {
  const rightful = { app: f.appOwner, dataset: f.datasetOwner, workerpool: f.poolOwner, request: f.requester }[kind];
  return publishBodyOf(kind, order, await signOrder(kind, signer ?? rightful, f.domain, order));
}

export async function latestTimestamp(f: Fixture): Promise<bigint> {
  return BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp);
}
