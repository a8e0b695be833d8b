// Runs one confidential task from start to signed result: verify the bundle, attest a fresh
// enclave key, get the scheduler's authorization and the SMS's secrets, provision the dataset, run
// the app sandboxed, then seal its output to the beneficiary. Never throws and never leaves its
// scratch directory behind: every failure becomes a FailedEnclaveTask with a stable code.
import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { keccak256 } from "ethers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeArchiveEntries } from "../src/apps/index.ts";
import { WORKER_LIMIT_DEFAULTS } from "../src/config/index.ts";
import { silentLogger, type Logger } from "../src/core/logger.ts";
import { NO_SMS_ATTESTATION, taskIdOf } from "../src/wire/eip712/index.ts";
import { appEnvironment } from "./appEnvironment.ts";
import { attestEnclave } from "./attestEnclave.ts";
import { authorizeEnclave, signSessionRequest } from "./authorizeEnclave.ts";
import { checkTask } from "./checkTask.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { CompletedEnclaveTask, EnclaveHost, EnclaveTask, EnclaveTaskOutcome } from "./EnclaveTask.ts";
import { runtimeLaunchers } from "./launchers/runtimeLaunchers.ts";
import { resolveTaskLimits } from "./limits.ts";
import { loadBundle } from "./loadBundle.ts";
import { provisionDataset } from "./provisionDataset.ts";
import { provisionSecrets, wipeSecrets } from "./provisionSecrets.ts";
import { planIsolation, runApp, type AppDirectories } from "./runApp.ts";
import { probeSandboxCapabilities } from "./sandbox/sandboxCapabilities.ts";
import { sealResult } from "./sealResult.ts";
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
  const bundle = await loadBundle(host.store, task.app, limits.maxBundleBytes, fetchBounds, launchers);
  const taskLimits = resolveTaskLimits(limits, bundle.manifest, task.maxRunTimeSeconds);
  const launcher = launchers[bundle.manifest.runtime];
  const isolation = await planIsolation(
    launcher,
    await probeSandboxCapabilities(nodePath),
    host.networkIsolation ?? "when-available",
  );
  const unmet = launcher.unmetRequirement?.(bundle.manifest);
  if (unmet !== undefined) throw new EnclaveError("RUNTIME_UNSATISFIABLE", unmet, { runtime: bundle.manifest.runtime });
  logger.info({ measurement: bundle.measurement, app: bundle.manifest.name, runtime: bundle.manifest.runtime, isolation }, "app bundle verified");

  const nonce = await freshnessNonce(host.secrets, (host.now ?? (() => new Date()))(), requestBounds);
  const { wallet, quote } = await attestEnclave(host.platform, bundle.measurement, nonce);
  run.progress.enclaveAddress = wallet.address;
  const authorization = await authorizeEnclave(
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
  const secrets = await openSecretsSession(
    host.secrets,
    {
      quote,
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
  );
  logger.info({ enclave: wallet.address, released: releasedKinds(secrets) }, "secrets released to the enclave");

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
    await provisionSecrets(secrets, directories.secrets);
  } finally {
    wipeSecrets(secrets);
  }
  await writeArchiveEntries(bundle.entries, directories.bundle);

  const report = await runApp({
    manifest: bundle.manifest,
    launcher,
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
    limits: taskLimits,
    isolation,
    signal,
  });
  logger.info({ durationMs: report.durationMs, peakResidentBytes: report.peakResidentBytes }, "app finished");

  const sealed = await sealResult(
    {
      outputDirectory: directories.output,
      limits: taskLimits,
      resultPublicKey: task.deal.resultPublicKey,
      store: host.store,
      enclave: wallet,
      domain: host.domain,
      worker: task.worker,
      taskId,
    },
    fetchBounds,
  );
  logger.info({ resultCid: sealed.resultCid, resultDigest: sealed.resultDigest }, "result sealed and signed");
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
    measurement: bundle.measurement,
    taskResult: {
      index: task.taskIndex,
      worker: task.worker,
      enclave: wallet.address,
      resultDigest: sealed.resultDigest,
      resultCid: sealed.resultCid,
      authorization,
      enclaveSignature: sealed.enclaveSignature,
      smsAttestation: NO_SMS_ATTESTATION,
    },
    app: report,
    isolation,
  };
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
