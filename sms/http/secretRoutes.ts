// The owners' side of the SMS: POST /v1/secrets stores a dataset key, an app secret or a
// requester secret, signed by its on-chain owner; updates are explicit, at the next version.
import express from "express";
import type { RouteModule } from "../../src/http/routeModule.ts";
import { pushSecret, type PushContext } from "../secrets/pushSecret.ts";
import { parseBody } from "./fields.ts";
import { SECRET_OPENAPI } from "./openapi.ts";
import { secretPushBodySchema } from "./requestBodies.ts";

export function createSecretRoutes(context: PushContext): RouteModule {
  const router = express.Router();
  router.post("/secrets", async (req, res) => {
    const { push, value, signature } = parseBody(secretPushBodySchema, req.body);
    try {
      const result = await pushSecret(context, { ...push, value, signature });
      res.status(result.created ? 201 : 200).json({ secret: result.secret });
    } finally {
      value.fill(0);
    }
  });
  return { name: "secrets", router, openapi: SECRET_OPENAPI };
}
