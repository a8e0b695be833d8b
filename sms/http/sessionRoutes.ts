// The enclave's side of the SMS: POST /v1/challenges for a freshness nonce to put in the quote's
// report data, and POST /v1/sessions to trade a quote and an authorization for sealed secrets.
import express from "express";
import type { z } from "zod";
import { EnclaveCryptoError, enclaveAddressOf, enclavePublicKeyForms } from "../../src/crypto/enclave/index.ts";
import { toHex } from "../../src/crypto/hex.ts";
import type { RouteModule } from "../../src/http/routeModule.ts";
import { AttestationError } from "../../src/attestation/AttestationError.ts";
import type { SessionRequest } from "../sessions/checkSession.ts";
import type { SessionService } from "../sessions/sessionService.ts";
import { SmsError } from "../SmsError.ts";
import { parseBody } from "./fields.ts";
import { SESSION_OPENAPI } from "./openapi.ts";
import { sessionBodySchema } from "./requestBodies.ts";

export function createSessionRoutes(sessions: SessionService, clock: () => Date): RouteModule {
  const router = express.Router();
  router.post("/challenges", (req, res) => {
    const now = clock();
    let nonce: Uint8Array;
    try {
      nonce = sessions.challenges.issue(now, req.ip ?? "unknown");
    } catch (error) {
      if (!(error instanceof AttestationError && error.code === "TOO_MANY_CHALLENGES")) throw error;
      res.setHeader("Retry-After", String(error.details?.retryAfterSeconds ?? 60));
      throw new SmsError("TOO_MANY_CHALLENGES", error.message, error.details);
    }
    res.status(201).json({
      nonce: toHex(nonce),
      expiresAt: new Date(now.getTime() + sessions.challengeTtlSeconds * 1000).toISOString(),
      ttlSeconds: sessions.challengeTtlSeconds,
    });
  });
  router.post("/sessions", async (req, res) => {
    const result = await sessions.open(parseSessionRequest(req.body));
    if (result.outcome === "refused") {
      throw new SmsError(result.reason, result.detail, {
        sessionId: result.sessionId,
        ...result.session,
        ...(result.failure === undefined ? {} : { failure: result.failure }),
      });
    }
    res.status(200).json({ sessionId: result.sessionId, ...result.session, secrets: result.secrets, attestation: result.attestation });
  });
  return { name: "sessions", router, openapi: SESSION_OPENAPI };
}

/** A session request from its JSON body; throws INVALID_REQUEST or INVALID_ENCLAVE_KEY naming the problem. */
export function parseSessionRequest(json: unknown): SessionRequest {
  return toSessionRequest(parseBody(sessionBodySchema, json));
}

function toSessionRequest(body: z.output<typeof sessionBodySchema>): SessionRequest {
  let enclavePublicKey: Uint8Array;
  try {
    enclavePublicKey = enclavePublicKeyForms(body.enclavePublicKey).uncompressed;
  } catch (error) {
    if (error instanceof EnclaveCryptoError) {
      throw new SmsError("INVALID_ENCLAVE_KEY", "enclavePublicKey is not a point on secp256k1");
    }
    throw error;
  }
  return {
    quote: body.quote,
    enclavePublicKey,
    enclave: enclaveAddressOf(enclavePublicKey),
    worker: body.worker,
    dealId: body.dealId,
    taskIndex: body.taskIndex,
    attempt: body.attempt,
    dealBlock: body.dealBlock,
    authorization: body.authorization,
    workerSignature: body.workerSignature,
    ...(body.dataset === undefined ? {} : { dataset: body.dataset }),
    ...(body.measurementDocument === undefined ? {} : { measurementDocument: body.measurementDocument }),
  };
}
