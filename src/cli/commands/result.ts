// `continuum result download`: the requester's last step: find a completed task's result CID
// through the market's ledger, fetch the encrypted result from IPFS, check it against the digest
// the enclave signed on-chain, decrypt it with the beneficiary's result key and write its files.
import { failureReportOf } from "../../wire/results/failureReport.ts";
import { createHash } from "node:crypto";
import { InvalidArgumentError, type Command } from "commander";
import { TCB_STATUSES, type TcbStatus } from "../../attestation/dcap/tcbStatus.ts";
import type { TaskRecord } from "../../wire/marketApi/auditRecords.ts";
import type { ResultVerifyOptions } from "../resultVerify.ts";
import { parseAddress, parseBytes32, parseIsoTime } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import { fetchFromGateway, withContentStore } from "../contentAccess.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { marketClient } from "../orderLifecycle.ts";
import { fetchAllPages } from "../payments.ts";
import { loadResultKey } from "../resultKey.ts";

/** Results are small (the enclave bounds an app's output); refuse anything absurd before decrypting. */
const MAX_RESULT_BYTES = 256 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

type DownloadOptions = { resultKey?: string; out?: string; gateway?: string };

export function registerResultCommands(program: Command, kit: CommandKit): void {
  const result = withExamples(
    program.command("result").description("download and decrypt task results (as the beneficiary), and verify their attestation"),
    "continuum result download 0x8c… 0 --result-key results.key.json -o out",
    "continuum result verify 0x8c… 0",
  );
  withExamples(
    result
      .command("download")
      .description("fetch a completed task's encrypted result from IPFS, verify it, decrypt it and write its files")
      .argument("<dealId>", "the deal id (0x + 64 hex), as `request watch` prints", parseBytes32)
      .argument("<taskIndex>", "the task's index in the deal, from 0", parseTaskIndex)
      .option("--result-key <file>", "the beneficiary's result key file (default: <data-dir>/keys/result-key.json)")
      .option("-o, --out <dir>", "a new or empty directory for the result's files (default: result-<deal>-<index>)")
      .option("--gateway <url>", "fetch through this IPFS HTTP gateway instead of the configured IPFS node"),
    "CONTINUUM_PASSWORD=… continuum result download 0x8c… 0 --result-key results.key.json -o ward-stats-result",
    "continuum result download 0x8c… 0 --gateway http://127.0.0.1:8088",
  ).action((dealId: string, index: bigint, options: DownloadOptions, command: Command) =>
    downloadResult(kit.contextOf(command), dealId, index, options),
  );
  withExamples(
    result
      .command("verify")
      .description(
        "verify a TEE result offline and print each check: the quote under the trusted root at a stated time, the report data binding " +
          "the enclave key, that key's signature of the result accepted on-chain, the app's on-chain measurement, the SMS's verdict " +
          "and the TCB status; exit 1 naming the failing checks",
      )
      .argument("<dealId>", "the deal id (0x + 64 hex)", parseBytes32)
      .argument("<taskIndex>", "the task's index in the deal, from 0", parseTaskIndex)
      .option("--accept-tcb <statuses>", "comma-separated TCB statuses to accept", parseTcbStatuses, [...DEFAULT_ACCEPTED_TCB])
      .option("--at <time>", "judge the quote's validity as of this ISO 8601 time (default: now)", parseIsoTime)
      .option("--root <pem>", "the trusted root certificate, PEM (default: sms.attestation.trustedRootFile, else Intel's SGX Root CA)")
      .option("--collateral <file|url>", "collateral: a PCCS / Intel PCS URL or a collateral file or directory (default: as the SMS is configured, else Intel's PCS)")
      .option("--gateway <url>", "fetch through this IPFS HTTP gateway instead of the configured IPFS node")
      .option("--bundle <file>", "verify this attestation bundle file instead of the one the result names")
      .option("--sms-signer <address>", "check the SMS's verdict against this signer (default: the contract's smsSigner)", parseAddress),
    "continuum result verify 0x8c… 0 --root .continuum/attestation/root.pem --collateral http://127.0.0.1:8081",
    "continuum --json result verify 0x8c… 0 --accept-tcb UpToDate --gateway http://127.0.0.1:8088",
  ).action(async (dealId: string, index: bigint, options: ResultVerifyOptions, command: Command) => {
    const { verifyResult } = await import("../resultVerify.ts");
    await verifyResult(kit.contextOf(command), dealId, index, options);
  });
}

const DEFAULT_ACCEPTED_TCB: readonly TcbStatus[] = ["UpToDate", "SWHardeningNeeded"];

function parseTcbStatuses(value: string): TcbStatus[] {
  const statuses = value.split(",").map((status) => status.trim()).filter((status) => status !== "");
  const acceptable = TCB_STATUSES.filter((status) => status !== "Revoked");
  if (statuses.length === 0 || !statuses.every((status) => (acceptable as readonly string[]).includes(status))) {
    throw new InvalidArgumentError(`must be TCB statuses among ${acceptable.join(", ")}, comma-separated`);
  }
  return statuses as TcbStatus[];
}

function parseTaskIndex(value: string): bigint {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError("must be a whole number from 0");
  return BigInt(value);
}

async function downloadResult(context: CliContext, dealId: string, index: bigint, options: DownloadOptions): Promise<void> {
  const outDir = context.resolvePath(options.out ?? `result-${dealId.slice(2, 10)}-${index}`);
  // Opening the key first: a wrong password fails before any download.
  const { privateKey } = await loadResultKey(context, options.resultKey);
  try {
    const task = await findTask(context, dealId, index);
    const cid = task.resultCid!;
    context.output.status(`fetching result ${cid} ...`);
    const envelope = options.gateway
      ? await fetchFromGateway(options.gateway, cid, MAX_RESULT_BYTES)
      : await withContentStore(context, (store) =>
          store.get(cid, { maxBytes: MAX_RESULT_BYTES, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }),
        );
    const digest = `0x${createHash("sha256").update(envelope).digest("hex")}`;
    if (task.resultDigest !== null && digest !== task.resultDigest.toLowerCase()) {
      throw new CliError("RESULT_DIGEST_MISMATCH", `The content of ${cid} does not match the result digest accepted on-chain`, {
        cid,
        expected: task.resultDigest,
        actual: digest,
      });
    }
    const { decryptResult } = await import("../../crypto/index.ts");
    const { unpackArchive } = await import("../../apps/index.ts");
    const archive = decryptResult(envelope, privateKey);
    const entries = await unpackArchive(archive, outDir);
    const files = entries.map((entry) => ({ path: entry.path, size: entry.content.length }));
    // The app or its inputs failed after the secrets were released: the result is the enclave's report of it.
    const failure = failureReportOf(entries);
    context.output.result({ dealId, taskIndex: index.toString(), cid, resultDigest: digest, out: outDir, files, ...(failure ? { failure } : {}) }, [
      ["deal", dealId],
      ["task", index.toString()],
      ["result", cid],
      ...(failure ? [["app failed", `${failure.code}: ${failure.message}`] as [string, string]] : []),
      ["written to", outDir],
      ...files.map((file): [string, string] => [`  ${file.path}`, `${file.size} bytes`]),
    ]);
  } finally {
    privateKey.fill(0);
  }
}

async function findTask(context: CliContext, dealId: string, index: bigint): Promise<TaskRecord> {
  const tasks = await fetchAllPages<TaskRecord>(marketClient(context), `/deals/${dealId}/tasks`, {});
  const task = tasks.find((candidate) => BigInt(candidate.index) === index);
  if (task === undefined) {
    throw new CliError("TASK_NOT_FOUND", `Deal ${dealId} has no task ${index} (it has ${tasks.length})`, {
      dealId,
      index: index.toString(),
    });
  }
  if (task.status !== "completed" || task.resultCid === null) {
    throw new CliError("RESULT_NOT_READY", `Task ${index} of deal ${dealId} is ${task.status}: it has no result to download`, {
      dealId,
      index: index.toString(),
      status: task.status,
    });
  }
  return task;
}
