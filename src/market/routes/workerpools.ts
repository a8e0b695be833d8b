// A workerpool as the market shows it, and its owner's announcement of its scheduler:
//   GET /v1/workerpools/{workerpool}            registration, and the scheduler with its runtimes
//   PUT /v1/workerpools/{workerpool}/scheduler?url=…   signed by the workerpool's on-chain owner
// The announcement reuses the account request signature (src/wire/marketApi/accountRequestSignature.ts),
// which covers the method and the path with its query: the URL is in the query, so it is signed.
import express, { type Request } from "express";
import type { Ledger } from "../../persistence/ledger/index.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import type { MarketIdentity } from "../../wire/marketApi/accountRequestSignature.ts";
import type { WorkerpoolJson } from "../../wire/marketApi/workerpoolScheduler.ts";
import { verifyAccountSignature } from "../http/accountSignature.ts";
import { MarketError } from "../MarketError.ts";
import type { SchedulerDirectory, SchedulerWatcher } from "../schedulers/index.ts";
import { parseAssetId } from "./auditQuery.ts";
import { WORKERPOOL_PATHS, WORKERPOOL_SCHEMAS } from "./workerpoolsOpenApi.ts";

export type WorkerpoolRoutesOptions = {
  ledger: Ledger;
  directory: SchedulerDirectory;
  watcher: SchedulerWatcher;
  market: MarketIdentity;
  /** The workerpool's current owner on-chain (checksummed), or null when it is not registered. */
  ownerOf: (workerpool: bigint) => Promise<string | null>;
  now?: () => number;
};

export function createWorkerpoolRoutes(options: WorkerpoolRoutesOptions): RouteModule {
  const now = options.now ?? Date.now;
  const router = express.Router();

  router.get("/workerpools/:workerpool", async (req, res) => {
    const workerpool = parseAssetId("workerpool", req.params.workerpool);
    const [registration, scheduler] = await Promise.all([options.ledger.asset("workerpool", workerpool), options.directory.of(BigInt(workerpool))]);
    if (!registration && !scheduler) {
      throw new MarketError("WORKERPOOL_NOT_FOUND", `the ledger holds no registration of workerpool ${workerpool}`, { workerpool });
    }
    const body: WorkerpoolJson = {
      workerpool,
      owner: registration?.owner ?? null,
      description: registration?.description ?? null,
      scheduler: scheduler ?? null,
    };
    res.json(body);
  });

  router.put("/workerpools/:workerpool/scheduler", async (req, res) => {
    const workerpool = BigInt(parseAssetId("workerpool", req.params.workerpool));
    const account = signedAccount(req, options.market, now());
    const url = parseSchedulerUrl(req.query.url);
    const owner = await options.ownerOf(workerpool);
    if (owner === null) throw new MarketError("WORKERPOOL_NOT_FOUND", `workerpool ${workerpool} is not registered on-chain`, { workerpool: workerpool.toString() });
    if (owner.toLowerCase() !== account) {
      throw new MarketError("NOT_WORKERPOOL_OWNER", `${account} does not own workerpool ${workerpool}; its owner announces its scheduler`, {
        workerpool: workerpool.toString(),
        account,
      });
    }
    await options.directory.announce(workerpool, url, account, now());
    // The first read is bounded by the watcher's timeout, so the owner learns at once whether the market reaches it.
    await options.watcher.check(workerpool, url);
    res.json((await options.directory.of(workerpool))!);
  });

  return { name: "workerpools", router, openapi: { paths: WORKERPOOL_PATHS, schemas: WORKERPOOL_SCHEMAS } };
}

function signedAccount(req: Request, market: MarketIdentity, nowMs: number): string {
  const signed = verifyAccountSignature(req, market, nowMs);
  if ("refused" in signed) throw new MarketError("ACCOUNT_SIGNATURE_REQUIRED", `announcing a scheduler needs the owner's signature: ${signed.refused}`);
  return signed.account;
}

/** An http(s) URL without credentials, query or fragment, trailing slashes and /v1 removed. */
export function parseSchedulerUrl(value: unknown): string {
  const refuse = (why: string) => new MarketError("INVALID_SCHEDULER_URL", `the url query parameter ${why}`, { url: typeof value === "string" ? value.slice(0, 200) : value });
  if (typeof value !== "string" || value === "") throw refuse("is required: the scheduler's base URL, e.g. http://pool.example:8070");
  if (value.length > 2_048) throw refuse("is longer than 2048 characters");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse("is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw refuse("must be http or https");
  if (url.username !== "" || url.password !== "") throw refuse("must not carry credentials");
  if (url.search !== "" || url.hash !== "") throw refuse("must not carry a query or a fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "")}`;
}
