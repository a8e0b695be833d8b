// `continuum app init` and `continuum app run`: a developer scaffolds a working app for a runtime,
// then runs its bundle on local test input through the same sandbox and limits a worker uses,
// without the chain, the SMS or attestation.
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Option, type Command } from "commander";
import { APP_RUNTIME_NAMES, type AppRuntime } from "../../apps/index.ts";
import { appScaffold } from "../apps/appScaffolds.ts";
import { wholeNumberFrom } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";

type InitOptions = { runtime: AppRuntime; name?: string };
type RunOptions = { input: string; output: string; secrets?: string; params?: string; timeout: number };

export function registerAppDevelopCommands(app: Command, kit: CommandKit): void {
  withExamples(
    app
      .command("init")
      .description("scaffold a working app (manifest, entrypoint, example input) for a runtime in a new or empty directory")
      .argument("<dir>", "where to create the app")
      .addOption(new Option("--runtime <runtime>", "the app's runtime").choices(APP_RUNTIME_NAMES).makeOptionMandatory())
      .option("--name <name>", "the app's name (default: the directory's name)"),
    "continuum app init my-analysis --runtime python",
    "continuum app init counter --runtime wasi",
  ).action(async (dir: string, options: InitOptions, command: Command) => initApp(kit.contextOf(command), dir, options));

  withExamples(
    app
      .command("run")
      .description("run an app directory on local input through the worker's sandbox (no chain, no SMS) and copy its output out")
      .argument("<dir>", "the app directory (with continuum.json)")
      .requiredOption("--input <dir>", "test input, copied into the app's input directory (a file named dataset becomes CONTINUUM_DATASET_FILE)")
      .requiredOption("--output <dir>", "where the app's output is copied (created; must be empty)")
      .option("--secrets <dir>", "secrets to give the app (app/<name>, requester/<name>)")
      .option("--params <text>", "the task params the app receives as CONTINUUM_PARAMS")
      .option("--timeout <seconds>", "wall-clock limit", wholeNumberFrom(1), 60),
    "continuum app run examples/apps/ward-stats --input data --output out --params '{\"thresholds\":{\"spo2\":{\"min\":90}}}'",
  ).action(async (dir: string, options: RunOptions, command: Command) => runLocally(kit.contextOf(command), dir, options));
}

async function initApp(context: CliContext, dir: string, options: InitOptions): Promise<void> {
  const path = context.resolvePath(dir);
  await mkdir(path, { recursive: true });
  if ((await readdir(path)).length > 0) throw new CliError("DIRECTORY_NOT_EMPTY", `${path} is not empty`, { path });
  const name = options.name ?? basename(path).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  const { parseManifest } = await import("../../apps/index.ts");
  const files = await appScaffold(options.runtime, name || "app");
  parseManifest(files.find((file) => file.path === "continuum.json")!.content as string);
  for (const file of files) {
    await mkdir(dirname(join(path, file.path)), { recursive: true });
    await writeFile(join(path, file.path), file.content);
  }
  context.output.result({ directory: path, runtime: options.runtime, name, files: files.map((file) => file.path) }, [
    ["directory", path],
    ["runtime", options.runtime],
    ["files", files.map((file) => file.path).join(", ")],
    ["try it", `continuum app run ${dir} --input ${join(dir, "example-input")} --output ${join(dir, "example-output")}`],
  ]);
}

async function runLocally(context: CliContext, dir: string, options: RunOptions): Promise<void> {
  const path = context.resolvePath(dir);
  const input = context.resolvePath(options.input);
  if (!(await stat(input).catch(() => undefined))?.isDirectory()) throw new CliError("NOT_A_DIRECTORY", `--input ${input} is not a directory`, { path: input });
  const { packBundle, readBundle, parsePackagePins } = await import("../../apps/index.ts");
  const { runAppLocally } = await import("../../../enclave/index.ts");
  const bundle = readBundle((await packBundle(path, { profile: await localProfile(context, path) })).bytes);
  const { python } = context.config.runtimes;
  context.output.status(`running ${bundle.manifest.name} (${bundle.manifest.runtime}) in the sandbox ...`);
  const report = await runAppLocally({
    bundle,
    inputDirectory: input,
    outputDirectory: context.resolvePath(options.output),
    secretsDirectory: options.secrets === undefined ? undefined : context.resolvePath(options.secrets),
    params: options.params,
    timeLimitSeconds: options.timeout,
    limits: context.config.worker,
    python: { interpreter: python.interpreter, packages: parsePackagePins(python.packages) },
  });
  context.output.result({ app: bundle.manifest.name, runtime: bundle.manifest.runtime, ...report }, [
    ["app", `${bundle.manifest.name} ${bundle.manifest.version} (${bundle.manifest.runtime})`],
    ["duration", `${report.durationMs} ms`],
    ["output", report.files.join(", ") || "(none)"],
    ["network isolated", String(report.isolation.networkIsolated)],
  ]);
}

/** The local python profile, so the bundle is checked against the packages this machine declares. */
async function localProfile(context: CliContext, path: string) {
  const { readManifest } = await import("../../apps/index.ts");
  const { profileForApp } = await import("../apps/appProfile.ts");
  return profileForApp(context, await readManifest(path), undefined);
}
