// Launches each fleet worker as its own OS process running `continuum worker start`, with a fresh
// key of its own: the launcher writes the key file and its password file (both mode 0600) under
// the fleet's state directory, starts the child with them and waits for its "registered" line
// (the child registers itself with the scheduler, as every worker does). SIGTERM asks the child to
// drain (take no new task, finish and report the current one, exit); a second SIGTERM abandons the
// task. A child that exits without being asked is reported through `crashed`.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createEthereumKeyFile } from "../../src/crypto/index.ts";
import { silentLogger, type Logger } from "../../src/core/logger.ts";
import { WorkerError } from "../WorkerError.ts";
import type { FleetMember, LaunchWorker } from "./WorkerFleet.ts";

const CLI_ENTRY = join(import.meta.dirname, "..", "..", "bin", "continuum.ts");
/**
 * The key and its password sit side by side under the same 0600 permissions, so scrypt's cost would
 * protect nothing that the file mode does not; a light cost keeps a scale-up quick.
 */
const FLEET_KEY_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
const STDERR_TAIL_LINES = 20;

export type ProcessLauncherOptions = {
  schedulerUrl: string;
  /** The fleet's state directory: keys/ (key and password files) and logs/ (each child's stderr). */
  stateDir: string;
  /** Options placed before `worker start` (--data-dir, --config, --sms-url, …). */
  globalArgs?: readonly string[];
  /** Options placed after `worker start --scheduler URL` (--attestation, --ipfs-peer, --no-tee, --log-level, …). */
  workerArgs?: readonly string[];
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The command that runs the CLI (default: this Node with bin/continuum.ts). */
  command?: { executable: string; args: readonly string[] };
  /** How long a child may take to register (default 120 s). */
  startTimeoutMs?: number;
  /** After an abandoning close, how long before SIGKILL (default 30 s). */
  killAfterMs?: number;
  /**
   * Processes starting at once (default 2); more wait their turn. A start is mostly CPU (Node, the
   * CLI's modules, an IPFS node, probing the runtimes): seven at once on two cores all come up a
   * minute later instead of one after the other, and a node that slow misses its peers' handshakes.
   */
  startConcurrency?: number;
  logger?: Logger;
};

/** A fleet worker running in a child process. */
export type WorkerProcess = FleetMember & {
  readonly pid: number;
  readonly keyFile: string;
  /** Resolves with the exit code (or signal name) once the child has exited. */
  readonly exited: Promise<number | string>;
};

export function processLauncher(options: ProcessLauncherOptions): LaunchWorker<WorkerProcess> {
  const logger = (options.logger ?? silentLogger()).child({ component: "worker-process-launcher" });
  const run = `${process.pid}-${randomBytes(3).toString("hex")}`;
  // Files are named by the launcher's own count: fleets sharing a launcher reuse indices.
  let launches = 0;
  const starting = new StartSlots(options.startConcurrency ?? 2);
  return async (index) => {
    const release = await starting.take();
    try {
      return await launchOne(index);
    } finally {
      release();
    }
  };

  async function launchOne(index: number): Promise<WorkerProcess> {
    const name = `worker-${run}-${launches++}`;
    const keys = join(options.stateDir, "keys");
    const logs = join(options.stateDir, "logs");
    await mkdir(keys, { recursive: true, mode: 0o700 });
    await mkdir(logs, { recursive: true, mode: 0o700 });
    const keyFile = join(keys, `${name}.json`);
    const passwordFile = join(keys, `${name}.password`);
    const password = randomBytes(32).toString("hex");
    const forget = () => Promise.all([rm(keyFile, { force: true }), rm(passwordFile, { force: true })]).then(() => undefined);
    let address: string;
    try {
      await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
      ({ address } = await createEthereumKeyFile(keyFile, password, { scryptCost: FLEET_KEY_SCRYPT }));
    } catch (error) {
      await forget();
      throw error;
    }
    const command = options.command ?? { executable: process.execPath, args: [CLI_ENTRY] };
    const args = [
      ...command.args,
      "--json",
      ...(options.globalArgs ?? []),
      "--key-file",
      keyFile,
      "--password-file",
      passwordFile,
      "worker",
      "start",
      "--scheduler",
      options.schedulerUrl,
      ...(options.workerArgs ?? []),
    ];
    let child: ChildProcess;
    try {
      child = spawn(command.executable, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      await forget();
      throw error;
    }
    const log = createWriteStream(join(logs, `${name}.log`), { mode: 0o600 });
    const member = watchChild(child, { address, keyFile, name, log, logger, forget, killAfterMs: options.killAfterMs ?? 30_000 });
    try {
      await member.registered(options.startTimeoutMs ?? 120_000);
    } catch (error) {
      child.kill("SIGKILL");
      await member.exited;
      throw error;
    }
    logger.info({ worker: address, pid: child.pid, index }, "worker process registered");
    return member;
  }
}

/** At most `size` holders at once; take() resolves with the release of a slot. */
class StartSlots {
  readonly #waiting: (() => void)[] = [];
  #free: number;

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  async take(): Promise<() => void> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }
}

type WatchOptions = {
  address: string;
  keyFile: string;
  name: string;
  log: NodeJS.WritableStream;
  logger: Logger;
  forget: () => Promise<void>;
  killAfterMs: number;
};

function watchChild(child: ChildProcess, watch: WatchOptions): WorkerProcess & { registered(timeoutMs: number): Promise<void> } {
  const stderrTail: string[] = [];
  let busy = false;
  let closing: Promise<void> | undefined;
  let onRegistered: (() => void) | undefined;
  let onCrash: (reason: string) => void = () => undefined;
  const crashed = new Promise<string>((resolve) => (onCrash = resolve));

  createInterface({ input: child.stderr! }).on("line", (line) => {
    watch.log.write(`${line}\n`);
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const event = parseEvent(line);
    if (event?.event === "registered") onRegistered?.();
    // The child's task lines say when it holds a task: from "assigned" until its report is sent.
    if (event?.event === "task") busy = event.stage === "assigned" || event.stage === "running";
  });

  // Settles once the child has exited and its key and password files are removed.
  const exited = new Promise<number | string>((resolve) => {
    child.once("error", (error) => {
      stderrTail.push(error.message);
      resolve("spawn-error");
    });
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  }).then(async (status) => {
    await watch.forget();
    watch.log.end();
    if (closing === undefined) onCrash(`the worker process exited (${status}) without being asked: ${stderrTail.at(-1) ?? "no output"}`);
    return status;
  });

  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };

  const close = async (options: { abandon?: boolean } = {}) => {
    if (closing === undefined) {
      signal("SIGTERM");
      closing = exited.then(() => undefined);
    }
    if (options.abandon) {
      // The CLI abandons the running task on a second stop signal; a child that still does not exit is killed.
      const again = setTimeout(() => signal("SIGTERM"), 200);
      const kill = setTimeout(() => signal("SIGKILL"), watch.killAfterMs);
      void exited.then(() => {
        clearTimeout(again);
        clearTimeout(kill);
      });
    }
    await closing;
  };

  return {
    address: watch.address,
    pid: child.pid ?? -1,
    keyFile: watch.keyFile,
    get busy() {
      return busy;
    },
    crashed,
    exited,
    close,
    registered: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new WorkerError("WORKER_PROCESS_FAILED", `worker process ${watch.name} did not register within ${timeoutMs} ms`, { stderr: stderrTail.slice() })),
          timeoutMs,
        );
        onRegistered = () => {
          clearTimeout(timer);
          resolve();
        };
        void exited.then((status) => {
          clearTimeout(timer);
          reject(
            new WorkerError("WORKER_PROCESS_FAILED", `worker process ${watch.name} exited (${status}) before registering: ${stderrTail.at(-1) ?? "no output"}`, {
              status,
              stderr: stderrTail.slice(),
            }),
          );
        });
      }),
  };
}

function parseEvent(line: string): { event?: unknown; stage?: unknown } | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as { event?: unknown; stage?: unknown };
  } catch {
    return undefined;
  }
}
