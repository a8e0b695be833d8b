// Entry point for `continuum worker start`: a registered, heartbeating, polling worker, and a
// handle whose close() stops it cleanly (finishing its running task). The worker serves no API;
// given `listen`, it serves /metrics, /healthz and /readyz on a small listener of its own.
import { createHttpApp, startHttpServer, type HttpServer } from "../src/http/index.ts";
import { silentLogger } from "../src/core/logger.ts";
import { Worker, type WorkerOptions } from "./Worker.ts";

export type RunningWorker = {
  readonly worker: Worker;
  readonly address: string;
  /** Base URL of the metrics and health listener; undefined when none was asked for. */
  readonly metricsUrl: string | undefined;
  /** Whether the worker holds a task (the fleet drains idle workers first). */
  readonly busy: boolean;
  /** Stops polling; `abandon` cancels the running task and reports it failed instead of finishing it. */
  close(options?: { abandon?: boolean }): Promise<void>;
};

export type StartWorkerOptions = WorkerOptions & {
  /** Where to serve /metrics, /healthz and /readyz (config `workerMetrics`); no listener when absent. */
  listen?: { host: string; port: number };
};

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const worker = new Worker(options);
  await worker.start();
  let server: HttpServer | undefined;
  try {
    if (options.listen) server = await startProbeServer(worker, options.listen, options);
  } catch (error) {
    await worker.stop({ abandon: true });
    throw error;
  }
  let closed: Promise<void> | undefined;
  const close = async (closeOptions?: { abandon?: boolean }) => {
    await worker.stop(closeOptions);
    await server?.close();
  };
  return {
    worker,
    address: worker.address,
    metricsUrl: server?.url,
    get busy() {
      return worker.busy;
    },
    close: (closeOptions) => (closed ??= close(closeOptions)),
  };
}

function startProbeServer(worker: Worker, listen: { host: string; port: number }, options: WorkerOptions): Promise<HttpServer> {
  const logger = options.logger ?? silentLogger();
  const app = createHttpApp({
    title: "Continuum worker",
    version: "1.0.0",
    description: "A worker's probes and metrics; the worker itself calls its scheduler and serves no API.",
    modules: [],
    errorStatus: {},
    bodyLimitBytes: 1_024,
    metrics: worker.metrics.registry,
    readiness: [{ name: "scheduler", check: async () => worker.schedulerTrouble }],
    logger: logger.child({ component: "worker-http" }),
  });
  return startHttpServer(app, { ...listen, logger });
}
