// `continuum app run` for developers: runs a bundle on local test input through the same launcher,
// sandbox and limits a worker uses, without the chain, the SMS or attestation. The developer's
// directories are copied in and out, since the sandbox hands its directories to the app's uid.
import { cp, mkdir, mkdtemp, readdir, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeArchiveEntries, type BundleContents, type PythonRuntimeOptions } from "../src/apps/index.ts";
import { appEnvironment } from "./appEnvironment.ts";
import type { AppIsolation } from "./EnclaveTask.ts";
import { EnclaveError } from "./EnclaveError.ts";
import { runtimeLaunchers } from "./launchers/runtimeLaunchers.ts";
import { resolveTaskLimits, type WorkerLimits } from "./limits.ts";
import { planIsolation, runApp } from "./runApp.ts";
import type { AppProcessReport } from "./sandbox/runAppProcess.ts";
import { probeSandboxCapabilities } from "./sandbox/sandboxCapabilities.ts";

const ZERO_ID = `0x${"00".repeat(32)}`;

export interface LocalAppRun {
  bundle: BundleContents;
  /** Copied into the app's input directory; a file named `dataset` becomes CONTINUUM_DATASET_FILE. */
  inputDirectory: string;
  /** Receives a copy of the app's output; created if missing, and must be empty. */
  outputDirectory: string;
  /** Copied into the app's secrets directory (app/<name>, requester/<name>), when given. */
  secretsDirectory?: string;
  params?: string;
  timeLimitSeconds: number;
  /** The worker's ceilings the app runs under: the configuration's `worker` section. */
  limits: WorkerLimits;
  python?: PythonRuntimeOptions;
  nodePath?: string;
}

export interface LocalAppReport extends AppProcessReport {
  isolation: AppIsolation;
  /** Files the app wrote, relative to the output directory. */
  files: string[];
}

export async function runAppLocally(run: LocalAppRun): Promise<LocalAppReport> {
  const { manifest } = run.bundle;
  const nodePath = run.nodePath ?? process.execPath;
  const launcher = runtimeLaunchers({ nodePath, python: run.python })[manifest.runtime];
  const isolation = await planIsolation(launcher, await probeSandboxCapabilities(nodePath), "when-available");
  const unmet = launcher.unmetRequirement?.(manifest);
  if (unmet !== undefined) throw new EnclaveError("RUNTIME_UNSATISFIABLE", unmet, { runtime: manifest.runtime });
  const limits = resolveTaskLimits(run.limits, manifest, run.timeLimitSeconds);
  await mkdir(run.outputDirectory, { recursive: true });
  if ((await readdir(run.outputDirectory)).length > 0) {
    throw new EnclaveError("BAD_OUTPUT", "The output directory must be empty.", { outputDirectory: run.outputDirectory });
  }
  const scratch = await realpath(await mkdtemp(join(tmpdir(), "continuum-app-run-")));
  try {
    const directories = { bundle: join(scratch, "bundle"), input: join(scratch, "input"), secrets: join(scratch, "secrets"), output: join(scratch, "output") };
    for (const directory of Object.values(directories)) await mkdir(directory, { mode: 0o700 });
    await writeArchiveEntries(run.bundle.entries, directories.bundle);
    await cp(run.inputDirectory, directories.input, { recursive: true });
    if (run.secretsDirectory !== undefined) await cp(run.secretsDirectory, directories.secrets, { recursive: true });
    const datasetFile = join(directories.input, "dataset");
    const hasDataset = (await stat(datasetFile).catch(() => undefined))?.isFile() === true;
    const report = await runApp({
      manifest,
      launcher,
      directories,
      environment: appEnvironment({
        inputDirectory: directories.input,
        outputDirectory: directories.output,
        secretsDirectory: directories.secrets,
        datasetFile: hasDataset ? datasetFile : undefined,
        params: run.params ?? "",
        dealId: ZERO_ID,
        taskIndex: 0n,
        taskId: ZERO_ID,
      }),
      limits,
      isolation,
    });
    await cp(directories.output, run.outputDirectory, { recursive: true });
    const files = (await readdir(run.outputDirectory, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(run.outputDirectory.length + 1))
      .sort();
    return { ...report, isolation, files };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
