// `continuum reputation ID`: a workerpool's completed and failed task counts and its score, read
// from the protocol contract.
import type { Command } from "commander";
import { parseAssetId } from "../arguments.ts";
import { withChain } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import { formatScore, readReputation, requireWorkerpool } from "./workerpool.ts";

export function registerReputationCommand(program: Command, kit: CommandKit): void {
  withExamples(
    program
      .command("reputation")
      .description("show a workerpool's completed and failed tasks and its score (smoothed success rate)")
      .argument("<workerpool-id>", "workerpool id", parseAssetId),
    "continuum reputation 1",
    "continuum --json reputation 1",
  ).action(async (id: bigint, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: false }, async (chain) => {
      await requireWorkerpool(chain, id);
      const reputation = await readReputation(chain, id);
      context.output.result({ workerpool: id.toString(), ...reputation, score: reputation.scoreBps / 10_000 }, [
        ["workerpool", id.toString()],
        ["completed tasks", String(reputation.completed)],
        ["failed tasks", String(reputation.failed)],
        ["score", formatScore(reputation.scoreBps)],
      ]);
    });
  });
}
