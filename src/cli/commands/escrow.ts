// `continuum escrow`: move payment tokens into and out of the protocol's escrow, and read an
// account's free and locked escrow balance. Amounts are decimal token units, e.g. "12.5".
import type { Command } from "commander";
import { readAccountAddress } from "../accountKey.ts";
import { parseAddress, parseAmountText } from "../arguments.ts";
import { formatTokenUnits, withChain, type ChainSession } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import type { ResultRow } from "../output.ts";

export function registerEscrowCommands(program: Command, kit: CommandKit): void {
  const escrow = withExamples(
    program
      .command("escrow")
      .description("deposit payment tokens into the escrow, withdraw them, and show balances"),
    "continuum escrow deposit 12.5",
    "continuum escrow balance",
  );

  withExamples(
    escrow
      .command("deposit")
      .description("approve the escrow for AMOUNT tokens if needed, then deposit them into your escrow balance")
      .argument("<amount>", "tokens to deposit, in decimal units (18 decimals), e.g. 12.5", parseAmountText),
    "CONTINUUM_PASSWORD=… continuum escrow deposit 12.5 --key-file alice.key.json",
  ).action((amount: string, _options: unknown, command: Command) => deposit(kit.contextOf(command), amount));

  withExamples(
    escrow
      .command("withdraw")
      .description("withdraw AMOUNT tokens of your free escrow balance back to your account")
      .argument("<amount>", "tokens to withdraw, in decimal units (18 decimals), e.g. 2.5", parseAmountText),
    "CONTINUUM_PASSWORD=… continuum escrow withdraw 2.5 --key-file alice.key.json",
  ).action((amount: string, _options: unknown, command: Command) => withdraw(kit.contextOf(command), amount));

  withExamples(
    escrow
      .command("balance")
      .description("show the free and locked escrow balance and the token balance of ADDRESS (default: your account)")
      .argument("[address]", "the account to show (default: the address of --key-file)", parseAddress),
    "continuum escrow balance",
    "continuum --json escrow balance 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  ).action(async (address: string | undefined, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    const account = address ?? (await readAccountAddress(context));
    await withChain(context, { signer: false }, (chain) => printBalances(context, chain, account, {}));
  });
}

async function deposit(context: CliContext, amountText: string): Promise<void> {
  await withChain(context, { signer: true }, async (chain) => {
    const amount = await chain.parseAmount(amountText);
    const { token, continuum } = chain.contracts;
    const escrowAddress = chain.deployment.continuum;
    const tokens = (await chain.read(() => token.balanceOf(chain.account))) as bigint;
    if (tokens < amount) {
      throw new CliError(
        "INSUFFICIENT_TOKENS",
        `${chain.account} holds ${chain.formatAmount(tokens)}, less than the ${chain.formatAmount(amount)} to deposit`,
        { account: chain.account, balance: tokens.toString(), needed: amount.toString() },
      );
    }
    const allowance = (await chain.read(() => token.allowance(chain.account, escrowAddress))) as bigint;
    if (allowance < amount) {
      await chain.send(`approving the escrow for ${chain.formatAmount(amount)}`, () =>
        token.approve(escrowAddress, amount),
      );
    }
    const receipt = await chain.send(`depositing ${chain.formatAmount(amount)}`, () => continuum.deposit(amount));
    const moved = { name: "deposited", label: "deposited", value: amount };
    await printBalances(context, chain, chain.account, { moved, transaction: receipt.hash });
  });
}

async function withdraw(context: CliContext, amountText: string): Promise<void> {
  await withChain(context, { signer: true }, async (chain) => {
    const amount = await chain.parseAmount(amountText);
    const receipt = await chain.send(`withdrawing ${chain.formatAmount(amount)}`, () =>
      chain.contracts.continuum.withdraw(amount),
    );
    const moved = { name: "withdrawn", label: "withdrawn", value: amount };
    await printBalances(context, chain, chain.account, { moved, transaction: receipt.hash });
  });
}

/** A token amount, named `name` in JSON output and `label` in human output. */
type NamedAmount = { name: string; label: string; value: bigint };

type Movement = { moved?: NamedAmount; transaction?: string };

async function printBalances(
  context: CliContext,
  chain: ChainSession,
  account: string,
  movement: Movement,
): Promise<void> {
  const token = await chain.tokenInfo();
  const { continuum } = chain.contracts;
  const [balance, locked, tokenBalance] = await chain.read(() =>
    Promise.all([
      continuum.balanceOf(account) as Promise<bigint>,
      continuum.lockedOf(account) as Promise<bigint>,
      chain.contracts.token.balanceOf(account) as Promise<bigint>,
    ]),
  );
  const amounts: NamedAmount[] = [
    ...(movement.moved ? [movement.moved] : []),
    { name: "balance", label: "escrow balance", value: balance },
    { name: "locked", label: "escrow locked", value: locked },
    { name: "tokenBalance", label: "token balance", value: tokenBalance },
  ];
  const rows: ResultRow[] = [
    ["account", account],
    ...amounts.map(({ label, value }): ResultRow => [label, chain.formatAmount(value)]),
  ];
  if (movement.transaction) rows.push(["transaction", movement.transaction]);
  context.output.result(
    {
      account,
      token,
      ...Object.fromEntries(amounts.map(({ name, value }) => [name, formatTokenUnits(value, token.decimals)])),
      // The same amounts in the token's smallest unit, for exact arithmetic in scripts.
      units: Object.fromEntries(amounts.map(({ name, value }) => [name, value.toString()])),
      ...(movement.transaction ? { transaction: movement.transaction } : {}),
    },
    rows,
  );
}
