// `continuum workerpool announce`: tells the market where the workerpool's scheduler is, so the
// market can read which runtimes (and declared native packages) its live workers offer and show
// them on GET /v1/workerpools/{id} and the explorer. The request is signed by the workerpool's
// owner (the account request signature, over the path with the URL in its query).
import type { Command } from "commander";
import type { MarketInfoJson } from "../../wire/marketApi/marketInfo.ts";
import { schedulerAnnouncementPath, type WorkerpoolSchedulerJson } from "../../wire/marketApi/workerpoolScheduler.ts";
import { loadAccountWallet } from "../accountKey.ts";
import { parseAssetId } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { marketClient } from "../orderLifecycle.ts";
import { fetchSchedulerInfo, schedulerBaseUrl } from "../schedulerInfo.ts";

type AnnounceOptions = { schedulerUrl: string; workerpool?: bigint };

export function registerWorkerpoolAnnounce(workerpool: Command, kit: CommandKit): void {
  withExamples(
    workerpool
      .command("announce")
      .description(
        "announce your workerpool's scheduler URL to the market (signed by the workerpool's owner); the market reads its " +
          "GET /v1/info at once and then periodically, and shows the runtimes and native packages its live workers offer " +
          "on GET /v1/workerpools/<id> and the explorer. Announcing again replaces the URL",
      )
      .requiredOption("--scheduler-url <url>", "the scheduler's URL as the market can reach it, e.g. http://pool.example:8070")
      .option("--workerpool <id>", "the workerpool (default: the one the scheduler serves, read from its /v1/info)", parseAssetId),
    "CONTINUUM_PASSWORD=… continuum workerpool announce --scheduler-url http://127.0.0.1:8070",
    "continuum --json workerpool announce --scheduler-url https://pool.example:8070 --workerpool 1",
  ).action(async (options: AnnounceOptions, command: Command) => announce(kit.contextOf(command), options));
}

async function announce(context: CliContext, options: AnnounceOptions): Promise<void> {
  const url = schedulerBaseUrl(options.schedulerUrl);
  const workerpool = options.workerpool ?? BigInt((await fetchSchedulerInfo(url)).workerpool);
  const wallet = await loadAccountWallet(context);
  const market = marketClient(context);
  const info = await market.get<MarketInfoJson>("/info");
  const { signAccountRequest } = await import("../../wire/marketApi/accountRequestSignature.ts");
  const path = schedulerAnnouncementPath(workerpool, url);
  const headers = await signAccountRequest(wallet, { chainId: info.chainId, continuum: info.contracts.continuum }, { method: "PUT", path, timestampMs: Date.now() });
  context.output.status(`announcing ${url} as workerpool ${workerpool}'s scheduler to ${market.baseUrl} ...`);
  const announced = await market.put<WorkerpoolSchedulerJson>(path.replace(/^\/v1/, ""), headers);
  context.output.result({ workerpool: workerpool.toString(), ...announced }, [
    ["workerpool", workerpool.toString()],
    ["scheduler", announced.url],
    ["status", announced.problem === null ? announced.status : `${announced.status} (${announced.problem})`],
    ["runtimes", describeRuntimes(announced)],
  ]);
}

/** "node; python (CPython 3.11.2; numpy==1.24.2)", or "unknown" when the market could not read them. */
export function describeRuntimes(scheduler: WorkerpoolSchedulerJson): string {
  if (scheduler.runtimes === null) return "unknown";
  if (scheduler.runtimes.length === 0) return "none (no live worker)";
  return scheduler.runtimes
    .map((offer) => {
      const detail = [offer.interpreter, offer.packages.map((pin) => `${pin.name}==${pin.version}`).join(", ")].filter((part) => part);
      return detail.length === 0 ? offer.runtime : `${offer.runtime} (${detail.join("; ")})`;
    })
    .join("; ");
}
