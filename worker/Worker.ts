// A worker: registers with its scheduler, heartbeats, polls for tasks, runs each with the enclave
// runtime and reports progress and the result or failure. stop() finishes (or, asked to, abandons
// and reports) the running task; halt() stops like a killed process, reporting nothing.
import { cpus, totalmem } from "node:os";
import type { Signer } from "ethers";
import { silentLogger, type Logger } from "../src/core/logger.ts";
import { continuumDomain, NO_SMS_ATTESTATION, signSessionRequest } from "../src/wire/eip712/index.ts";
import { readFailureVerdict } from "../src/wire/smsApi/sessionVerdicts.ts";
import type { ContentStore } from "../src/storage/index.ts";
import {
  offeredRuntimes,
  runEnclaveTask,
  type EnclaveHost,
  type NetworkIsolation,
  type QuotingPlatform,
  type SecretsClient,
  type WorkerLimits,
} from "../enclave/index.ts";
import type { PythonRuntimeOptions } from "../src/apps/index.ts";
import { dealFromJson, type WorkerCapabilities } from "../src/wire/workerApi/assignment.ts";
import type { Assignment, FailureNotice, ResultReport } from "../src/wire/workerApi/assignment.ts";
import { WorkerError } from "./WorkerError.ts";
import { SchedulerClient } from "./SchedulerClient.ts";
import { createWorkerMetrics, type WorkerMetrics } from "./workerMetrics.ts";

export type WorkerOptions = {
  schedulerUrl: string;
  /** The worker's own key: it signs every request and is named in authorizations and results. */
  key: Signer;
  capabilities?: Partial<WorkerCapabilities>;
  store: ContentStore;
  platform: QuotingPlatform;
  secrets: SecretsClient;
  limits?: Partial<WorkerLimits>;
  networkIsolation?: NetworkIsolation;
  /** The python runtime's interpreter and declared native packages (default /usr/bin/python3, none). */
  python?: PythonRuntimeOptions;
  workDirectory?: string;
  /** Defaults to what the scheduler asks for. */
  heartbeatIntervalMs?: number;
  /** How long one next-task long poll may wait (default 5000 ms). */
  pollWaitMs?: number;
  /**
   * How long a finished task's report is retried while the scheduler cannot be reached, e.g.
   * while it restarts (default 120,000 ms). A report the scheduler refuses is not retried.
   */
  reportPatienceMs?: number;
  /** Told of each task's steps, for a person watching the worker (the CLI prints them). */
  onTask?: (event: WorkerTaskEvent) => void;
  logger?: Logger;
};

export type WorkerTaskEvent = {
  stage: "assigned" | "running" | "result-uploaded" | "failed";
  taskId: string;
  dealId: string;
  taskIndex: string;
  attempt: number;
  /** With "result-uploaded". */
  resultCid?: string;
  /** With "failed": the enclave runtime's error code and message. */
  code?: string;
  message?: string;
};

const RETRY_MS = 1_000;
const MAX_REPORT_RETRY_MS = 5_000;
const DEFAULT_REPORT_PATIENCE_MS = 120_000;

/** A failure worth trying again: the scheduler did not answer, or answered with a server error. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof WorkerError)) return false;
  if (error.code === "SCHEDULER_UNAVAILABLE") return true;
  const status = (error.details as { status?: unknown } | undefined)?.status;
  return error.code === "SCHEDULER_REFUSED" && typeof status === "number" && status >= 500;
}

export class Worker {
  readonly #options: WorkerOptions;
  readonly #client: SchedulerClient;
  readonly #logger: Logger;
  readonly #poll = new AbortController();
  #task: AbortController | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #silent = false;
  #abandon = false;
  #busy = false;
  #completed = 0;
  /** Why the scheduler is not reachable, from the last request to it; undefined while it answers. */
  #schedulerTrouble: string | undefined = "not registered yet";
  readonly metrics: WorkerMetrics = createWorkerMetrics();

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#client = new SchedulerClient(options.schedulerUrl, options.key);
    this.#logger = (options.logger ?? silentLogger()).child({ service: "worker" });
  }

  get address(): string {
    return this.#client.address;
  }

  /** Undefined while the worker is registered and its scheduler answers; otherwise why not (its /readyz). */
  get schedulerTrouble(): string | undefined {
    return this.#schedulerTrouble;
  }

  /** Whether the worker holds a task (from its assignment until its report is sent). */
  get busy(): boolean {
    return this.#busy;
  }

  /** Tasks this worker finished with a result reported. */
  get completed(): number {
    return this.#completed;
  }

  /** Registers and starts heartbeating and polling; resolves once registered. */
  async start(): Promise<void> {
    const info = await this.#client.info();
    const { offers, unavailable } = await offeredRuntimes({ nodePath: process.execPath, python: this.#options.python });
    for (const [runtime, reason] of Object.entries(unavailable)) {
      this.#logger.warn({ runtime, reason }, "runtime not offered: it cannot run sandboxed here");
    }
    const capabilities: WorkerCapabilities = {
      cpu: cpus().length,
      memoryMb: Math.floor(totalmem() / 1024 / 1024),
      tee: true,
      gpu: 0,
      runtimes: offers,
      ...this.#options.capabilities,
    };
    await this.#client.register(capabilities);
    this.#schedulerTrouble = undefined;
    const host = this.#host(info);
    const interval = this.#options.heartbeatIntervalMs ?? info.heartbeatIntervalMs;
    this.#heartbeat = setInterval(() => {
      this.#client.heartbeat().then(
        () => (this.#schedulerTrouble = undefined),
        (error: unknown) => {
          this.#schedulerTrouble = `the last heartbeat failed: ${error instanceof Error ? error.message : String(error)}`;
          this.#logger.warn({ err: error }, "heartbeat failed");
        },
      );
    }, interval);
    this.#logger.info(
      { worker: this.address, scheduler: this.#options.schedulerUrl, ...capabilities, runtimes: capabilities.runtimes?.map((offer) => offer.runtime) },
      "worker registered",
    );
    this.#loop = this.#run(host);
  }

  /** Stops polling; the running task finishes and is reported, or with `abandon` is cancelled and reported failed. */
  async stop(options: { abandon?: boolean } = {}): Promise<void> {
    this.#stopping = true;
    this.#abandon = options.abandon ?? false;
    this.#poll.abort();
    if (this.#abandon) this.#task?.abort();
    await this.#loop;
    clearInterval(this.#heartbeat);
    this.#logger.info({ worker: this.address }, "worker stopped");
  }

  /** Stops at once as a killed process would: no heartbeat, the running task dropped unreported. */
  async halt(): Promise<void> {
    this.#silent = true;
    clearInterval(this.#heartbeat);
    this.#stopping = true;
    this.#poll.abort();
    this.#task?.abort();
    await this.#loop;
  }

  #host(info: { chainId: string; continuum: string }): Omit<EnclaveHost, "authorize"> {
    const domain = continuumDomain(BigInt(info.chainId), info.continuum);
    return {
      store: this.#options.store,
      platform: this.#options.platform,
      secrets: this.#options.secrets,
      // The worker's own key vouches to the SMS for each session its enclaves open.
      signSessionRequest: (message) => signSessionRequest(this.#options.key, domain, message),
      domain,
      limits: this.#options.limits,
      networkIsolation: this.#options.networkIsolation,
      python: this.#options.python,
      workDirectory: this.#options.workDirectory,
      logger: this.#logger,
    };
  }

  async #run(host: Omit<EnclaveHost, "authorize">): Promise<void> {
    while (!this.#stopping) {
      try {
        const assignment = await this.#client.nextTask(this.#options.pollWaitMs ?? 5_000, this.#poll.signal);
        this.#schedulerTrouble = undefined;
        // A task handed over as stop() began is this worker's in the scheduler's books: a draining
        // worker runs it rather than leave it to the lost-worker sweep (a wasted attempt).
        if (assignment && !this.#silent && !this.#abandon) {
          this.#busy = true;
          await this.#runTask(assignment, host).finally(() => (this.#busy = false));
        }
      } catch (error) {
        if (this.#stopping) break;
        this.#schedulerTrouble = `the scheduler did not answer the last poll: ${error instanceof Error ? error.message : String(error)}`;
        this.#logger.warn({ err: error }, "scheduler request failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  /**
   * Sends a finished task's report, again while the scheduler cannot be reached (it may be
   * restarting: the task stays this worker's in its database), with growing pauses, for up to
   * reportPatienceMs. Without this a result computed during a restart would be run again.
   */
  async #deliver(what: "result" | "failure", send: () => Promise<void>, logger: Logger): Promise<void> {
    const giveUpAt = Date.now() + (this.#options.reportPatienceMs ?? DEFAULT_REPORT_PATIENCE_MS);
    let pause = RETRY_MS;
    for (;;) {
      try {
        await send();
        return;
      } catch (error) {
        if (!isTransient(error) || this.#silent || Date.now() + pause > giveUpAt) throw error;
        logger.warn({ err: error, retryInMs: pause }, `the ${what} report did not reach the scheduler; retrying`);
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, MAX_REPORT_RETRY_MS);
      }
    }
  }

  async #runTask(assignment: Assignment, host: Omit<EnclaveHost, "authorize">): Promise<void> {
    const logger = this.#logger.child({ taskId: assignment.taskId, dealId: assignment.dealId, attempt: assignment.attempt });
    const tell = (event: Pick<WorkerTaskEvent, "stage" | "resultCid" | "code" | "message">) =>
      this.#options.onTask?.({
        taskId: assignment.taskId,
        dealId: assignment.dealId,
        taskIndex: assignment.taskIndex,
        attempt: assignment.attempt,
        ...event,
      });
    tell({ stage: "assigned" });
    this.#task = new AbortController();
    await this.#client.progress(assignment.taskId, "started");
    tell({ stage: "running" });
    const outcome = await runEnclaveTask(
      {
        deal: dealFromJson(assignment.deal),
        dealId: assignment.dealId,
        taskIndex: BigInt(assignment.taskIndex),
        attempt: assignment.attempt,
        dealBlock: assignment.dealBlock,
        worker: this.address,
        params: assignment.params,
        app: assignment.app,
        dataset: assignment.dataset ?? undefined,
        maxRunTimeSeconds: assignment.maxRunTimeSeconds,
        ...(assignment.stageOutputs === undefined ? {} : { stageOutputs: assignment.stageOutputs }),
      },
      {
        ...host,
        authorize: (authorization, signal) => this.#client.authorize(assignment.taskId, authorization.enclave, signal),
        onPhase: (phase, seconds) => this.metrics.phase(phase, seconds),
      },
      { signal: this.#task.signal },
    );
    this.#task = undefined;
    if (this.#silent) return;
    this.metrics.taskRun();
    const reportStartedAt = performance.now();
    try {
      await this.#report(assignment, outcome, logger, tell);
    } finally {
      this.metrics.phase("report", (performance.now() - reportStartedAt) / 1_000);
    }
  }

  async #report(
    assignment: Assignment,
    outcome: Awaited<ReturnType<typeof runEnclaveTask>>,
    logger: Logger,
    tell: (event: Pick<WorkerTaskEvent, "stage" | "resultCid" | "code" | "message">) => void,
  ): Promise<void> {
    if (outcome.status === "completed") {
      const smsAttestation = outcome.taskResult.smsAttestation;
      const report: ResultReport = {
        enclave: outcome.enclaveAddress,
        resultDigest: outcome.resultDigest,
        resultCid: outcome.resultCid,
        enclaveSignature: outcome.enclaveSignature,
        ...(smsAttestation === NO_SMS_ATTESTATION ? {} : { smsAttestation }),
        ...(outcome.failure ? { failureCode: outcome.failure.code } : {}),
      };
      await this.#deliver("result", () => this.#client.result(assignment.taskId, report), logger);
      this.#completed += 1;
      logger.info({ resultCid: outcome.resultCid }, "task completed and reported");
      tell({ stage: "result-uploaded", resultCid: outcome.resultCid });
    } else {
      this.metrics.taskFailed(outcome.error.code);
      // A refusal in which the SMS blamed another party carries its signed verdict to settle on.
      const verdict = readFailureVerdict((outcome.error.details as { failure?: unknown } | undefined)?.failure);
      const notice: FailureNotice = { code: outcome.error.code, message: outcome.error.message.slice(0, 500), ...(verdict ? { verdict } : {}) };
      await this.#deliver("failure", () => this.#client.failure(assignment.taskId, notice), logger);
      logger.warn({ code: outcome.error.code }, "task failed and reported");
      tell({ stage: "failed", code: outcome.error.code, message: outcome.error.message });
    }
  }
}
