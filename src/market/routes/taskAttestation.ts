// GET /v1/deals/{dealId}/tasks/{index}/attestation: a completed TEE task's attestation bundle, for
// requesters and auditors (TaskAttestations finds it through the result's envelope on IPFS).
import express from "express";
import type { RouteModule } from "../../http/routeModule.ts";
import type { TaskAttestations } from "../attestation/TaskAttestations.ts";
import { MarketError } from "../MarketError.ts";
import { parseDealId } from "./auditQuery.ts";
import { TASK_ATTESTATION_PATHS, TASK_ATTESTATION_SCHEMAS } from "./taskAttestationOpenApi.ts";

export function createTaskAttestationRoutes(attestations: TaskAttestations): RouteModule {
  const router = express.Router();
  router.get("/deals/:dealId/tasks/:index/attestation", async (req, res) => {
    const dealId = parseDealId(req.params.dealId);
    res.json(await attestations.of(dealId, parseTaskIndex(req.params.index)));
  });
  return { name: "attestation", router, openapi: { paths: TASK_ATTESTATION_PATHS, schemas: TASK_ATTESTATION_SCHEMAS } };
}

export function parseTaskIndex(value: unknown): bigint {
  if (typeof value !== "string" || !/^[0-9]{1,78}$/.test(value) || BigInt(value) >= 1n << 256n) {
    throw new MarketError("INVALID_TASK_INDEX", "the task index must be a whole number from 0, e.g. 0", { index: value });
  }
  return BigInt(value);
}
