// `continuum worker start`: joins a workerpool's scheduler with your key file as the worker's
// identity, runs the tasks it is given in the (simulated) enclave runtime and prints each task's
// steps; Ctrl-C lets the running task finish, a second Ctrl-C abandons it.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Option, type Command } from "commander";
import { LOG_LEVELS } from "../../config/index.ts";
import { isContinuumError } from "../../core/ContinuumError.ts";
import type { WorkerTaskEvent } from "../../../worker/index.ts";
import { loadAccountWallet } from "../accountKey.ts";
import { wholeNumberFrom } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { fetchSchedulerInfo, schedulerBaseUrl } from "../schedulerInfo.ts";
import { listenForStopSignals } from "../stopSignals.ts";

type StartOptions = {
  scheduler: string;
  attestation?: string;
  ipfsPeer?: string[];
  cpu?: number;
  memoryMb?: number;
  tee?: boolean;
  gpu?: number;
  logLevel: string;
};

export function registerWorkerCommands(program: Command, kit: CommandKit): void {
  const worker = withExamples(
    program.command("worker").description("run a worker for a workerpool's scheduler (as its provider)"),
    "continuum worker start --scheduler http://127.0.0.1:8070",
  );

  withExamples(
    worker
      .command("start")
      .description(
        "register with the scheduler, heartbeat and run assigned tasks until Ctrl-C or SIGTERM (a second one " +
          "abandons the running task); the account key file is the worker's identity and sends no transactions; " +
          "what one task may use (memory, output, sizes, time) comes from the configuration's worker section",
      )
      .requiredOption("--scheduler <url>", "the workerpool scheduler's URL, as `workerpool scheduler start` prints it")
      .option(
        "--attestation <file>",
        "where quotes come from, as JSON: {\"kind\":\"gramine-sgx\"}, {\"kind\":\"configfs-tsm\"} on real hardware, or " +
          "{\"kind\":\"simulated\",\"devnetDirectory\":…,\"platform\":…} (default: the devnet's simulated platform " +
          "devnet-sgx under <data-dir>/attestation/dcap, which `npm start` writes)",
      )
      .option(
        "--ipfs-peer <multiaddr...>",
        "connect the worker's embedded IPFS node to these peers (e.g. the devnet's node) to fetch inputs and serve results",
      )
      .option("--cpu <n>", "CPU cores offered (default: this machine's)", wholeNumberFrom(1))
      .option("--memory-mb <n>", "memory offered in MiB (default: this machine's)", wholeNumberFrom(1))
      .option("--tee", "offer confidential (TEE) tasks (the default)")
      .option("--no-tee", "offer only tasks that do not require a TEE")
      .option("--gpu <n>", "GPUs offered (default 0)", wholeNumberFrom(0))
      .addOption(new Option("--log-level <level>", "structured log lines on stderr from this level").choices(LOG_LEVELS).default("warn")),
    "CONTINUUM_PASSWORD=… continuum worker start --scheduler http://127.0.0.1:8070",
    "continuum --json worker start --scheduler http://127.0.0.1:8070 --cpu 2 --memory-mb 4096 --attestation gramine.json",
  ).action(async (options: StartOptions, command: Command) => runWorker(kit.contextOf(command), options));
}

async function runWorker(context: CliContext, options: StartOptions): Promise<void> {
  const schedulerUrl = schedulerBaseUrl(options.scheduler);
  const smsUrls = context.smsUrls();
  const smsUrl = smsUrls.join(", ");
  const key = await loadAccountWallet(context);
  const platform = await loadQuotingPlatform(context, options.attestation);
  const info = await fetchSchedulerInfo(schedulerUrl);

  const { startWorker, HttpSecretsClient } = await importWorkerRuntime();
  const storage = await import("../../storage/index.ts");
  const { createLogger } = await import("../../core/logger.ts");
  const { output } = context;
  const logger = createLogger({ name: "continuum", level: options.logLevel, destination: output.logDestination() });
  // Each worker identity keeps its own IPFS node and scratch space, apart from the CLI's own node.
  const home = join(context.dataDir, "workers", key.address.toLowerCase());
  output.status(context.config.ipfs.apiUrl ? "connecting to the Kubo node ..." : "starting the worker's IPFS node ...");
  const store = await storage.openContentStore({ dataDir: home, ipfsApiUrl: context.config.ipfs.apiUrl, logger });
  let stopRedialling = () => undefined as void;
  try {
    const peers = options.ipfsPeer ?? [];
    if (peers.length > 0) {
      if (!(store instanceof storage.HeliaContentStore)) {
        throw new UsageError("IPFS_PEER_UNSUPPORTED", "--ipfs-peer applies to the embedded IPFS node; configure a Kubo node's peers in Kubo");
      }
      for (const peer of peers) await store.connect(peer);
      stopRedialling = storage.keepPeersConnected(store, peers, logger);
    }
    const capabilities = {
      ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
      ...(options.memoryMb !== undefined ? { memoryMb: options.memoryMb } : {}),
      ...(options.tee !== undefined ? { tee: options.tee } : {}),
      ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
    };
    await mkdir(join(home, "work"), { recursive: true, mode: 0o700 });
    let running;
    try {
      running = await startWorker({
        schedulerUrl,
        key,
        capabilities,
        store,
        platform,
        secrets: new HttpSecretsClient({ baseUrl: smsUrls }),
        limits: context.config.worker,
        workDirectory: join(home, "work"),
        python: await pythonRuntimeOptions(context),
        ...(context.config.workerMetrics.port === undefined
          ? {}
          : { listen: { host: context.config.workerMetrics.host, port: context.config.workerMetrics.port } }),
        onTask: (event) => output.event({ event: "task", ...event }, describeTaskEvent(event)),
        logger,
      });
    } catch (error) {
      throw schedulerFailure(error, schedulerUrl);
    }
    await serveUntilSignalled(context, running, { schedulerUrl, workerpool: info.workerpool, smsUrl });
  } finally {
    stopRedialling();
    await store.stop();
  }
  output.event({ event: "stopped" }, "worker stopped");
}

type RunningWorkerHandle = Awaited<ReturnType<Awaited<ReturnType<typeof importWorkerRuntime>>["startWorker"]>>;

async function serveUntilSignalled(
  context: CliContext,
  running: RunningWorkerHandle,
  where: { schedulerUrl: string; workerpool: string; smsUrl: string },
): Promise<void> {
  const { output } = context;
  const signals = listenForStopSignals((signal, count) => {
    if (count === 1) {
      output.status(`${signal}: stopping the worker; a running task finishes first (signal again to abandon it) ...`);
    } else if (count === 2) {
      output.status(`${signal}: abandoning the running task ...`);
      // Worker.stop again with `abandon` cancels the task the first stop is waiting for.
      void running.worker.stop({ abandon: true });
    }
  });
  try {
    output.event(
      {
        event: "registered",
        worker: running.address,
        scheduler: where.schedulerUrl,
        workerpool: where.workerpool,
        sms: where.smsUrl,
        ...(running.metricsUrl === undefined ? {} : { metrics: `${running.metricsUrl}/metrics` }),
      },
      [
        `worker      ${running.address}`,
        `scheduler   ${where.schedulerUrl} (workerpool ${where.workerpool})`,
        `sms         ${where.smsUrl}`,
        ...(running.metricsUrl === undefined ? [] : [`metrics     ${running.metricsUrl}/metrics`]),
      ].join("\n"),
    );
    output.status("waiting for tasks until Ctrl-C");
    await signals.first;
    await running.close();
  } finally {
    signals.dispose();
    await running.close({ abandon: true });
  }
}

/** The python runtime as configured (runtimes.python): interpreter and declared package set. */
export async function pythonRuntimeOptions(context: CliContext) {
  const { parsePackagePins } = await import("../../apps/index.ts");
  const { python } = context.config.runtimes;
  return { interpreter: python.interpreter, packages: parsePackagePins(python.packages) };
}

function importWorkerRuntime() {
  return Promise.all([import("../../../worker/index.ts"), import("../../../enclave/index.ts")]).then(
    ([scheduler, enclave]) => ({ startWorker: scheduler.startWorker, HttpSecretsClient: enclave.HttpSecretsClient }),
  );
}

/** The quoting platform the --attestation file names, or the devnet's simulated one under the data directory. */
export async function loadQuotingPlatform(context: CliContext, named: string | undefined) {
  const { createQuotingPlatform } = await import("../../../enclave/index.ts");
  const { parseQuoteProviderConfig } = await import("../../attestation/providers/index.ts");
  let config: unknown = { kind: "simulated", devnetDirectory: join(context.dataDir, "attestation", "dcap"), platform: "devnet-sgx" };
  if (named !== undefined) {
    const path = context.resolvePath(named);
    try {
      config = JSON.parse(await readFile(path, "utf8"));
    } catch (cause) {
      throw new CliError("ATTESTATION_CONFIG_INVALID", `Cannot read the attestation configuration ${path} as JSON`, { path }, { cause });
    }
  }
  try {
    return await createQuotingPlatform(parseQuoteProviderConfig(config));
  } catch (error) {
    if (!isContinuumError(error)) throw error;
    const missing = error.code === "STATE_NOT_FOUND";
    throw new CliError(
      missing ? "ATTESTATION_NOT_FOUND" : "ATTESTATION_CONFIG_INVALID",
      missing
        ? "No devnet attestation platform under the data directory: `npm start` writes it to <its data dir>/attestation/dcap; pass --data-dir, or --attestation for real hardware"
        : `The attestation configuration cannot be used: ${error.message}`,
      { code: error.code },
      { cause: error },
    );
  }
}

function schedulerFailure(error: unknown, schedulerUrl: string): unknown {
  if (!isContinuumError(error)) return error;
  if (error.code === "SCHEDULER_UNAVAILABLE") {
    return new CliError("SCHEDULER_UNREACHABLE", `Cannot reach the scheduler at ${schedulerUrl}: is it running?`, { url: schedulerUrl }, { cause: error });
  }
  if (error.code === "SCHEDULER_REFUSED") {
    const reason = typeof error.details?.code === "string" ? ` (${error.details.code})` : "";
    return new CliError("SCHEDULER_REFUSED", `The scheduler at ${schedulerUrl} refused the worker: ${error.message}${reason}`, {
      url: schedulerUrl,
      reason: error.details?.code,
    });
  }
  return error;
}

/** One line per task step, for people: "task 0x… assigned (deal 0x…, index 0, attempt 1)". */
export function describeTaskEvent(event: WorkerTaskEvent): string {
  switch (event.stage) {
    case "assigned":
      return `task ${event.taskId} assigned (deal ${event.dealId}, index ${event.taskIndex}, attempt ${event.attempt})`;
    case "running":
      return `task ${event.taskId} running in the enclave`;
    case "result-uploaded":
      return `task ${event.taskId} result uploaded (${event.resultCid}); the scheduler pushes it on-chain`;
    case "failed":
      return `task ${event.taskId} failed [${event.code}]: ${event.message}`;
  }
}
