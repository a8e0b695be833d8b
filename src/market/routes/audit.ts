// Auditors' routes over the ledger the indexer builds: deals, a deal's tasks, tasks, payments and
// claims (filtered by party, asset and time, cursor-paginated), a workerpool's reputation and an
// escrow account. Every record names the block and transaction proving it; an account nothing
// ever moved reads as zero, with no proof.
import express, { type Request } from "express";
import type { Ledger } from "../../persistence/ledger/index.ts";
import type { EscrowAccountJson } from "../../wire/marketApi/auditRecords.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import { MarketError } from "../MarketError.ts";
import { AUDIT_PATHS, AUDIT_SCHEMAS } from "./auditOpenApi.ts";
import {
  LIST_PARAMS,
  eventPage,
  paymentPage,
  parseAddress,
  parseAssetId,
  parseDealId,
  parseListQuery,
  taskIndexPage,
} from "./auditQuery.ts";

function queryOf(req: Request): Record<string, unknown> {
  return req.query as Record<string, unknown>;
}

function dealNotFound(dealId: string) {
  return new MarketError("DEAL_NOT_FOUND", `the ledger holds no deal ${dealId}; check the id, or wait for the indexer to reach its block`, { dealId });
}

export function createAuditRoutes(ledger: Ledger): RouteModule {
  const router = express.Router();

  router.get("/deals", async (req, res) => {
    const { order, ...filter } = parseListQuery(queryOf(req), LIST_PARAMS.deals);
    res.json(await ledger.deals(filter, eventPage(queryOf(req), order)));
  });

  router.get("/deals/:dealId", async (req, res) => {
    const dealId = parseDealId(req.params.dealId);
    const deal = await ledger.deal(dealId);
    if (!deal) throw dealNotFound(dealId);
    res.json(deal);
  });

  router.get("/deals/:dealId/tasks", async (req, res) => {
    const dealId = parseDealId(req.params.dealId);
    parseListQuery(queryOf(req), LIST_PARAMS.dealTasks);
    const page = await ledger.dealTasks(dealId, taskIndexPage(queryOf(req)));
    if (!page) throw dealNotFound(dealId);
    res.json(page);
  });

  router.get("/tasks", async (req, res) => {
    const { order, ...filter } = parseListQuery(queryOf(req), LIST_PARAMS.tasks);
    res.json(await ledger.tasks(filter, eventPage(queryOf(req), order)));
  });

  router.get("/claims", async (req, res) => {
    const { order, ...filter } = parseListQuery(queryOf(req), LIST_PARAMS.claims);
    res.json(await ledger.claims(filter, eventPage(queryOf(req), order)));
  });

  router.get("/payments", async (req, res) => {
    const { order, ...filter } = parseListQuery(queryOf(req), LIST_PARAMS.payments);
    res.json(await ledger.payments(filter, paymentPage(queryOf(req), order)));
  });

  router.get("/workerpools/:workerpool/reputation", async (req, res) => {
    const workerpool = parseAssetId("workerpool", req.params.workerpool);
    const reputation = await ledger.reputation(workerpool);
    if (!reputation) {
      throw new MarketError("WORKERPOOL_NOT_FOUND", `the ledger holds no registration of workerpool ${workerpool}`, { workerpool });
    }
    res.json(reputation);
  });

  router.get("/accounts/:address/escrow", async (req, res) => {
    const address = parseAddress(req.params.address);
    const account: EscrowAccountJson = (await ledger.escrowAccount(address)) ?? {
      address,
      balance: "0",
      locked: "0",
      blockNumber: null,
      blockTime: null,
      transactionHash: null,
    };
    res.json(account);
  });

  return { name: "audit", router, openapi: { paths: AUDIT_PATHS, schemas: AUDIT_SCHEMAS } };
}
