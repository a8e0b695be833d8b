// A long-running `continuum` command (a scheduler, a worker) as a child process: wait for the
// lines it prints, send it signals, and see how it exits.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "../../../bin/continuum.ts");

export type CliProcess = {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout (or stderr); fails if the process exits first. */
  waitFor(pattern: RegExp, stream?: "stdout" | "stderr", timeoutMs?: number): Promise<RegExpMatchArray>;
  signal(signal: NodeJS.Signals): void;
  /** The exit code once the process has ended (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Kills the process if it still runs, for cleanup after a failed test. */
  kill(): Promise<void>;
};

/** Starts `continuum <args>` with a clean environment (no inherited CONTINUUM_*, IPFS or database settings). */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CONTINUUM_|IPFS_API_URL$|DATABASE_URL$)/.test(name)),
  );
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const text = { stdout: "", stderr: "" };
  let ended = false;
  child.stdout!.on("data", (chunk) => (text.stdout += chunk));
  child.stderr!.on("data", (chunk) => (text.stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      ended = true;
      resolve(code);
    });
  });
  const waitFor = async (pattern: RegExp, stream: "stdout" | "stderr" = "stdout", timeoutMs = 60_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(text[stream]);
      if (match) return match;
      if (ended || Date.now() > until) {
        const why = ended ? `the process exited (${child.exitCode})` : "timed out";
        throw new Error(`${why} before ${pattern} on ${stream}\nstdout:\n${text.stdout}\nstderr:\n${text.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    child,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor,
    signal: (signal) => void child.kill(signal),
    exited,
    kill: async () => {
      if (ended) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** The facts a `serve`/`start` command prints in its "listening" JSON line (with --json): its URL, and e.g. the SMS's signer. */
export type ListeningFacts = { url: string; [fact: string]: string };

/** Starts `continuum --json <args>` and resolves once it printed its "listening" line, with that line's facts. */
export async function spawnService(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ service: CliProcess; listening: ListeningFacts }> {
  const service = spawnCli(["--json", ...args], env);
  try {
    const [line] = await service.waitFor(/^\{.*"event":"listening".*\}$/m, "stdout", timeoutMs);
    return { service, listening: JSON.parse(line) as ListeningFacts };
  } catch (error) {
    await service.kill();
    throw error;
  }
}
