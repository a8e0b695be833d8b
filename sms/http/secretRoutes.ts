// The owners' side of the SMS: POST /v1/secrets stores a dataset key, an app secret or a
// requester secret, signed by its on-chain owner; updates are explicit, at the next version.
import express, { type Router } from "express";
import { z } from "zod";
import { pushSecret, type PushContext } from "../secrets/pushSecret.ts";
import { DATASET_KEY_NAME, SECRET_KINDS, SECRET_NAME } from "../../src/wire/smsApi/secretKinds.ts";
import { address, hexBytes, parseBody, safeCount, signature65, uint256 } from "./fields.ts";

export const MAX_SECRET_BYTES = 16_384;

export const secretPushBodySchema = z
  .strictObject({
    push: z.strictObject({
      kind: z.enum(SECRET_KINDS, { error: `must be one of ${SECRET_KINDS.join(", ")}` }),
      asset: uint256,
      owner: address,
      name: z.string({ error: "must be a string" }).max(64, { error: "must be at most 64 characters" }),
      version: safeCount,
      expiry: uint256,
    }),
    value: hexBytes(1, MAX_SECRET_BYTES),
    signature: signature65,
  })
  .superRefine(({ push }, refinement) => {
    const problem = (path: string, message: string) => refinement.addIssue({ code: "custom", path: ["push", path], message });
    if (push.kind === "dataset" && push.name !== DATASET_KEY_NAME) problem("name", "must be empty: a dataset has one key");
    if (push.kind !== "dataset" && !SECRET_NAME.test(push.name)) {
      problem("name", "must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    if (push.kind === "requester" && push.asset !== 0n) problem("asset", "must be 0 for a requester secret");
    if (push.kind !== "requester" && push.asset === 0n) problem("asset", `must be the ${push.kind} id`);
  });

export function secretRouter(context: PushContext): Router {
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
  return router;
}
