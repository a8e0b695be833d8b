// `continuum audit`: the auditor's reading of the market's ledger (deals, a deal with its tasks,
// tasks, payments, claims, a workerpool's reputation), filtered and paginated as the REST API is,
// and `audit verify`, which rebuilds the history from chain events and compares (auditVerify.ts).
import { InvalidArgumentError, type Command } from "commander";
import { TASK_STATUSES, type ClaimRecord, type DealRecord, type PaymentRecord, type ReputationRecord, type TaskRecord } from "../../wire/marketApi/auditRecords.ts";
import { parseAddress, parseAssetId, parseBytes32 } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { marketClient } from "../orderLifecycle.ts";
import type { ResultRow } from "../output.ts";
import { fetchAllPages } from "../payments.ts";
import type { QueryValues } from "../serviceClient.ts";

type ListOptions = QueryValues & { all?: boolean };
type Page<T> = { items: T[]; nextCursor: string | null };

const PAYMENT_KINDS = ["deposit", "withdraw", "lock", "stake_lock", "payout_app", "payout_dataset", "payout_workerpool", "stake_release", "refund", "slash"];

export function registerAuditCommands(program: Command, kit: CommandKit): void {
  const audit = withExamples(
    program.command("audit").description("read the deal, task, payment and reputation history, and verify it against the chain"),
    "continuum audit deals --workerpool 1",
    "continuum audit payments --deal 0x8c… --kind payout_workerpool",
    "continuum audit verify",
  );

  list(audit, kit, "deals", "deals, newest first", dealRow).option("--requester <address>", "only this requester's deals", parseAddress);
  withExamples(
    audit.command("deal").description("one deal with its terms, parties and task counts").argument("<dealId>", "the deal id", parseBytes32),
    "continuum audit deal 0x8c…",
  ).action(async (dealId: string, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    const deal = await marketClient(context).get<DealRecord>(`/deals/${dealId}`);
    context.output.result({ ...deal }, dealDetailRows(deal));
  });
  list(audit, kit, "tasks", "finalized tasks (completed, failed or claimed), newest first", taskRow)
    .option("--deal <dealId>", "only this deal's tasks", parseBytes32)
    .option("--status <status>", TASK_STATUSES.join(", "), choice(TASK_STATUSES));
  list(audit, kit, "payments", "escrow movements (locks, payouts, refunds, slashes), newest first", paymentRow)
    .option("--deal <dealId>", "only this deal's movements", parseBytes32)
    .option("--kind <kind>", PAYMENT_KINDS.join(", "), choice(PAYMENT_KINDS));
  list(audit, kit, "claims", "tasks claimed after their deadline: refunds and slashed stake", claimRow).option(
    "--deal <dealId>",
    "only this deal's claims",
    parseBytes32,
  );

  withExamples(
    audit.command("reputation").description("a workerpool's completed and failed tasks and score, as indexed").argument("<workerpool>", "workerpool id", parseAssetId),
    "continuum audit reputation 1",
  ).action(async (workerpool: bigint, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    const reputation = await marketClient(context).get<ReputationRecord>(`/workerpools/${workerpool}/reputation`);
    context.output.result({ ...reputation }, [
      ["workerpool", reputation.workerpool],
      ["completed tasks", reputation.completed],
      ["failed tasks", reputation.failed],
      ["score", `${(Number(reputation.score) / 100).toFixed(2)}% (${reputation.score} bps)`],
      ["last change", `block ${reputation.blockNumber} (${reputation.blockTime}), tx ${reputation.transactionHash}`],
    ]);
  });

  withExamples(
    audit
      .command("verify")
      .description("rebuild the history from chain events alone and compare deals, tasks, payments and reputation with the API; exit 1 on any difference"),
    "continuum audit verify",
    "continuum --json audit verify",
  ).action(async (_options: unknown, command: Command) => {
    const { verifyAudit } = await import("../auditVerify.ts");
    await verifyAudit(kit.contextOf(command));
  });
}

/** A list command with the filters every audit list shares, pagination, and `--all`. */
function list<T>(audit: Command, kit: CommandKit, path: string, what: string, row: (item: T) => ResultRow): Command {
  return withExamples(
    audit
      .command(path)
      .description(`list ${what}`)
      .option("--address <address>", "only records involving this address", parseAddress)
      .option("--app <id>", "only deals of this app", (value) => parseAssetId(value).toString())
      .option("--dataset <id>", "only deals on this dataset", (value) => parseAssetId(value).toString())
      .option("--workerpool <id>", "only deals of this workerpool", (value) => parseAssetId(value).toString())
      .option("--from <time>", "from this time, inclusive: unix seconds or ISO 8601")
      .option("--to <time>", "until this time, exclusive: unix seconds or ISO 8601")
      .option("--order <order>", "asc or desc (default desc: newest first)", choice(["asc", "desc"]))
      .option("--limit <n>", "records per page (1 to 500, default 50)", parsePageLimit)
      .option("--cursor <cursor>", "continue after the page that printed this cursor")
      .option("--all", "follow the cursors and print every record"),
    `continuum audit ${path} --workerpool 1 --limit 20`,
    `continuum --json audit ${path} --all`,
  ).action(async (options: ListOptions, command: Command) => {
    const context = kit.contextOf(command);
    await printList(context, `/${path}`, options, row);
  });
}

async function printList<T>(context: CliContext, path: string, options: ListOptions, row: (item: T) => ResultRow): Promise<void> {
  const { all, ...query } = options;
  const market = marketClient(context);
  const page: Page<T> = all
    ? { items: await fetchAllPages<T>(market, path, { ...query, cursor: undefined }), nextCursor: null }
    : await market.get<Page<T>>(path, query);
  const rows: ResultRow[] = page.items.length === 0 ? [["(none)", ""]] : page.items.map(row);
  if (page.nextCursor) rows.push(["next page", `--cursor ${page.nextCursor}`]);
  context.output.result({ items: page.items, nextCursor: page.nextCursor }, rows);
}

function parsePageLimit(value: string): number {
  const limit = Number(value);
  if (!/^[0-9]+$/.test(value) || limit < 1 || limit > 500) throw new InvalidArgumentError("must be a whole number from 1 to 500");
  return limit;
}

function choice(values: readonly string[]): (value: string) => string {
  return (value) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(", ")}`);
    return value;
  };
}

const short = (id: string | null) => (id === null ? "-" : `${id.slice(0, 10)}…`);

function dealRow(deal: DealRecord): ResultRow {
  const counts = deal.taskCounts;
  return [
    deal.dealId,
    `${deal.status}  app ${deal.app} dataset ${deal.dataset} pool ${deal.workerpool}  ${counts.completed}/${counts.total} done, ${counts.failed} failed, ${counts.claimed} claimed  block ${deal.blockNumber}`,
  ];
}

function dealDetailRows(deal: DealRecord): ResultRow[] {
  const counts = deal.taskCounts;
  return [
    ["deal", deal.dealId],
    ["status", deal.status],
    ["tasks", `${counts.completed} completed, ${counts.failed} failed, ${counts.claimed} claimed, ${counts.pending} pending of ${counts.total}`],
    ["app", `${deal.app} (owner ${deal.appOwner}, ${deal.appPrice} per task)`],
    ["dataset", `${deal.dataset} (owner ${deal.datasetOwner}, ${deal.datasetPrice} per task)`],
    ["workerpool", `${deal.workerpool} (owner ${deal.workerpoolOwner}, ${deal.workerpoolPrice} per task)`],
    ["requester", deal.requester],
    ["beneficiary", deal.beneficiary],
    ["category", deal.category],
    ["deadline", new Date(Number(deal.deadline) * 1000).toISOString()],
    ["request", deal.requestHash],
    ["created", `block ${deal.blockNumber} (${deal.blockTime}), tx ${deal.transactionHash}`],
  ];
}

function taskRow(task: TaskRecord): ResultRow {
  const outcome = task.failure ? `reason ${task.failure.code}` : `result ${task.resultCid ?? "-"}`;
  return [`${short(task.dealId)} #${task.index}`, `${task.status}  worker ${task.worker ?? "-"}  ${outcome}  block ${task.blockNumber}`];
}

function paymentRow(payment: PaymentRecord): ResultRow {
  return [
    payment.kind,
    `${payment.amount}  from ${payment.from ?? "-"} to ${payment.to ?? "-"}  deal ${short(payment.dealId)} task ${payment.taskIndex ?? "-"}  block ${payment.blockNumber}`,
  ];
}

function claimRow(claim: ClaimRecord): ResultRow {
  return [`${short(claim.dealId)} #${claim.index}`, `refunded ${claim.refunded}, slashed ${claim.slashed}  pool ${claim.workerpool}  block ${claim.blockNumber}`];
}
