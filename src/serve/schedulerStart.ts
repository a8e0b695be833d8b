// `continuum workerpool scheduler start`: runs your workerpool's scheduler (deal intake, task
// assignment to workers, batched result pushes) with your account key until Ctrl-C or SIGTERM.
import { Option, type Command } from "commander";
import { LOG_LEVELS, databaseTarget, type ConfigInput } from "../config/index.ts";
import { parseAssetId, parsePort, wholeNumberFrom } from "../cli/arguments.ts";
import { withChain, type ChainSession } from "../cli/chain.ts";
import { withExamples, type CommandKit } from "../cli/commandKit.ts";
import type { CliContext } from "../cli/context.ts";
import { CliError } from "../cli/errors.ts";
import { listenForStopSignals } from "../cli/stopSignals.ts";
import { requireWorkerpool } from "../cli/commands/workerpool.ts";
import { describeDatabase, portFailure } from "./runService.ts";

export type SchedulerStartFlags = {
  workerpool: bigint;
  host?: string;
  port?: number;
  batchSize?: number;
  batchDelayMs?: number;
  heartbeatIntervalMs?: number;
  logLevel: string;
};

/** Adds `workerpool scheduler start` under the program's `workerpool` group. */
export function registerSchedulerStart(program: Command, kit: CommandKit): void {
  const workerpool = program.commands.find((command) => command.name() === "workerpool");
  if (!workerpool) throw new Error("the workerpool command group must be registered first");
  const scheduler = withExamples(
    workerpool.command("scheduler").description("run your workerpool's scheduler, which hands its tasks to your workers"),
    "continuum workerpool scheduler start --workerpool 1",
  );

  withExamples(
    scheduler
      .command("start")
      .description(
        "serve the worker API and run the workerpool's deals until Ctrl-C or SIGTERM; the account key file " +
          "must be the workerpool owner's (it signs enclave authorizations and pushes results on-chain)",
      )
      .requiredOption("--workerpool <id>", "your workerpool's id", parseAssetId)
      .option("--host <host>", "interface to listen on (overrides config scheduler.host; default 127.0.0.1)")
      .option("--port <n>", "port to listen on, 0 for any free one (overrides config scheduler.port; default 8070)", parsePort)
      .option("--batch-size <n>", "results pushed in one transaction at most (overrides config scheduler.batchSize; default 10)", wholeNumberFrom(1))
      .option(
        "--batch-delay-ms <ms>",
        "longest wait for a fuller batch before pushing (overrides config scheduler.batchDelayMs; default 2000)",
        wholeNumberFrom(0),
      )
      .option(
        "--heartbeat-interval-ms <ms>",
        "heartbeat interval asked of workers (overrides config scheduler.heartbeatIntervalMs; default 5000)",
        wholeNumberFrom(100),
      )
      .addOption(new Option("--log-level <level>", "structured log lines on stderr from this level").choices(LOG_LEVELS).default("warn")),
    "CONTINUUM_PASSWORD=… continuum workerpool scheduler start --workerpool 1",
    "continuum --json workerpool scheduler start --workerpool 1 --port 0 --batch-size 5",
  ).action(async (options: SchedulerStartFlags, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: true }, async (chain) => {
      await requireOwnership(chain, options.workerpool);
      await runScheduler(context, chain, options);
    });
  });
}

/** Refuses to start for a workerpool the account does not own: its authorizations would be rejected. */
async function requireOwnership(chain: ChainSession, workerpool: bigint): Promise<void> {
  await requireWorkerpool(chain, workerpool);
  const owner = (await chain.read(() => chain.contracts.workerpoolRegistry.ownerOf(workerpool))) as string;
  if (owner.toLowerCase() !== chain.account.toLowerCase()) {
    throw new CliError(
      "NOT_WORKERPOOL_OWNER",
      `Workerpool ${workerpool} is owned by ${owner}, not by your account ${chain.account}: start its scheduler with the owner's key file`,
      { workerpool: workerpool.toString(), owner, account: chain.account },
    );
  }
}

/** The command's flags as the configuration keys they override. */
export function schedulerOverrides(flags: SchedulerStartFlags): ConfigInput {
  const scheduler = {
    host: flags.host,
    port: flags.port,
    batchSize: flags.batchSize,
    batchDelayMs: flags.batchDelayMs,
    heartbeatIntervalMs: flags.heartbeatIntervalMs,
  };
  return { scheduler: Object.fromEntries(Object.entries(scheduler).filter(([, value]) => value !== undefined)) };
}

async function runScheduler(context: CliContext, chain: ChainSession, options: SchedulerStartFlags): Promise<void> {
  const { schedulerDatabaseName, startScheduler } = await import("../../scheduler/index.ts");
  const { createLogger } = await import("../core/logger.ts");
  const { output } = context;
  const config = context.configWith(schedulerOverrides(options));
  const id = options.workerpool.toString();
  const database = databaseTarget(config, schedulerDatabaseName(options.workerpool));
  output.status(`starting the scheduler of workerpool ${id} ...`);
  const logger = createLogger({ name: "continuum", level: options.logLevel, destination: output.logDestination() });
  let running;
  try {
    running = await startScheduler({
      config,
      owner: chain.signer,
      provider: chain.provider,
      deployment: { ...chain.deployment, deployBlock: chain.deployment.deployBlock ?? 0 },
      workerpool: options.workerpool,
      database,
      logger,
    });
  } catch (error) {
    throw startFailure(error, chain, config.scheduler.host, config.scheduler.port);
  }
  const signals = listenForStopSignals((signal, count) => {
    if (count === 1) output.status(`${signal}: stopping the scheduler (pending results are kept for the next start) ...`);
  });
  try {
    output.event(
      { event: "listening", url: running.url, workerpool: id, owner: running.ownerAddress, database: describeDatabase(database) },
      [
        `scheduler  ${running.url}`,
        `workerpool ${id}`,
        `owner      ${running.ownerAddress}`,
        `database   ${describeDatabase(database)}`,
        "workers join with: continuum worker start --scheduler " + running.url,
      ].join("\n"),
    );
    output.status("serving until Ctrl-C");
    await signals.first;
    await running.close();
    output.event({ event: "stopped", workerpool: id }, "scheduler stopped");
  } finally {
    signals.dispose();
    await running.close();
  }
}

function startFailure(error: unknown, chain: ChainSession, host: string, port: number): unknown {
  return portFailure(error, host, port) ?? chain.toError(error);
}
