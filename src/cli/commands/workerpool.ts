// `continuum workerpool`: register a workerpool owned by your account, show a registered one with
// its owner, description and reputation, publish / unpublish / cancel its orders, show earnings,
// announce its scheduler to the market, and run an autoscaled local fleet of workers.
import type { Command } from "commander";
import { parseAssetId, parseNonEmptyText } from "../arguments.ts";
import { findEvent, withChain, type ChainSession } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import { CliError } from "../errors.ts";
import { registerWorkerpoolOrderCommands } from "./workerpoolOrders.ts";
import { registerWorkerpoolAnnounce } from "./workerpoolAnnounce.ts";
import { registerWorkerpoolAutoscale } from "./workerpoolAutoscale.ts";

export function registerWorkerpoolCommands(program: Command, kit: CommandKit): void {
  const workerpool = withExamples(
    program.command("workerpool").description("register a workerpool (as its provider) and show registered ones"),
    'continuum workerpool register --description "4 vCPU SGX nodes, Lyon"',
    "continuum workerpool show 1",
    "continuum workerpool order publish --workerpool 1 --price 2 --category 1 --volume 10",
    "continuum workerpool earnings",
    "continuum workerpool scheduler start --workerpool 1",
    "continuum workerpool announce --scheduler-url http://127.0.0.1:8070",
    "continuum workerpool autoscale --scheduler http://127.0.0.1:8070 --min 1 --max 8",
  );

  withExamples(
    workerpool
      .command("register")
      .description("register a new workerpool owned by your account and print its id")
      .requiredOption("--description <text>", "what the pool offers: hardware, location, contact", parseNonEmptyText),
    'CONTINUUM_PASSWORD=… continuum workerpool register --description "4 vCPU SGX nodes, Lyon"',
  ).action(async (options: { description: string }, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: true }, async (chain) => {
      const registry = chain.contracts.workerpoolRegistry;
      const receipt = await chain.send("registering the workerpool", () =>
        registry.registerWorkerpool(chain.account, options.description),
      );
      const event = findEvent(receipt, registry, "WorkerpoolRegistered");
      const id = String(event.workerpool);
      context.output.result({ id, owner: chain.account, description: options.description, transaction: receipt.hash }, [
        ["workerpool", id],
        ["owner", chain.account],
        ["description", options.description],
        ["transaction", receipt.hash],
      ]);
    });
  });

  withExamples(
    workerpool
      .command("show")
      .description("show a workerpool's owner, description and reputation")
      .argument("<id>", "workerpool id", parseAssetId),
    "continuum workerpool show 1",
    "continuum --json workerpool show 1",
  ).action(async (id: bigint, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: false }, async (chain) => {
      await requireWorkerpool(chain, id);
      const registry = chain.contracts.workerpoolRegistry;
      const [owner, description, reputation] = await chain.read(() =>
        Promise.all([
          registry.ownerOf(id) as Promise<string>,
          registry.descriptionOf(id) as Promise<string>,
          readReputation(chain, id),
        ]),
      );
      context.output.result({ id: id.toString(), owner, description, reputation }, [
        ["workerpool", id.toString()],
        ["owner", owner],
        ["description", description],
        ["completed tasks", String(reputation.completed)],
        ["failed tasks", String(reputation.failed)],
        ["score", formatScore(reputation.scoreBps)],
      ]);
    });
  });

  registerWorkerpoolOrderCommands(workerpool, kit);
  registerWorkerpoolAnnounce(workerpool, kit);
  registerWorkerpoolAutoscale(workerpool, kit);
}

export type Reputation = { completed: number; failed: number; scoreBps: number };

/** Completed and failed task counts and the smoothed success score (basis points) from the contract. */
export async function readReputation(chain: ChainSession, workerpool: bigint): Promise<Reputation> {
  const [completed, failed, score] = (await chain.read(() => chain.contracts.continuum.reputationOf(workerpool))) as [
    bigint,
    bigint,
    bigint,
  ];
  return { completed: Number(completed), failed: Number(failed), scoreBps: Number(score) };
}

export async function requireWorkerpool(chain: ChainSession, id: bigint): Promise<void> {
  const exists = (await chain.read(() => chain.contracts.workerpoolRegistry.exists(id))) as boolean;
  if (!exists) {
    throw new CliError("WORKERPOOL_NOT_FOUND", `No workerpool with id ${id} is registered`, { id: id.toString() });
  }
}

/** 5000 basis points → "50.00% (5000 bps)". */
export function formatScore(scoreBps: number): string {
  return `${(scoreBps / 100).toFixed(2)}% (${scoreBps} bps)`;
}
