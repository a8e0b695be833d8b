// The devnet's collateral service: a PCCS-compatible HTTP server (Intel's PCS v4 routes) serving
// the devnet's signed TCB info, QE identity and CRLs, which the SMS fetches and caches exactly as
// it would from Intel's PCS or a PCCS. The collateral is issued once, and again on request: after
// a revocation, to put a document out of date, or when it nears its end of validity.
import { createServer, type Server } from "node:http";
import express from "express";
import { silentLogger, type Logger } from "../../../core/logger.ts";
import { listen, stopServer } from "../../../http/listen.ts";
import { CollateralCatalog } from "../pccs/CollateralCatalog.ts";
import { createCollateralRouter } from "../pccs/collateralServer.ts";
import type { CollateralDocumentKind, DevnetDcap } from "./DevnetDcap.ts";
import { DevnetDcapError } from "./DevnetDcapError.ts";

const DAY_MS = 86_400_000;

export type DevnetCollateralServiceOptions = {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The collateral's clock; the wall clock unless given. */
  now?: () => Date;
  logger?: Logger;
};

export class DevnetCollateralService {
  readonly url: string;
  readonly #devnet: DevnetDcap;
  readonly #server: Server;
  readonly #now: () => Date;
  #catalog: CollateralCatalog;
  #issuedAt: number;

  private constructor(devnet: DevnetDcap, server: Server, url: string, catalog: CollateralCatalog, now: () => Date) {
    this.#devnet = devnet;
    this.#server = server;
    this.url = url;
    this.#catalog = catalog;
    this.#issuedAt = now().getTime();
    this.#now = now;
  }

  /** Issues the collateral and serves it; a busy port rejects with DevnetDcapError("COLLATERAL_SERVICE_FAILED"). */
  static async start(devnet: DevnetDcap, options: DevnetCollateralServiceOptions): Promise<DevnetCollateralService> {
    const now = options.now ?? (() => new Date());
    const catalog = CollateralCatalog.fromSets(await devnet.collateralSets({ now: now() }));
    const app = express();
    app.disable("x-powered-by");
    let service: DevnetCollateralService | undefined;
    app.use(createCollateralRouter({ collateral: () => (service ? service.#current() : catalog), logger: options.logger ?? silentLogger() }));
    const server = createServer(app);
    const address = await listen(server, options.host, options.port, (cause) =>
      new DevnetDcapError("COLLATERAL_SERVICE_FAILED", `the devnet collateral service cannot listen on ${options.host}:${options.port}: ${cause.message}`, { host: options.host, port: options.port }, { cause }),
    );
    service = new DevnetCollateralService(devnet, server, address.url, catalog, now);
    return service;
  }

  /** Issues the collateral again now: after a revocation, or with the given documents already out of date. */
  async reissue(options: { expired?: CollateralDocumentKind[] } = {}): Promise<void> {
    const now = this.#now();
    this.#catalog = CollateralCatalog.fromSets(await this.#devnet.collateralSets({ now, ...(options.expired ? { expired: options.expired } : {}) }));
    this.#issuedAt = now.getTime();
  }

  close(): Promise<void> {
    return stopServer(this.#server);
  }

  /** The collateral served, issued again in the background once it is a week old (it is valid for 30 days). */
  #current(): CollateralCatalog {
    if (this.#now().getTime() - this.#issuedAt > 7 * DAY_MS) {
      this.#issuedAt = this.#now().getTime();
      void this.reissue().catch(() => undefined);
    }
    return this.#catalog;
  }
}
