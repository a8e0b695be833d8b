// `continuum request`: the requester's side of the market: sign a request order (what to run, on
// which data and pool, at most at which prices, for whom) and post it; follow it until every task
// is final; unpublish or cancel it.
import { Option, type Command } from "commander";
import { ZERO_ADDRESS, type RequestOrder } from "../../wire/eip712/index.ts";
import { paramsWithPriority, PRIORITY_CLASSES, type PriorityClass } from "../../wire/requestParams.ts";
import { UsageError } from "../errors.ts";
import { readAccountAddress } from "../accountKey.ts";
import { parseAddress, parseAmountText, parseAssetId, parseBytes32 } from "../arguments.ts";
import type { ChainSession } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { claimDeal, DEFAULT_CLAIM_BATCH_SIZE } from "../dealClaim.ts";
import { publishOrder, registerOrderRemoval } from "../orderLifecycle.ts";
import { describeRestriction, formatTag } from "../orderRows.ts";
import { freshSalt, parseDuration, parseVolume, parseWholeNumber, withCommonTerms, withDefault } from "../orderTerms.ts";
import { readResultPublicKey } from "../resultKey.ts";
import { watchRequest } from "../requestWatch.ts";

type SubmitOptions = {
  app: bigint;
  appMaxPrice?: string;
  dataset?: bigint;
  datasetMaxPrice?: string;
  workerpool?: bigint;
  workerpoolMaxPrice?: string;
  category: bigint;
  trust: bigint;
  volume: bigint;
  tag: string;
  expiresIn: bigint;
  beneficiary?: string;
  resultKey?: string;
  params: string;
  priority?: PriorityClass;
};

export function registerRequestCommands(program: Command, kit: CommandKit): void {
  const request = withExamples(
    program.command("request").description("submit a request for confidential tasks, follow it, unpublish or cancel it"),
    "continuum request submit --app 1 --dataset 1 --category 1 --app-max-price 1 --dataset-max-price 3 --workerpool-max-price 2",
    "continuum request watch 0x5d…",
    "continuum request claim 0x9a…",
  );

  withExamples(
    withCommonTerms(
      request
        .command("submit")
        .description("sign a request order and post it to the market (POST /v1/requests); the escrow must cover it")
        .requiredOption("--app <id>", "the app to run", parseAssetId)
        .option("--app-max-price <tokens>", "the most you pay the app per task (default 0)", parseAmountText)
        .option("--dataset <id>", "the dataset to run on (default: none)", parseAssetId)
        .option("--dataset-max-price <tokens>", "the most you pay the dataset per task (default 0)", parseAmountText)
        .option("--workerpool <id>", "run only on this workerpool (default: any)", parseAssetId)
        .option("--workerpool-max-price <tokens>", "the most you pay the workerpool per task (default 0)", parseAmountText)
        .requiredOption("--category <id>", "the task category, which bounds the run time (devnet: 1 S, 2 M, 3 L)", parseAssetId)
        .addOption(withDefault("--trust <n>", "the trust level required of the workerpool", parseWholeNumber, "0")),
    )
      .option("--beneficiary <address>", "who receives the results (default: your account)", parseAddress)
      .option("--result-key <file>", "the beneficiary's result key file; its public key goes in the order (default: <data-dir>/keys/result-key.json)")
      .option("--params <text>", "parameters passed to the app", "")
      .addOption(
        new Option(
          "--priority <class>",
          "the priority class the workerpool queues your tasks in, written into --params as {\"priority\":…} " +
            "(default normal; a pool may honour urgent only at its urgent price, see the README)",
        ).choices(PRIORITY_CLASSES),
      ),
    "CONTINUUM_PASSWORD=… continuum request submit --app 1 --dataset 1 --category 1 \\\n" +
      "      --app-max-price 1 --dataset-max-price 3 --workerpool-max-price 2 --result-key results.key.json",
  ).action((options: SubmitOptions, command: Command) => submitRequest(kit.contextOf(command), options));

  withExamples(
    request
      .command("watch")
      .description(
        "follow a request's deals and tasks until every task is final: the market's live feed (GET /v1/feed) says when " +
          "something about the request happened and only then is GET /v1/requests/<hash> read again; while the feed is " +
          "unavailable the status is polled every --interval. A task that fails is shown with its reason, and the " +
          "command then exits 1 with TASK_FAILED",
      )
      .argument("<hash>", "the request hash printed by submit", parseBytes32)
      .addOption(withDefault("--timeout <duration>", "give up after this long: 90s, 30m, 2h", parseDuration, "10m"))
      .addOption(withDefault("--interval <duration>", "pause between polls while the live feed is unavailable", parseDuration, "2s"))
      .option("--no-feed", "poll only, without the live feed"),
    "continuum request watch 0x5d… --timeout 30m",
    "continuum --json request watch 0x5d…",
  ).action((hash: string, options: { timeout: bigint; interval: bigint; feed: boolean }, command: Command) =>
    watchRequest(kit.contextOf(command), hash, {
      timeoutMs: Number(options.timeout) * 1000,
      intervalMs: Number(options.interval) * 1000,
      useFeed: options.feed,
    }),
  );

  withExamples(
    request
      .command("claim")
      .description(
        "after a deal's deadline, claim its unfinished tasks on-chain: the requester gets each task's price back " +
          "and the workerpool's stake; completed or claimed tasks are skipped",
      )
      .argument("<dealId>", "the deal id, as `request watch` shows it", parseBytes32)
      .option("--task <index...>", "claim only these task indexes (default: every task of the deal)", collectTaskIndex)
      .addOption(withDefault("--batch-size <n>", "tasks claimed per transaction", parseVolume, DEFAULT_CLAIM_BATCH_SIZE.toString())),
    "CONTINUUM_PASSWORD=… continuum request claim 0x9a…",
    "continuum --json request claim 0x9a… --task 0 3",
  ).action((dealId: string, options: { task?: bigint[]; batchSize: bigint }, command: Command) =>
    claimDeal(kit.contextOf(command), dealId, { tasks: options.task, batchSize: options.batchSize }),
  );

  registerOrderRemoval(request, "request", kit, "request");
}

function collectTaskIndex(value: string, previous: bigint[] | undefined): bigint[] {
  return [...(previous ?? []), parseWholeNumber(value)];
}

async function submitRequest(context: CliContext, options: SubmitOptions): Promise<void> {
  const params = options.priority === undefined ? options.params : paramsWithPriority(options.params, options.priority);
  if (params === undefined) throw new UsageError("PARAMS_NOT_AN_OBJECT", "--priority needs --params to be empty or a JSON object, which it adds \"priority\" to");
  const resultPublicKey = await readResultPublicKey(context, options.resultKey);
  const requester = await readAccountAddress(context);
  const price = (chain: ChainSession, text: string | undefined) => (text === undefined ? Promise.resolve(0n) : chain.parseAmount(text));
  await publishOrder(
    context,
    "request",
    async (chain, now): Promise<RequestOrder> => ({
      app: options.app,
      appMaxPrice: await price(chain, options.appMaxPrice),
      dataset: options.dataset ?? 0n,
      datasetMaxPrice: await price(chain, options.datasetMaxPrice),
      workerpool: options.workerpool ?? 0n,
      workerpoolMaxPrice: await price(chain, options.workerpoolMaxPrice),
      requester,
      volume: options.volume,
      tag: options.tag,
      category: options.category,
      trust: options.trust,
      beneficiary: options.beneficiary ?? requester,
      resultPublicKey,
      params,
      salt: freshSalt(),
      expiry: now + options.expiresIn,
    }),
    (signed, chain) => [
      ["app", `${signed.app} (at most ${chain.formatAmount(signed.appMaxPrice)})`],
      ["dataset", signed.dataset === 0n ? "none" : `${signed.dataset} (at most ${chain.formatAmount(signed.datasetMaxPrice)})`],
      ["workerpool", `${describeRestriction(signed.workerpool, "workerpool")} (at most ${chain.formatAmount(signed.workerpoolMaxPrice)})`],
      ["category", signed.category.toString()],
      ["tag", formatTag(signed.tag)],
      ["beneficiary", signed.beneficiary === ZERO_ADDRESS ? "-" : signed.beneficiary],
      ["result key", signed.resultPublicKey],
    ],
  );
}
