// Assembles the SMS as an express application on the shared HTTP shell from its parts (database,
// chain reader, trusted root, master key), so tests and startSms build the very same service.
import type { Express } from "express";
import type { TypedDataDomain } from "ethers";
import type { DataSource } from "typeorm";
import type { SmsAttestation } from "./attestation/smsAttestation.ts";
import type { DealReader } from "../src/chain/dealReader.ts";
import { silentLogger, type Logger } from "../src/core/logger.ts";
import { createHttpApp } from "../src/http/createHttpApp.ts";
import { createAuditRoutes } from "./http/auditRoutes.ts";
import { createSecretRoutes } from "./http/secretRoutes.ts";
import { createSessionRoutes } from "./http/sessionRoutes.ts";
import { createPipelineRoutes } from "./http/pipelineRoutes.ts";
import { PipelineRepository } from "./persistence/PipelineRepository.ts";
import { SMS_ERROR_STATUS, translateSmsError } from "./http/smsErrors.ts";
import { AuditRepository } from "./persistence/AuditRepository.ts";
import { SecretRepository } from "./persistence/SecretRepository.ts";
import type { MasterKey } from "./secrets/MasterKey.ts";
import type { Secp256k1Pool } from "../src/crypto/threads/secp256k1Pool.ts";
import { authorizationCheck, sessionRequestCheck } from "./sessions/signerRecovery.ts";
import { EnclaveBindingRepository } from "./persistence/EnclaveBindingRepository.ts";
import { createSessionService, type SessionService } from "./sessions/sessionService.ts";
import { VerdictSigner } from "./verdicts/VerdictSigner.ts";
import type { Registry } from "prom-client";
import type { ReadinessCheck } from "../src/core/readinessCheck.ts";
import { createSmsMetrics } from "./metrics/smsMetrics.ts";

/** What the SMS reads from the chain; DealReader in production. */
export type SmsChain = Pick<
  DealReader,
  "readDeal" | "judgeTask" | "appOwner" | "datasetOwner"
>;

/** The session policy besides attestation; the defaults are the production ones. */
export type SmsPolicy = {
  /** How long a challenge from POST /v1/challenges may be answered. Default 300 s. */
  challengeTtlSeconds?: number;
  /** Attempts of one task the SMS serves, each with its own enclave. Default 5. */
  maxAttemptsPerTask?: number;
  /** Unanswered challenges one client (IP address) may hold at once. Default 256. */
  maxChallengesPerClient?: number;
};

export type SmsAppOptions = {
  /** A DataSource opened with smsEntities and smsMigrations. */
  dataSource: DataSource;
  chain: SmsChain;
  /** The protocol's EIP-712 domain: continuumDomain(chainId, continuum address). */
  domain: TypedDataDomain;
  /** How quotes are judged: the DCAP verifier, collateral and policy (smsAttestation builds them from the configuration). */
  attestation: SmsAttestation;
  masterKey: MasterKey;
  /** Signs the SMS's verdicts; by default with the key derived from the master key, in `domain`. */
  verdicts?: VerdictSigner;
  policy?: SmsPolicy;
  logger?: Logger;
  /** Wall clock for quote freshness, certificates and signed-request expiry; chain time judges deadlines. */
  clock?: () => Date;
  /** Largest accepted request body. Default 64 KiB. */
  bodyLimitBytes?: number;
  /** Sustained requests a minute per client IP (also the burst size); more get 429 RATE_LIMITED. Absent: no limit. */
  rateLimitPerMinute?: number;
  /** Threads for the sessions' secp256k1 work (authorization recovery, seal agreement); the event loop's own when absent. */
  crypto?: Secp256k1Pool;
  /** What GET /readyz checks (startSms: the chain and the database). */
  readiness?: readonly ReadinessCheck[];
};

export const DEFAULT_CHALLENGE_TTL_SECONDS = 300;
export const DEFAULT_MAX_ATTEMPTS_PER_TASK = 5;
export const DEFAULT_BODY_LIMIT_BYTES = 65_536;

export type SmsService = { app: Express; sessions: SessionService; verdicts: VerdictSigner; metrics: Registry };

export function createSmsApp(options: SmsAppOptions): Express {
  return createSmsService(options).app;
}

/** The express app and the session service behind its enclave routes, sharing one state. */
export function createSmsService(options: SmsAppOptions): SmsService {
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? (() => new Date());
  const secrets = new SecretRepository(options.dataSource);
  const pipelines = new PipelineRepository(options.dataSource);
  const audit = new AuditRepository(options.dataSource);
  const common = { chain: options.chain, audit, domain: options.domain, clock, logger };
  const verdicts = options.verdicts ?? new VerdictSigner(options.masterKey.signerKey(), options.domain);
  const metrics = createSmsMetrics();
  const unobserved = createSessionService({
    ...common,
    secrets,
    pipelines,
    masterKey: options.masterKey,
    verdicts,
    attestation: options.attestation,
    authorization: authorizationCheck(options.domain, options.crypto),
    sessionRequests: sessionRequestCheck(options.domain, options.crypto),
    bindings: new EnclaveBindingRepository(options.dataSource, {
      maxAttemptsPerTask: options.policy?.maxAttemptsPerTask ?? DEFAULT_MAX_ATTEMPTS_PER_TASK,
    }),
    ...(options.crypto ? { agree: (recipient: Uint8Array) => options.crypto!.agree(recipient) } : {}),
    challengeTtlSeconds: options.policy?.challengeTtlSeconds ?? DEFAULT_CHALLENGE_TTL_SECONDS,
    maxChallengesPerClient: options.policy?.maxChallengesPerClient,
  });
  const sessions = metrics.observeSessions(unobserved);

  const app = createHttpApp({
    title: "Continuum Secret Management Service",
    version: "1.0.0",
    description:
      "Keeps dataset keys, app secrets, requester secrets and pipelines' intermediate keys encrypted at rest, and releases " +
      "them, sealed to the enclave's key, only to an attested enclave running the deal's app for a live TEE task its workerpool " +
      "authorized (an intermediate key only to the enclave of a stage of its pipeline that reads or writes it). Signed messages use the protocol's EIP-712 domain: name \"Continuum\", version \"1\", the " +
      "chain id and the Continuum contract (the market's GET /v1/info serves it). Request bodies are never logged.",
    modules: [
      createSessionRoutes(sessions, clock),
      createSecretRoutes({ ...common, secrets, masterKey: options.masterKey }),
      createAuditRoutes(common),
      createPipelineRoutes({ pipelines, audit, masterKey: options.masterKey, domain: options.domain, logger }),
    ],
    errorStatus: SMS_ERROR_STATUS,
    translateError: translateSmsError,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    rateLimitPerMinute: options.rateLimitPerMinute,
    metrics: metrics.registry,
    readiness: options.readiness,
    // Answers carry sealed secrets and audit pages, never read twice: no ETag hashing.
    etag: false,
    logger,
  });
  return { app, sessions, verdicts, metrics: metrics.registry };
}
