// The requester's side of pipelines at the SMS: POST /v1/pipelines registers a signed pipeline so
// the SMS makes its intermediate keys and knows which stage may receive which. No route ever
// answers with an intermediate key: only enclave sessions (POST /v1/sessions) carry them, sealed.
import express from "express";
import type { RouteModule } from "../../src/http/routeModule.ts";
import { registerPipeline, type PipelineRegistrationContext } from "../pipelines/registerPipeline.ts";
import { PIPELINE_OPENAPI } from "./openapi.ts";

export function createPipelineRoutes(context: PipelineRegistrationContext): RouteModule {
  const router = express.Router();
  router.post("/pipelines", async (req, res) => {
    const result = await registerPipeline(context, req.body);
    res.status(result.created ? 201 : 200).json({ pipeline: result.pipeline });
  });
  return { name: "pipelines", router, openapi: PIPELINE_OPENAPI };
}
