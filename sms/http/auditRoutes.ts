// POST /v1/audit: the owner of a secret reads the decisions that concern it, with a signed query.
import express, { type Router } from "express";
import { z } from "zod";
import { readAudit, type AuditContext } from "../audit/readAudit.ts";
import { MAX_AUDIT_PAGE } from "../persistence/AuditRepository.ts";
import { SECRET_KINDS } from "../../src/wire/smsApi/secretKinds.ts";
import { address, parseBody, signature65, uint256 } from "./fields.ts";

export const DEFAULT_AUDIT_PAGE = 100;

export const auditBodySchema = z.strictObject({
  query: z.strictObject({
    reader: address,
    kind: z.enum(SECRET_KINDS, { error: `must be one of ${SECRET_KINDS.join(", ")}` }),
    asset: uint256,
    expiry: uint256,
  }),
  signature: signature65,
  afterId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).default(DEFAULT_AUDIT_PAGE),
}).superRefine(({ query }, refinement) => {
  if (query.kind === "requester" && query.asset !== 0n) {
    refinement.addIssue({ code: "custom", path: ["query", "asset"], message: "must be 0 for requester secrets" });
  }
  if (query.kind !== "requester" && query.asset === 0n) {
    refinement.addIssue({ code: "custom", path: ["query", "asset"], message: `must be the ${query.kind} id` });
  }
});

export function auditRouter(context: AuditContext): Router {
  const router = express.Router();
  router.post("/audit", async (req, res) => {
    const body = parseBody(auditBodySchema, req.body);
    res.status(200).json(await readAudit(context, { ...body.query, signature: body.signature, afterId: body.afterId, limit: body.limit }));
  });
  return router;
}
