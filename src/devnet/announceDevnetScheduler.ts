// The devnet's workerpool owner announces its scheduler to the devnet's market, as an owner does
// with `continuum workerpool announce`, so the explorer shows the runtimes its workers offer.
import type { Signer } from "ethers";
import { signAccountRequest, type MarketIdentity } from "../wire/marketApi/accountRequestSignature.ts";
import { schedulerAnnouncementPath, type WorkerpoolSchedulerJson } from "../wire/marketApi/workerpoolScheduler.ts";
import { ContinuumError } from "../core/ContinuumError.ts";

export async function announceDevnetScheduler(options: {
  marketUrl: string;
  market: MarketIdentity;
  owner: Signer;
  workerpool: bigint;
  schedulerUrl: string;
}): Promise<WorkerpoolSchedulerJson> {
  const path = schedulerAnnouncementPath(options.workerpool, options.schedulerUrl);
  const headers = await signAccountRequest(options.owner, options.market, { method: "PUT", path, timestampMs: Date.now() });
  const response = await fetch(`${options.marketUrl}${path}`, { method: "PUT", headers, signal: AbortSignal.timeout(30_000) });
  const body = (await response.json().catch(() => undefined)) as WorkerpoolSchedulerJson | { error?: { message?: string } } | undefined;
  if (!response.ok || body === undefined || !("url" in body)) {
    const reason = body && "error" in body ? body.error?.message : undefined;
    throw new ContinuumError("SCHEDULER_ANNOUNCE_FAILED", `the market refused the devnet scheduler's announcement (HTTP ${response.status}): ${reason ?? "no reason given"}`, {
      status: response.status,
    });
  }
  return body;
}
