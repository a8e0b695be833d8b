// The auditor's web explorer over the ledger: server-rendered pages that work without script,
// mounted at /explorer beside the JSON API whose parsing rules and error codes they share.
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Ledger } from "../../persistence/ledger/index.ts";
import { ContinuumError } from "../../core/ContinuumError.ts";
import type { TokenUnit } from "../../core/tokenAmount.ts";
import { silentLogger, type Logger } from "../../core/logger.ts";
import { ApiError } from "../../http/ApiError.ts";
import type { PageMount } from "../http/createMarketApp.ts";
import { renderAccountPage } from "./accountPage.ts";
import type { ExplorerView, PipelineProgressReader, SchedulerLookup } from "./components.ts";
import { renderDealPage } from "./dealPage.ts";
import { renderDealsPage } from "./dealsPage.ts";
import { explorerErrorHandler } from "./errorPage.ts";
import { EXPLORER_PATH } from "./format.ts";
import { renderPipelinePage } from "./pipelinePage.ts";
import { renderRequestPage } from "./requestPage.ts";
import { renderTaskPage } from "./taskPage.ts";
import type { TaskAttestations } from "../attestation/TaskAttestations.ts";
import { renderWorkerpoolPage } from "./workerpoolPage.ts";

export type ExplorerOptions = {
  /** The payment token's symbol and decimals (read from its contract): every amount is shown in it. */
  token: TokenUnit;
  /** Base URL of a public chain explorer; block numbers and transaction hashes then link to it. */
  chainExplorerUrl?: string;
  /** Where task pages find a result's attestation bundle; without it they show none. */
  attestations?: TaskAttestations;
  /** Announced workerpool schedulers, shown with their runtimes on workerpool pages. */
  schedulers?: SchedulerLookup;
  /** Where pipeline pages read a pipeline's progress; without it they answer 404 PIPELINE_NOT_FOUND. */
  pipelines?: PipelineProgressReader;
  logger?: Logger;
};

type PageRenderer = (ledger: Ledger, view: ExplorerView, req: Request, res: Response) => Promise<void>;

const PAGES: readonly [path: string, render: PageRenderer][] = [
  ["/", renderDealsPage],
  ["/deals/:dealId", renderDealPage],
  ["/deals/:dealId/tasks/:index", renderTaskPage],
  ["/workerpools/:id", renderWorkerpoolPage],
  ["/accounts/:address", renderAccountPage],
  ["/requests/:hash", renderRequestPage],
  ["/pipelines/:id", renderPipelinePage],
];

function chainExplorerBase(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new ContinuumError("INVALID_CHAIN_EXPLORER_URL", `the chain explorer URL must be an http(s) URL, got "${url}"`, { url });
  }
  return url.replace(/\/+$/, "");
}

/** A method other than GET on a page is 405; any other path under the explorer is 404 ROUTE_NOT_FOUND. */
function unknownPage(req: Request, res: Response, next: NextFunction): void {
  const isPage = PAGES.some(([path]) => pathPattern(path).test(req.path));
  if (isPage && req.method !== "GET" && req.method !== "HEAD") {
    res.set("Allow", "GET, HEAD");
    next(new ApiError(405, "METHOD_NOT_ALLOWED", `${req.method} is not served on ${EXPLORER_PATH}${req.path}; pages are read with GET`));
    return;
  }
  next(new ApiError(404, "ROUTE_NOT_FOUND", `the explorer has no page ${EXPLORER_PATH}${req.path}`));
}

function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[A-Za-z]+/g, "[^/]+").replace(/\/$/, "")}/?$`);
}

/** GET pages of the explorer, relative to where it is mounted (EXPLORER_PATH, /explorer). */
export function createExplorerRouter(ledger: Ledger, options: ExplorerOptions): Router {
  const view: ExplorerView = {
    token: options.token,
    chainExplorerUrl: chainExplorerBase(options.chainExplorerUrl),
    ...(options.attestations === undefined ? {} : { attestations: options.attestations }),
    ...(options.schedulers === undefined ? {} : { schedulers: options.schedulers }),
    ...(options.pipelines === undefined ? {} : { pipelines: options.pipelines }),
  };
  const logger = (options.logger ?? silentLogger()).child({ component: "explorer" });
  const router = express.Router();
  for (const [path, render] of PAGES) {
    router.get(path, (req, res) => render(ledger, view, req, res));
  }
  router.use(unknownPage);
  router.use(explorerErrorHandler(logger));
  return router;
}

/** The explorer as createMarketApp's `pages` entry, at EXPLORER_PATH. */
export function explorerPages(ledger: Ledger, options: ExplorerOptions): PageMount {
  return { path: EXPLORER_PATH, router: createExplorerRouter(ledger, options) };
}
