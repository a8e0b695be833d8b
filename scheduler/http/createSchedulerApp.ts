// The scheduler's HTTP API for workers, under /v1 on the shared HTTP shell: registration,
// heartbeats, task polling, the enclave authorization, progress, results and failures, and the
// queue's depth for autoscalers. Every
// worker request is signed (auth/verifyWorkerRequest.ts) and acts only for the worker that signed it.
import { readFailureVerdict } from "../../src/wire/smsApi/sessionVerdicts.ts";
import type { Registry } from "prom-client";
import type { ReadinessCheck } from "../../src/core/readinessCheck.ts";
import express, { type Express, type Request } from "express";
import type { DataSource } from "typeorm";
import type { Logger } from "../../src/core/logger.ts";
import { createHttpApp } from "../../src/http/createHttpApp.ts";
import type { RawBodyRequest } from "../../src/http/jsonBody.ts";
import { type SchedulerIdentity } from "../../src/wire/workerApi/workerRequestSignature.ts";
import { verifyWorkerRequest } from "../auth/verifyWorkerRequest.ts";
import type { RuntimeOffer } from "../../src/wire/workerApi/assignment.ts";
import type { QueueSnapshotMessage } from "../../src/wire/workerApi/queueSnapshot.ts";
import { WorkerRepository } from "../persistence/index.ts";
import { SchedulerError } from "../SchedulerError.ts";
import type { TaskBoard } from "../tasks/TaskBoard.ts";
import {
  authorizationBody,
  failureBody,
  parseAddress,
  parseBody,
  parseTaskId,
  progressBody,
  registrationBody,
  resultBody,
} from "./requestBodies.ts";
import { SCHEDULER_OPENAPI, SCHEDULER_OPENAPI_COMPONENTS } from "./openapi.ts";
import { SCHEDULER_ERROR_STATUS } from "./schedulerErrors.ts";

export type SchedulerAppOptions = {
  db: DataSource;
  board: TaskBoard;
  identity: SchedulerIdentity;
  /** What GET /v1/info tells workers: the chain and contract their results are for. */
  info: { chainId: string; continuum: string; heartbeatIntervalMs: number };
  /** How far a signed request's timestamp may be from now (default 60 s). */
  signatureWindowMs?: number;
  /** Longest long-poll of next-task (default 20 s). */
  maxWaitMs?: number;
  /** True once the scheduler is closing: long polls answer at once. */
  closing: () => boolean;
  /** Served at GET /metrics. */
  metrics?: Registry;
  /** Checked by GET /readyz. */
  readiness?: readonly ReadinessCheck[];
  logger: Logger;
};

const POLL_STEP_MS = 200;
/** Worker bodies are small JSON reports; a result is the largest, well under this. */
const BODY_LIMIT_BYTES = 16_384;
/** Heartbeat intervals within which a worker counts as live for GET /v1/info. */
const LIVE_HEARTBEATS = 3;

export function createSchedulerApp(options: SchedulerAppOptions): Express {
  const router = express.Router();
  const workers = new WorkerRepository(options.db);
  const windowMs = options.signatureWindowMs ?? 60_000;
  const maxWaitMs = options.maxWaitMs ?? 20_000;

  const signer = (req: Request): string =>
    verifyWorkerRequest(
      options.identity,
      req.headers,
      { method: req.method, path: req.originalUrl, body: (req as RawBodyRequest).rawBody ?? "" },
      Date.now(),
      windowMs,
    );

  const registered = async (req: Request) => {
    const address = signer(req);
    const worker = await workers.worker(address);
    if (!worker) throw new SchedulerError("WORKER_NOT_FOUND", `worker ${address} is not registered`);
    return worker;
  };

  const sameWorker = (req: Request, address: string) => {
    if (parseAddress(req.params.address, "address").toLowerCase() !== address.toLowerCase()) {
      throw new SchedulerError("BAD_SIGNATURE", "a worker may only act for itself");
    }
  };

  router.get("/info", async (_req, res) => {
    const live = await workers.liveWithin(LIVE_HEARTBEATS * options.info.heartbeatIntervalMs);
    res.json({
      workerpool: options.identity.workerpool.toString(),
      workerpoolOwner: options.identity.owner,
      ...options.info,
      runtimes: distinctOffers(live.flatMap((worker) => worker.runtimes)),
    });
  });

  router.get("/queue", async (_req, res) => {
    const liveWorkers = (await workers.liveWithin(LIVE_HEARTBEATS * options.info.heartbeatIntervalMs)).length;
    const snapshot: QueueSnapshotMessage = { ...(await options.board.queue()), liveWorkers };
    res.json(snapshot);
  });

  router.post("/workers", async (req, res) => {
    const body = parseBody(registrationBody, req.body);
    const address = signer(req);
    const worker = await workers.register(address, body.capabilities);
    options.logger.info({ worker: address, ...body.capabilities }, "worker registered");
    res.status(201).json({ address: worker.address, capabilities: body.capabilities, heartbeatIntervalMs: options.info.heartbeatIntervalMs });
  });

  router.post("/workers/:address/heartbeat", async (req, res) => {
    const address = signer(req);
    sameWorker(req, address);
    const worker = await workers.heartbeat(address);
    if (!worker) throw new SchedulerError("WORKER_NOT_FOUND", `worker ${address} is not registered`);
    res.json({ address: worker.address, lastHeartbeat: worker.lastHeartbeat.toISOString() });
  });

  router.get("/workers/:address/next-task", async (req, res) => {
    const worker = await registered(req);
    sameWorker(req, worker.address);
    const waitMs = parseWait(req.query.waitMs, maxWaitMs);
    const until = Date.now() + waitMs;
    let gone = false;
    res.on("close", () => (gone = true));
    for (;;) {
      // A worker that hung up must not be handed a task it will never see.
      if (gone) return;
      const assignment = await options.board.nextTask(worker);
      if (assignment) {
        res.json({ assignment });
        return;
      }
      if (gone || options.closing() || Date.now() + POLL_STEP_MS > until) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_STEP_MS));
    }
    res.status(204).end();
  });

  router.post("/tasks/:taskId/authorization", async (req, res) => {
    const body = parseBody(authorizationBody, req.body);
    const worker = await registered(req);
    res.json(await options.board.authorize(worker.address, parseTaskId(req.params.taskId), body.enclave));
  });

  router.post("/tasks/:taskId/progress", async (req, res) => {
    const body = parseBody(progressBody, req.body);
    const worker = await registered(req);
    const task = await options.board.progress(worker.address, parseTaskId(req.params.taskId), body.stage);
    res.json({ taskId: task.taskId, state: task.state });
  });

  router.post("/tasks/:taskId/result", async (req, res) => {
    const body = parseBody(resultBody, req.body);
    const worker = await registered(req);
    const task = await options.board.result(worker.address, parseTaskId(req.params.taskId), body);
    res.json({ taskId: task.taskId, state: task.state });
  });

  router.post("/tasks/:taskId/failure", async (req, res) => {
    const body = parseBody(failureBody, req.body);
    const worker = await registered(req);
    const task = await options.board.failure(worker.address, parseTaskId(req.params.taskId), {
      code: body.code,
      message: body.message,
      verdict: readFailureVerdict(body.verdict),
    });
    res.json({ taskId: task.taskId, state: task.state });
  });

  return createHttpApp({
    title: "Continuum workerpool scheduler",
    version: "1.0.0",
    description: SCHEDULER_OPENAPI.description,
    modules: [{ name: "workers", router, openapi: { paths: SCHEDULER_OPENAPI.paths, schemas: SCHEDULER_OPENAPI.schemas } }],
    openApiComponents: SCHEDULER_OPENAPI_COMPONENTS,
    errorStatus: SCHEDULER_ERROR_STATUS,
    bodyLimitBytes: BODY_LIMIT_BYTES,
    keepRawBody: true,
    metrics: options.metrics,
    readiness: options.readiness,
    logger: options.logger,
  });
}

function parseWait(value: unknown, max: number): number {
  if (value === undefined) return 0;
  if (typeof value !== "string" || !/^\d{1,7}$/.test(value)) {
    throw new SchedulerError("INVALID_REQUEST", "waitMs must be a whole number of milliseconds");
  }
  return Math.min(Number(value), max);
}

/** Each (runtime, profile) once, in a stable order. */
function distinctOffers(offers: readonly RuntimeOffer[]): RuntimeOffer[] {
  const byKey = new Map(offers.map((offer) => [`${offer.runtime}:${offer.profile ?? ""}`, offer]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}
