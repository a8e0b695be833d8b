// Runs one confidential task from start to signed result: verify the bundle, attest a fresh
// enclave key, get the scheduler's authorization and the SMS's secrets, provision the dataset (and a
// pipeline stage's inputs), run the app sandboxed, then seal its output to the beneficiary (or under
// the stage's intermediate key, for a stage other stages read). Never throws and never leaves its
// scratch directory behind: every failure becomes a FailedEnclaveTask with a stable code.
import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { keccak256 } from "ethers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeArchiveEntries } from "../src/apps/index.ts";
import { WORKER_LIMIT_DEFAULTS } from "../src/config/index.ts";
import { silentLogger, type Logger } from "../src/core/logger.ts";
import { RESULT_ATTESTATION_FORMAT, type ResultAttestation } from "../src/wire/attestation/resultAttestation.ts";
import { NO_SMS_ATTESTATION, taskIdOf } from "../src/wire/eip712/index.ts";
import { appEnvironment } from "./appEnvironment.ts";
import { attestEnclave, type AttestedEnclave } from "./attestEnclave.ts";
import { authorizeEnclave, signSessionRequest } from "./authorizeEnclave.ts";
import { checkTask } from "./checkTask.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { AppIsolation, CompletedEnclaveTask, EnclaveHost, EnclavePhase, EnclaveTask, EnclaveTaskOutcome } from "./EnclaveTask.ts";
import { runtimeLaunchers } from "./launchers/runtimeLaunchers.ts";
import { resolveTaskLimits, type TaskLimits, type WorkerLimits } from "./limits.ts";
import { loadBundle, type LoadedBundle } from "./loadBundle.ts";
import { provisionDataset } from "./provisionDataset.ts";
import { provisionSecrets, wipeSecrets } from "./provisionSecrets.ts";
import { provisionStageInputs } from "./provisionStageInputs.ts";
import { planIsolation, runApp, type AppDirectories } from "./runApp.ts";
import { probeSandboxCapabilities } from "./sandbox/sandboxCapabilities.ts";
import { sealResult, type SealedResult } from "./sealResult.ts";
import { failureReport, isReportableFailure, writeFailureReport } from "./failureReport.ts";
import type { RuntimeLauncher } from "./launchers/RuntimeLauncher.ts";
import type { StepBounds } from "./deadline.ts";
import type { AppRuntime } from "../src/apps/index.ts";
import { freshnessNonce, openSecretsSession } from "./secretsSession.ts";
import type { ReleasedSecrets } from "./SecretsClient.ts";

export interface RunEnclaveTaskOptions {
  /** Cancels the task: the app is killed and the outcome fails with CANCELLED. */
  signal?: AbortSignal;
}

/** What is known about the task so far, for the failure report. */
interface TaskProgress {
  enclaveAddress: string | undefined;
}

export async function runEnclaveTask(
  task: EnclaveTask,
  host: EnclaveHost,
  options: RunEnclaveTaskOptions = {},
): Promise<EnclaveTaskOutcome> {
  const taskId = taskIdOf(task.dealId, task.taskIndex);
  const logger = (host.logger ?? silentLogger()).child({ dealId: task.dealId, taskIndex: task.taskIndex.toString(), taskId });
  const progress: TaskProgress = { enclaveAddress: undefined };
  let scratch: string | undefined;
  try {
    scratch = await realpath(await mkdtemp(join(host.workDirectory ?? tmpdir(), "continuum-enclave-")));
    return await executeTask(task, host, { taskId, scratch, progress, logger, signal: options.signal });
  } catch (error) {
    const failure = asEnclaveError(error, logger);
    logger.warn({ code: failure.code, details: failure.details }, "enclave task failed");
    return {
      status: "failed",
      dealId: task.dealId,
      taskIndex: task.taskIndex,
      taskId,
      worker: task.worker,
      enclaveAddress: progress.enclaveAddress,
      error: failure,
    };
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

interface Execution {
  taskId: string;
  scratch: string;
  progress: TaskProgress;
  logger: Logger;
  signal: AbortSignal | undefined;
}

async function executeTask(task: EnclaveTask, host: EnclaveHost, run: Execution): Promise<CompletedEnclaveTask> {
  const { taskId, logger, signal } = run;
  const limits = { ...WORKER_LIMIT_DEFAULTS, ...host.limits };
  const fetchBounds = { timeoutMs: limits.fetchTimeoutMs, signal };
  const requestBounds = { timeoutMs: limits.requestTimeoutMs, signal };
  checkTask(task);

  const nodePath = host.nodePath ?? process.execPath;
  const launchers = runtimeLaunchers({ nodePath, python: host.python });
  const timed = phaseTimer(host);
  const { load, runnable } = await timed("bundle", async () => {
    const load = await loadBundle(host.store, task.app, limits.maxBundleBytes, fetchBounds, launchers);
    // What this worker must offer to run the app is checked before any secret is asked for: a
    // worker that cannot run it leaves the task to another.
    const runnable = load.ok ? await prepareRun(load.bundle, limits, task, launchers, nodePath, host) : undefined;
    return { load, runnable };
  });
  if (runnable !== undefined) {
    logger.info(
      { measurement: load.ok && load.bundle.measurement, app: runnable.bundle.manifest.name, runtime: runnable.bundle.manifest.runtime, isolation: runnable.isolation },
      "app bundle verified",
    );
  } else if (!load.ok) {
    logger.warn({ code: load.error.code, measurement: load.measurement }, "the app's bundle cannot run; attesting what it measures as, for the SMS to judge");
  }

  const measurement = load.ok ? load.bundle.measurement : load.measurement;
  let enclave: AttestedEnclave | undefined;
  let authorization = "";
  let secrets: ReleasedSecrets | undefined;
  // With SMS replicas, a replica failing mid-session is left for the next: a new challenge there,
  // the same enclave key quoted again (the SMS binds an attempt to one enclave, so a session the
  // failed replica granted without answering is granted again), a new session request.
  for (let round = 1; secrets === undefined; round++) {
    const { nonce, wallet, quote, workerSignature } = await timed("attestation", async () => {
      const nonce = await freshnessNonce(host.secrets, (host.now ?? (() => new Date()))(), requestBounds);
      enclave = await attestEnclave(host.platform, measurement, nonce, enclave?.wallet);
      const { wallet, quote } = enclave;
      run.progress.enclaveAddress = wallet.address;
      authorization ||= await authorizeEnclave(
        host.authorize,
        host.domain,
        { worker: task.worker, taskId, enclave: wallet.address },
        task.deal.workerpoolOwner,
        requestBounds,
      );
      const workerSignature = await signSessionRequest(
        host.signSessionRequest,
        { worker: task.worker, taskId, attempt: BigInt(task.attempt), enclave: wallet.address, quoteHash: keccak256(quote) },
        requestBounds,
      );
      return { nonce, wallet, quote, workerSignature };
    });
    // A refusal (SMS_REFUSED) ends the task here, with the SMS's verdict when it blames someone.
    try {
      secrets = await timed("secrets", () => openSecretsSession(
        host.secrets,
        {
          quote,
          nonce,
          enclavePublicKey: wallet.signingKey.publicKey,
          enclaveAddress: wallet.address,
          worker: task.worker,
          dealId: task.dealId,
          taskIndex: task.taskIndex,
          taskId,
          attempt: task.attempt,
          dealBlock: task.dealBlock,
          authorization,
          workerSignature,
          dataset: task.deal.dataset === 0n ? undefined : task.deal.dataset,
          enclaveKey: wallet.signingKey,
        },
        requestBounds,
      ));
    } catch (error) {
      if (!(error instanceof EnclaveError && error.code === "SMS_UNAVAILABLE") || round >= (host.secrets.replicas ?? 1)) throw error;
      logger.warn({ round, reason: error.message }, "the SMS replica failed during the session; starting again at the next one");
    }
  }
  const { wallet, quote } = enclave!;
  logger.info({ enclave: wallet.address, released: releasedKinds(secrets) }, "secrets released to the enclave");
  const sealRequest = {
    resultPublicKey: task.deal.resultPublicKey,
    store: host.store,
    enclave: wallet,
    domain: host.domain,
    worker: task.worker,
    taskId,
    attestation: resultAttestation(task, taskId, wallet.address, measurement, quote, secrets),
  };

  // From here the workerpool has done its part: a failure of the app or of its inputs is the
  // task's result (a failure report sealed to the requester), not a reason to try again.
  let sealed: SealedResult;
  let outcome: Pick<CompletedEnclaveTask, "app" | "isolation" | "failure">;
  try {
    if (!load.ok) throw load.error;
    if (runnable === undefined) throw new EnclaveError("ENCLAVE_FAILED", "The app was not prepared to run.");
    const report = await timed("app", () => runReleasedApp(task, host, run, runnable, secrets, limits, fetchBounds));
    // A stage another stage reads seals its output under its intermediate key, not to the requester.
    const output = secrets.stageKeys?.output;
    const stageOutput = output ? { pipeline: secrets.stageKeys!.pipeline, stage: output.stage, key: output.key } : undefined;
    sealed = await timed("seal", () =>
      sealResult({ ...sealRequest, outputDirectory: report.outputDirectory, limits: runnable.taskLimits, ...(stageOutput ? { stageOutput } : {}) }, fetchBounds),
    );
    outcome = { app: report.app, isolation: runnable.isolation };
  } catch (error) {
    wipeSecrets(secrets);
    secrets.stageKeys?.output?.key.fill(0);
    // A failure report goes to the requester (readable by them, it holds no data), also for a stage others read.
    if (!(error instanceof EnclaveError) || !isReportableFailure(error)) throw error;
    const report = failureReport(error, { taskId, attempt: task.attempt });
    const directory = join(run.scratch, "failure");
    await writeFailureReport(directory, report);
    sealed = await timed("seal", () => sealResult({ ...sealRequest, outputDirectory: directory, limits }, fetchBounds));
    logger.warn({ code: error.code }, "the app or its inputs failed; the failure report is the task's result");
    outcome = { failure: report };
  }
  secrets.stageKeys?.output?.key.fill(0);
  logger.info({ resultCid: sealed.resultCid, resultDigest: sealed.resultDigest, sealedFor: secrets.stageKeys?.output ? "next stages" : "requester" }, "result sealed and signed");
  const smsAttestation = secrets.attestation?.signature ?? NO_SMS_ATTESTATION;
  return {
    status: "completed",
    dealId: task.dealId,
    taskIndex: task.taskIndex,
    taskId,
    worker: task.worker,
    enclaveAddress: wallet.address,
    authorization,
    enclaveSignature: sealed.enclaveSignature,
    resultCid: sealed.resultCid,
    resultDigest: sealed.resultDigest,
    resultSize: sealed.resultSize,
    attestationCid: sealed.attestationCid,
    measurement,
    smsVerdict: secrets.attestation,
    taskResult: {
      index: task.taskIndex,
      worker: task.worker,
      enclave: wallet.address,
      resultDigest: sealed.resultDigest,
      resultCid: sealed.resultCid,
      authorization,
      enclaveSignature: sealed.enclaveSignature,
      smsAttestation,
    },
    ...outcome,
  };
}

/** Runs one phase and tells the host how long it took, also when it failed. */
function phaseTimer(host: EnclaveHost) {
  return async <T>(phase: EnclavePhase, work: () => Promise<T>): Promise<T> => {
    const startedAt = performance.now();
    try {
      return await work();
    } finally {
      host.onPhase?.(phase, (performance.now() - startedAt) / 1_000);
    }
  };
}

interface Runnable {
  bundle: LoadedBundle;
  launcher: RuntimeLauncher;
  taskLimits: TaskLimits;
  isolation: AppIsolation;
}

async function prepareRun(
  bundle: LoadedBundle,
  limits: WorkerLimits,
  task: EnclaveTask,
  launchers: Readonly<Record<AppRuntime, RuntimeLauncher>>,
  nodePath: string,
  host: EnclaveHost,
): Promise<Runnable> {
  const taskLimits = resolveTaskLimits(limits, bundle.manifest, task.maxRunTimeSeconds);
  const launcher = launchers[bundle.manifest.runtime];
  const isolation = await planIsolation(launcher, await probeSandboxCapabilities(nodePath), host.networkIsolation ?? "when-available");
  const unmet = launcher.unmetRequirement?.(bundle.manifest);
  if (unmet !== undefined) throw new EnclaveError("RUNTIME_UNSATISFIABLE", unmet, { runtime: bundle.manifest.runtime });
  return { bundle, launcher, taskLimits, isolation };
}

/** Provisions the dataset and the secrets (wiping the copies in memory), then runs the app. */
async function runReleasedApp(
  task: EnclaveTask,
  host: EnclaveHost,
  run: Execution,
  runnable: Runnable,
  secrets: ReleasedSecrets,
  limits: WorkerLimits,
  fetchBounds: StepBounds,
): Promise<{ outputDirectory: string; app: CompletedEnclaveTask["app"] }> {
  const { taskId, logger, signal } = run;
  const directories = await makeDirectories(run.scratch);
  const datasetFile = task.dataset === undefined ? undefined : join(directories.input, "dataset");
  try {
    if (task.dataset !== undefined && datasetFile !== undefined) {
      if (secrets.datasetKey === undefined) {
        throw new EnclaveError("DATASET_KEY_MISSING", "The SMS released no key for the deal's dataset.");
      }
      const placement = { ciphertextPath: join(directories.sealed, "dataset.enc"), plaintextPath: datasetFile };
      await provisionDataset(host.store, task.dataset, secrets.datasetKey, placement, limits.maxDatasetBytes, fetchBounds);
    }
    if (secrets.stageKeys !== undefined) {
      const bounds = { maxBytes: limits.maxDatasetBytes, maxEntries: runnable.taskLimits.maxOutputFiles };
      await provisionStageInputs(host.store, secrets.stageKeys, task.stageOutputs ?? [], directories.input, bounds, fetchBounds);
      logger.info({ pipeline: secrets.stageKeys.pipeline, stage: secrets.stageKeys.stage, inputs: secrets.stageKeys.inputs.map((input) => input.stage) }, "stage inputs provisioned");
    }
    await provisionSecrets(secrets, directories.secrets);
  } finally {
    wipeSecrets(secrets);
  }
  await writeArchiveEntries(runnable.bundle.entries, directories.bundle);

  const report = await runApp({
    manifest: runnable.bundle.manifest,
    launcher: runnable.launcher,
    directories,
    environment: appEnvironment({
      inputDirectory: directories.input,
      outputDirectory: directories.output,
      secretsDirectory: directories.secrets,
      datasetFile,
      params: task.params,
      dealId: task.dealId,
      taskIndex: task.taskIndex,
      taskId,
    }),
    limits: runnable.taskLimits,
    isolation: runnable.isolation,
    signal,
  });
  logger.info({ durationMs: report.durationMs, peakResidentBytes: report.peakResidentBytes }, "app finished");
  return { outputDirectory: directories.output, app: report };
}

async function makeDirectories(scratch: string): Promise<AppDirectories & { sealed: string }> {
  const directories = {
    bundle: join(scratch, "bundle"),
    input: join(scratch, "input"),
    secrets: join(scratch, "secrets"),
    output: join(scratch, "output"),
    sealed: join(scratch, "sealed"),
  };
  for (const directory of Object.values(directories)) await mkdir(directory, { mode: 0o700 });
  return directories;
}

/** The attestation bundle published with the result: what a requester needs to verify who produced it. */
function resultAttestation(
  task: EnclaveTask,
  taskId: string,
  enclave: string,
  measurement: string,
  quote: Uint8Array,
  secrets: ReleasedSecrets,
): ResultAttestation {
  return {
    format: RESULT_ATTESTATION_FORMAT,
    dealId: task.dealId,
    taskIndex: task.taskIndex.toString(),
    taskId,
    worker: task.worker,
    enclave,
    appMeasurement: measurement,
    quote: `0x${Buffer.from(quote).toString("hex")}`,
    smsVerdict: secrets.attestation ?? null,
  };
}

/** Which kinds of secret came back, never their values. */
function releasedKinds(secrets: ReleasedSecrets): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value !== undefined)
    .map(([kind]) => kind);
}

function asEnclaveError(error: unknown, logger: Logger): EnclaveError {
  if (error instanceof EnclaveError) return error;
  logger.error({ err: error }, "unexpected enclave runtime fault");
  return new EnclaveError("ENCLAVE_FAILED", "The enclave runtime failed unexpectedly.", undefined, { cause: error });
}
