// The provider's market commands: `workerpool order publish|unpublish|cancel` for priced offers
// of a workerpool's capacity, and `workerpool earnings` (escrow and, from the audit API, payments).
import type { Command } from "commander";
import { ZERO_ADDRESS, type WorkerpoolOrder } from "../../wire/eip712/index.ts";
import { readAccountAddress } from "../accountKey.ts";
import { parseAddress, parseAmountText, parseAssetId } from "../arguments.ts";
import { withChain, type ChainSession } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { marketClient, publishOrder, registerOrderRemoval } from "../orderLifecycle.ts";
import { freshSalt, withCommonTerms } from "../orderTerms.ts";
import { describeRestriction, formatTag } from "../orderRows.ts";
import { fetchPayments, paymentRows, type PaymentsView } from "../payments.ts";

type PublishOptions = {
  workerpool: bigint;
  price?: string;
  category: bigint;
  volume: bigint;
  tag: string;
  expiresIn: bigint;
  app?: bigint;
  dataset?: bigint;
  requester?: string;
};

export function registerWorkerpoolOrderCommands(workerpool: Command, kit: CommandKit): void {
  const order = withExamples(
    workerpool.command("order").description("publish, unpublish and cancel your workerpool's orders"),
    "continuum workerpool order publish --workerpool 1 --price 2 --category 1 --volume 10",
    "continuum workerpool order cancel 0x5d…",
  );

  withExamples(
    withCommonTerms(
      order
        .command("publish")
        .description("sign an offer of your workerpool's capacity and post it to the market")
        .requiredOption("--workerpool <id>", "your workerpool's id", parseAssetId)
        .option("--price <tokens>", "price per task, in tokens (default 0)", parseAmountText)
        .requiredOption("--category <id>", "the task category the offer serves (devnet: 1 S, 2 M, 3 L)", parseAssetId),
    )
      .option("--app <id>", "serve only this app", parseAssetId)
      .option("--dataset <id>", "serve only tasks on this dataset", parseAssetId)
      .option("--requester <address>", "serve only this requester", parseAddress),
    "CONTINUUM_PASSWORD=… continuum workerpool order publish --workerpool 1 --price 2 --category 1 --volume 10",
    "continuum --json workerpool order publish --workerpool 1 --price 0.5 --tag tee --expires-in 7d --app 3",
  ).action((options: PublishOptions, command: Command) =>
    publishOrder(
      kit.contextOf(command),
      "workerpool",
      async (chain, now): Promise<WorkerpoolOrder> => ({
        workerpool: options.workerpool,
        price: options.price === undefined ? 0n : await chain.parseAmount(options.price),
        volume: options.volume,
        tag: options.tag,
        category: options.category,
        appRestrict: options.app ?? 0n,
        datasetRestrict: options.dataset ?? 0n,
        requesterRestrict: options.requester ?? ZERO_ADDRESS,
        assetEpoch: await chain.assetEpoch("workerpool", options.workerpool),
        salt: freshSalt(),
        expiry: now + options.expiresIn,
      }),
      (signed, chain) => [
        ["workerpool", signed.workerpool.toString()],
        ["price", chain.formatAmount(signed.price)],
        ["category", signed.category.toString()],
        ["tag", formatTag(signed.tag)],
        ["apps", describeRestriction(signed.appRestrict, "app")],
        ["datasets", describeRestriction(signed.datasetRestrict, "dataset")],
        ["requesters", signed.requesterRestrict === ZERO_ADDRESS ? "any" : signed.requesterRestrict],
      ],
    ),
  );

  registerOrderRemoval(order, "workerpool", kit, "workerpool order");

  withExamples(
    workerpool
      .command("earnings")
      .description("show your escrow balance, the stake locked in running deals, and the payments received")
      .argument("[account]", "the provider's address (default: your account)", parseAddress),
    "continuum workerpool earnings",
    "continuum --json workerpool earnings 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  ).action(async (account: string | undefined, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await showEarnings(context, account ?? (await readAccountAddress(context)));
  });
}

async function showEarnings(context: CliContext, account: string): Promise<void> {
  await withChain(context, { signer: false }, async (chain) => {
    const { balance, locked } = await readEscrow(chain, account);
    const payments: PaymentsView = await fetchPayments(context, marketClient(context), { account });
    const total = payments.available ? payments.items.reduce((sum, item) => sum + BigInt(item.amount), 0n) : undefined;
    context.output.result(
      {
        account,
        balance,
        locked,
        payments: payments.available ? payments.items : null,
        paymentsTotal: total ?? null,
        ...(payments.available ? {} : { paymentsUnavailable: payments.reason }),
      },
      [
        ["account", account],
        ["escrow balance", chain.formatAmount(balance)],
        ["locked stake", chain.formatAmount(locked)],
        ...(payments.available
          ? ([["payments received", `${payments.items.length}, ${chain.formatAmount(total!)}`]] as const)
          : ([["payments", `unavailable: ${payments.reason}`]] as const)),
        ...(payments.available ? paymentRows(payments.items, chain.formatAmount) : []),
      ],
    );
  });
}

async function readEscrow(chain: ChainSession, account: string): Promise<{ balance: bigint; locked: bigint }> {
  await chain.tokenInfo();
  const { continuum } = chain.contracts;
  const [balance, locked] = await chain.read(() =>
    Promise.all([continuum.balanceOf(account) as Promise<bigint>, continuum.lockedOf(account) as Promise<bigint>]),
  );
  return { balance, locked };
}

