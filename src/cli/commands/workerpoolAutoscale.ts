// `continuum workerpool autoscale`: runs a local fleet of workers for a scheduler and sizes it to
// the scheduler's queue by the Horizontal Pod Autoscaler's rule (worker/fleet). Each worker has a
// fresh key of its own (workers send no transactions). By default each runs as its own
// `continuum worker start` process (worker/fleet/processLauncher.ts), so a crash takes one worker
// down and is replaced; `--launcher in-process` runs them in this process sharing one IPFS node.
// Their apps run in the enclave runtime's own sandboxed processes. Ctrl-C drains the fleet.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Option, type Command } from "commander";
import { LOG_LEVELS } from "../../config/index.ts";
import { decimalBetween, parseDurationMs, wholeNumberFrom } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { fetchSchedulerInfo, schedulerBaseUrl } from "../schedulerInfo.ts";
import { listenForStopSignals } from "../stopSignals.ts";
import { loadQuotingPlatform, pythonRuntimeOptions } from "./worker.ts";

type AutoscaleOptions = {
  scheduler: string;
  min: number;
  max: number;
  target: number;
  tolerance: number;
  scaleDownWindow: number;
  slackThreshold?: number;
  interval: number;
  attestation?: string;
  ipfsPeer?: string[];
  tee?: boolean;
  launcher: "process" | "in-process";
  logLevel: string;
};

export function registerWorkerpoolAutoscale(workerpool: Command, kit: CommandKit): void {
  withExamples(
    workerpool
      .command("autoscale")
      .description(
        "run a local fleet of workers for a scheduler, sized every --interval to its queue (GET /v1/queue) by the " +
          "Horizontal Pod Autoscaler's rule: desired = ceil(workers × observed / target), observed = (waiting + running " +
          "tasks) per worker, unchanged within --tolerance, scaled down no lower than the highest size asked within " +
          "--scale-down-window, and one worker more at once when a waiting task's deadline slack is below " +
          "--slack-threshold. A worker chosen to stop takes no new task, finishes its current one, then stops. " +
          "Ctrl-C or SIGTERM drains the whole fleet (a second one abandons running tasks)",
      )
      .requiredOption("--scheduler <url>", "the workerpool scheduler's URL, as `workerpool scheduler start` prints it")
      .option("--min <n>", "fewest workers", wholeNumberFrom(0), 1)
      .option("--max <n>", "most workers", wholeNumberFrom(1), 8)
      .option("--target <tasks>", "waiting + running tasks per worker to aim at", decimalBetween(0.01, 1_000), 1)
      .option("--tolerance <ratio>", "no change while observed / target is within 1 ± this", decimalBetween(0, 1), 0.1)
      .addOption(
        new Option("--scale-down-window <duration>", "scale down no lower than the highest size asked within this window (e.g. 5m, 30s)")
          .argParser(parseDurationMs)
          .default(300_000, "5m"),
      )
      .option("--slack-threshold <duration>", "add a worker at once when a waiting task's deadline slack is below this (e.g. 60s; default: never)", parseDurationMs)
      .addOption(new Option("--interval <duration>", "pause between readings of the queue").argParser(parseDurationMs).default(5_000, "5s"))
      .option("--attestation <file>", "where quotes come from, as for `worker start` (default: the devnet's simulated platform)")
      .option("--ipfs-peer <multiaddr...>", "connect the fleet's embedded IPFS node to these peers")
      .option("--no-tee", "offer only tasks that do not require a TEE")
      .addOption(
        new Option(
          "--launcher <kind>",
          "process: each worker is its own `continuum worker start` process with a fresh key file (0600) under " +
            "<data-dir>/fleet/keys, drained with SIGTERM, replaced if it crashes, its log in <data-dir>/fleet/logs; " +
            "in-process: the workers run in this process and share one IPFS node, so their results outlive a drained worker",
        )
          .choices(["process", "in-process"])
          .default("process"),
      )
      .addOption(new Option("--log-level <level>", "structured log lines on stderr from this level").choices(LOG_LEVELS).default("warn")),
    "continuum workerpool autoscale --scheduler http://127.0.0.1:8070 --min 1 --max 8",
    "continuum --json workerpool autoscale --scheduler http://127.0.0.1:8070 --max 4 --target 2 --scale-down-window 1m --slack-threshold 60s",
    "continuum workerpool autoscale --scheduler http://127.0.0.1:8070 --launcher in-process --ipfs-peer /ip4/127.0.0.1/tcp/4001/p2p/12D3…",
  ).action(async (options: AutoscaleOptions, command: Command) => runAutoscale(kit.contextOf(command), options));
}

async function runAutoscale(context: CliContext, options: AutoscaleOptions): Promise<void> {
  if (options.min > options.max) throw new UsageError("INVALID_FLEET_BOUNDS", `--min (${options.min}) must not exceed --max (${options.max})`);
  const schedulerUrl = schedulerBaseUrl(options.scheduler);
  const info = await fetchSchedulerInfo(schedulerUrl);
  const [fleetModule, { createLogger }] = await Promise.all([import("../../../worker/fleet/index.ts"), import("../../core/logger.ts")]);
  const { output } = context;
  const logger = createLogger({ name: "continuum", level: options.logLevel, destination: output.logDestination() });
  const home = join(context.dataDir, "fleet");
  // Checked here, once, so a wrong --attestation fails now rather than in every worker process.
  if (options.launcher === "process") await loadQuotingPlatform(context, options.attestation);
  const { launch, stop } =
    options.launcher === "process"
      ? {
          launch: fleetModule.processLauncher({
            schedulerUrl,
            stateDir: home,
            globalArgs: context.forwardedGlobalArgs(),
            workerArgs: childWorkerArgs(context, options),
            logger,
          }) as FleetLaunch,
          stop: async () => undefined,
        }
      : await inProcessLauncher(context, options, schedulerUrl, home, logger);
  try {
    const fleet = new fleetModule.WorkerFleet({ launch, logger });
    const autoscaler = new fleetModule.Autoscaler({
      fleet,
      policy: {
        min: options.min,
        max: options.max,
        target: options.target,
        tolerance: options.tolerance,
        scaleDownWindowMs: options.scaleDownWindow,
        slackThresholdSeconds: options.slackThreshold === undefined ? undefined : options.slackThreshold / 1_000,
      },
      readQueue: () => fleetModule.fetchQueue(schedulerUrl),
      intervalMs: options.interval,
      logger,
    });
    let shown = -1;
    autoscaler.on("sample", (sample) => {
      if (sample.workers === shown) return;
      shown = sample.workers;
      output.event(
        { event: "scaled", ...sample },
        `${new Date(sample.atMs).toISOString()}  workers ${sample.workers} (${sample.reason}; waiting ${sample.waiting}, running ${sample.running}, draining ${sample.draining})`,
      );
    });
    fleet.on("crashed", (worker, reason) => output.event({ event: "crashed", worker, reason, crashes: fleet.crashes }, `worker ${worker} crashed (${reason}); replacing it`));
    await serveUntilSignalled(context, autoscaler, fleet, {
      schedulerUrl,
      workerpool: info.workerpool,
      min: options.min,
      max: options.max,
      launcher: options.launcher,
    });
  } finally {
    await stop();
  }
  output.event({ event: "stopped" }, "fleet stopped");
}

type FleetParts = Awaited<typeof import("../../../worker/fleet/index.ts")>;
type FleetLaunch = import("../../../worker/fleet/index.ts").LaunchWorker;
type Logger = import("../../core/logger.ts").Logger;

/** What each worker process is told beyond its scheduler: the flags it shares with this command. */
function childWorkerArgs(context: CliContext, options: AutoscaleOptions): string[] {
  return [
    ...(options.attestation === undefined ? [] : ["--attestation", context.resolvePath(options.attestation)]),
    ...(options.ipfsPeer === undefined || options.ipfsPeer.length === 0 ? [] : ["--ipfs-peer", ...options.ipfsPeer]),
    ...(options.tee === false ? ["--no-tee"] : []),
    "--log-level",
    options.logLevel,
  ];
}

/** Workers in this process, sharing one IPFS node (stopped by `stop`). */
async function inProcessLauncher(
  context: CliContext,
  options: AutoscaleOptions,
  schedulerUrl: string,
  home: string,
  logger: Logger,
): Promise<{ launch: FleetLaunch; stop: () => Promise<void> }> {
  const platform = await loadQuotingPlatform(context, options.attestation);
  const [{ Wallet }, workerRuntime, enclave, storage] = await Promise.all([
    import("ethers"),
    import("../../../worker/index.ts"),
    import("../../../enclave/index.ts"),
    import("../../storage/index.ts"),
  ]);
  const store = await storage.openContentStore({ dataDir: home, ipfsApiUrl: context.config.ipfs.apiUrl, logger });
  try {
    for (const peer of options.ipfsPeer ?? []) {
      if (!(store instanceof storage.HeliaContentStore)) {
        throw new UsageError("IPFS_PEER_UNSUPPORTED", "--ipfs-peer applies to the embedded IPFS node; configure a Kubo node's peers in Kubo");
      }
      await store.connect(peer);
    }
    const stopRedialling = store instanceof storage.HeliaContentStore ? storage.keepPeersConnected(store, options.ipfsPeer ?? [], logger) : () => undefined;
    const python = await pythonRuntimeOptions(context);
    const secrets = new enclave.HttpSecretsClient({ baseUrl: context.smsUrls() });
    const launch: FleetLaunch = async (index) => {
      const workDirectory = join(home, "work", `worker-${index}`);
      await mkdir(workDirectory, { recursive: true, mode: 0o700 });
      return workerRuntime.startWorker({
        schedulerUrl,
        key: Wallet.createRandom(),
        capabilities: options.tee === false ? { tee: false } : {},
        store,
        platform,
        secrets,
        limits: context.config.worker,
        workDirectory,
        python,
        logger,
      });
    };
    return {
      launch,
      stop: () => {
        stopRedialling();
        return store.stop();
      },
    };
  } catch (error) {
    await store.stop();
    throw error;
  }
}


async function serveUntilSignalled(
  context: CliContext,
  autoscaler: InstanceType<FleetParts["Autoscaler"]>,
  fleet: InstanceType<FleetParts["WorkerFleet"]>,
  where: { schedulerUrl: string; workerpool: string; min: number; max: number; launcher: string },
): Promise<void> {
  const { output } = context;
  const signals = listenForStopSignals((signal, count) => {
    if (count === 1) output.status(`${signal}: draining the fleet; running tasks finish first (signal again to abandon them) ...`);
    else if (count === 2) {
      output.status(`${signal}: abandoning the running tasks ...`);
      void fleet.close({ abandon: true });
    }
  });
  try {
    await autoscaler.start();
    if (fleet.size < where.min) {
      throw new CliError("FLEET_START_FAILED", `only ${fleet.size} of ${where.min} workers started; the log lines above (and <data-dir>/fleet/logs with --launcher process) say why`, {
        started: fleet.size,
        min: where.min,
      });
    }
    output.event(
      { event: "autoscaling", scheduler: where.schedulerUrl, workerpool: where.workerpool, min: where.min, max: where.max, launcher: where.launcher },
      `autoscaling workers ${where.min}..${where.max} (${where.launcher === "process" ? "one process each" : "in this process"}) for ${where.schedulerUrl} (workerpool ${where.workerpool}) until Ctrl-C`,
    );
    await signals.first;
    await autoscaler.stop();
    await fleet.close();
  } finally {
    signals.dispose();
    await autoscaler.stop();
    await fleet.close({ abandon: true });
  }
}
