// Follows one request as its beneficiary would: the market's live feed says when something about
// the request happened and GET /v1/requests/{hash} is read then (polled while the feed is down;
// signed by the requester's account when given, honouring 429 and Retry-After), and as each task
// completes fetches its encrypted result through the IPFS gateway, checks it against the digest
// accepted on-chain, decrypts it and reads ward-stats.json, noting when that succeeded.
import { createHash } from "node:crypto";
import { readArchive } from "../../../src/apps/index.ts";
import { fetchFromGateway } from "../../../src/cli/contentAccess.ts";
import { decryptResult } from "../../../src/crypto/index.ts";
import { ContinuumError } from "../../../src/core/ContinuumError.ts";
import { fetchWithRetry } from "../../../src/core/fetchWithRetry.ts";
import type { RequestStatusJson } from "../../../src/wire/marketApi/requestStatus.ts";
import { followRequestStatus, type FollowMode } from "../../../src/wire/marketApi/requestFollower.ts";
import { signAccountRequest, type MarketIdentity } from "../../../src/wire/marketApi/accountRequestSignature.ts";
import type { Signer } from "ethers";
import type { TaskOutcome } from "./e2eSummary.ts";

const MAX_RESULT_BYTES = 16 * 1024 * 1024;

export class E2eBenchError extends ContinuumError {}

export type FollowOptions = {
  marketUrl: string;
  gatewayUrl: string;
  requestHash: string;
  /** Tasks the request asked for. */
  volume: number;
  /** The beneficiary's result private key. */
  resultPrivateKey: Uint8Array;
  submittedAt: number;
  /** Give up on unfinished tasks at this time (ms since the epoch). */
  giveUpAt: number;
  /** Between polls while the feed is down (default 250 ms). */
  pollMs?: number;
  /** false: poll only, as the benchmark did before the feed. */
  useFeed?: boolean;
  /** The requester's key and the market it signs for: its polls then count against the account's allowance, not the IP's. */
  account?: { signer: Signer; market: MarketIdentity };
};

/** How a request was followed: its outcomes, and the status reads it cost. */
export type FollowedRequest = { outcomes: TaskOutcome[]; reads: number; polls: number; mode: FollowMode };

export async function followRequest(options: FollowOptions): Promise<FollowedRequest> {
  const outcomes = new Map<string, TaskOutcome>();
  const key = (dealId: string, index: string) => `${dealId}#${index}`;
  const followed = await followRequestStatus<RequestStatusJson | undefined>({
    marketUrl: options.marketUrl,
    requestHash: options.requestHash,
    readStatus: () => readStatus(options.marketUrl, options.requestHash, options.account),
    dealsOf: (status) => status?.deals.map((deal) => deal.dealId) ?? [],
    onStatus: async (status) => {
      for (const deal of status?.deals ?? []) {
        for (const task of deal.tasks) {
          if (outcomes.has(key(deal.dealId, task.index))) continue;
          const base = { requestHash: options.requestHash, dealId: deal.dealId, index: Number(task.index), submittedAt: options.submittedAt };
          if (task.status === "claimed") outcomes.set(key(deal.dealId, task.index), { ...base, status: "claimed", decryptedAt: null });
          if (task.status === "failed") outcomes.set(key(deal.dealId, task.index), { ...base, status: "failed", decryptedAt: null });
          if (task.status === "completed" && task.resultCid) {
            await decryptWardStats(options, task.resultCid, task.resultDigest);
            outcomes.set(key(deal.dealId, task.index), { ...base, status: "decrypted", decryptedAt: Date.now() });
          }
        }
      }
      return outcomes.size >= options.volume;
    },
    deadline: options.giveUpAt,
    pollIntervalMs: options.pollMs ?? 250,
    useFeed: options.useFeed,
  });
  const finished = [...outcomes.values()];
  for (let missing = finished.length; missing < options.volume; missing += 1) {
    finished.push({ requestHash: options.requestHash, dealId: null, index: missing, status: "timeout", submittedAt: options.submittedAt, decryptedAt: null });
  }
  return { outcomes: finished, reads: followed.reads, polls: followed.polls, mode: followed.mode };
}

async function readStatus(marketUrl: string, hash: string, account: FollowOptions["account"]): Promise<RequestStatusJson | undefined> {
  const path = `/v1/requests/${hash}`;
  // A busy market (429) is asked again after its Retry-After, as any client of it should; each attempt signed afresh.
  const response = await fetchWithRetry(`${marketUrl}${path}`, async () => ({
    headers: account ? await signAccountRequest(account.signer, account.market, { method: "GET", path, timestampMs: Date.now() }) : {},
  }));
  // 404 until the book or the ledger holds it; anything else is the market failing the run.
  if (response.status === 404) return undefined;
  if (!response.ok) throw new E2eBenchError("MARKET_FAILED", `GET /v1/requests/${hash} answered ${response.status}`, { hash });
  return (await response.json()) as RequestStatusJson;
}

async function decryptWardStats(options: FollowOptions, cid: string, digest: string | null): Promise<void> {
  const envelope = await fetchFromGateway(options.gatewayUrl, cid, MAX_RESULT_BYTES);
  const actual = `0x${createHash("sha256").update(envelope).digest("hex")}`;
  if (digest !== null && actual !== digest.toLowerCase()) {
    throw new E2eBenchError("RESULT_DIGEST_MISMATCH", `result ${cid} does not match its on-chain digest`, { cid, digest, actual });
  }
  const file = readArchive(decryptResult(envelope, options.resultPrivateKey)).find((entry) => entry.path === "ward-stats.json");
  if (!file) throw new E2eBenchError("RESULT_INCOMPLETE", `result ${cid} holds no ward-stats.json`, { cid });
  const stats = JSON.parse(Buffer.from(file.content).toString("utf8")) as { wards?: unknown[] };
  if (!Array.isArray(stats.wards) || stats.wards.length === 0) {
    throw new E2eBenchError("RESULT_INCOMPLETE", `result ${cid} has no per-ward statistics`, { cid });
  }
}
