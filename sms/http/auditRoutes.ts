// POST /v1/audit: the owner of a secret reads the decisions that concern it, with a signed query
// in the body and the shared paging in the query string (?limit=&cursor=, { items, nextCursor }).
import express from "express";
import { z } from "zod";
import { invalidCursor, parsePageQuery } from "../../src/http/pagination.ts";
import type { RouteModule } from "../../src/http/routeModule.ts";
import { readAudit, type AuditContext } from "../audit/readAudit.ts";
import { parseBody } from "./fields.ts";
import { AUDIT_OPENAPI } from "./openapi.ts";
import { auditBodySchema } from "./requestBodies.ts";

/** A cursor of this list: the id of the last entry of the previous page. */
const auditCursor = z.tuple([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]);

export function createAuditRoutes(context: AuditContext): RouteModule {
  const router = express.Router();
  router.post("/audit", async (req, res) => {
    const body = parseBody(auditBodySchema, req.body);
    const page = parsePageQuery(req.query as Record<string, unknown>);
    const cursor = page.cursor === null ? [0] : auditCursor.safeParse(page.cursor).data;
    if (cursor === undefined) throw invalidCursor();
    res.status(200).json(await readAudit(context, { ...body.query, signature: body.signature, afterId: cursor[0], limit: page.limit }));
  });
  return { name: "audit", router, openapi: AUDIT_OPENAPI };
}
