// The enclave's side of the SMS: POST /v1/challenges for a freshness nonce to put in the quote's
// report data, and POST /v1/sessions to trade a quote and an authorization for sealed secrets.
import express, { type Router } from "express";
import { z } from "zod";
import { EnclaveCryptoError, enclaveAddressOf, enclavePublicKeyForms } from "../../src/crypto/enclave/index.ts";
import { toHex } from "../../src/crypto/hex.ts";
import { AttestationError } from "../../src/attestation/AttestationError.ts";
import { ApiError } from "../../src/http/ApiError.ts";
import type { SessionRequest } from "../sessions/checkSession.ts";
import type { SessionService } from "../sessions/sessionService.ts";
import { address, bytes32, hexBytes, parseBody, signature65, uint256 } from "./fields.ts";

/** DCAP quotes with their PCK chain are 4 to 6 KiB. */
export const MAX_QUOTE_BYTES = 16_384;
/** A measurement document is a few hundred bytes of JSON. */
export const MAX_MEASUREMENT_DOCUMENT_LENGTH = 2_048;

export const sessionBodySchema = z.strictObject({
  quote: hexBytes(1, MAX_QUOTE_BYTES),
  enclavePublicKey: z
    .string({ error: "must be an uncompressed secp256k1 public key" })
    .regex(/^0x04[0-9a-fA-F]{128}$/, { error: "must be an uncompressed secp256k1 public key: 0x04 followed by 128 hex digits" }),
  worker: address,
  dealId: bytes32,
  taskIndex: uint256,
  /** Which attempt of the task (1 for the first); one enclave per attempt. */
  attempt: z.int({ error: "must be an integer from 1" }).min(1).max(1_000),
  /** The block of the deal's DealCreated log (the scheduler's index knows it): the SMS reads that block only. */
  dealBlock: z.int({ error: "must be a block number" }).min(0).max(Number.MAX_SAFE_INTEGER),
  authorization: signature65,
  /** The worker's EIP-712 signature of SessionRequest(worker, taskId, attempt, enclave, keccak256(quote)). */
  workerSignature: signature65,
  dataset: uint256.optional(),
  /** The app's measurement document, when its registered measurement is the sha256 of one. */
  measurementDocument: z.string().min(2).max(MAX_MEASUREMENT_DOCUMENT_LENGTH).optional(),
});

export function sessionRouter(sessions: SessionService, clock: () => Date): Router {
  const router = express.Router();
  router.post("/challenges", (req, res) => {
    const now = clock();
    let nonce: Uint8Array;
    try {
      nonce = sessions.challenges.issue(now, req.ip ?? "unknown");
    } catch (error) {
      if (!(error instanceof AttestationError && error.code === "TOO_MANY_CHALLENGES")) throw error;
      res.setHeader("Retry-After", String(error.details?.retryAfterSeconds ?? 60));
      throw new ApiError(429, error.code, error.message, error.details);
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
      res.status(403).json(
        new ApiError(403, result.reason, result.detail, { sessionId: result.sessionId, ...result.session }).toJSON(),
      );
      return;
    }
    res.status(200).json({ sessionId: result.sessionId, ...result.session, secrets: result.secrets });
  });
  return router;
}

/** A session request from its JSON body; throws ApiError 400 naming the first bad field. */
export function parseSessionRequest(json: unknown): SessionRequest {
  return toSessionRequest(parseBody(sessionBodySchema, json));
}

function toSessionRequest(body: z.output<typeof sessionBodySchema>): SessionRequest {
  let enclavePublicKey: Uint8Array;
  try {
    enclavePublicKey = enclavePublicKeyForms(body.enclavePublicKey).uncompressed;
  } catch (error) {
    if (error instanceof EnclaveCryptoError) {
      throw new ApiError(400, "INVALID_ENCLAVE_KEY", "enclavePublicKey is not a point on secp256k1");
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
