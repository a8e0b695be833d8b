// Pipeline routes for requesters: POST /v1/pipelines takes a requester-signed pipeline with every
// stage's signed request order and holds each order back until its inputs are ready; GET
// /v1/pipelines/{id} shows each stage's state, deal, task and result; GET /v1/pipelines/schema
// serves the document's JSON Schema.
import express from "express";
import type { TypedDataDomain } from "ethers";
import type { RouteModule } from "../../http/routeModule.ts";
import { pipelineJsonSchema } from "../../wire/pipelines/index.ts";
import { MarketError } from "../MarketError.ts";
import { OrderDigester } from "../book/orderDigester.ts";
import type { PipelineOrchestrator } from "../pipelines/PipelineOrchestrator.ts";
import { readPipelineSubmission } from "../pipelines/pipelineSubmission.ts";
import type { PipelineStore } from "../pipelines/PipelineStore.ts";
import { PIPELINE_PATHS, PIPELINE_SCHEMAS } from "./pipelinesOpenApi.ts";

export type PipelineRoutesOptions = { store: PipelineStore; orchestrator: PipelineOrchestrator; domain: TypedDataDomain };

const PIPELINE_ID = /^0x[0-9a-fA-F]{64}$/;

function parsePipelineId(value: unknown): string {
  const id = String(value);
  if (!PIPELINE_ID.test(id)) throw new MarketError("INVALID_PIPELINE_ID", `${id} is not a pipeline id (32 bytes as 0x-prefixed hex)`);
  return id.toLowerCase();
}

export function createPipelineRoutes(options: PipelineRoutesOptions): RouteModule {
  const router = express.Router();
  const digester = new OrderDigester(options.domain);

  router.get("/pipelines/schema", (_req, res) => {
    res.json(pipelineJsonSchema());
  });

  router.post("/pipelines", async (req, res) => {
    const pipeline = readPipelineSubmission(options.domain, digester, req.body);
    if (!(await options.store.create(pipeline))) {
      throw new MarketError("PIPELINE_EXISTS", `pipeline ${pipeline.id} was submitted already, or one of its stage orders belongs to another pipeline`, {
        id: pipeline.id,
      });
    }
    // Stages without stage inputs are ready now: their orders enter the book before the answer.
    const status = await options.orchestrator.advance(pipeline.id);
    res.status(201).location(`/v1/pipelines/${pipeline.id}`).json(status);
  });

  router.get("/pipelines/:id", async (req, res) => {
    const id = parsePipelineId(req.params.id);
    const status = await options.orchestrator.progress(id);
    if (status === undefined) throw new MarketError("PIPELINE_NOT_FOUND", `no pipeline ${id} was submitted to this market`, { id });
    res.json(status);
  });

  return { name: "pipelines", router, openapi: { paths: PIPELINE_PATHS, schemas: PIPELINE_SCHEMAS } };
}
