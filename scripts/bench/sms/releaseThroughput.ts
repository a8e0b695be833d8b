// How many full enclave sessions the SMS serves per second, each ending in released secrets,
// against the Hardhat chain and the real database: either in process (the session service the
// HTTP route calls: body validation, every trust-model check, sealing, the audit commit) or as
// POST /v1/sessions over loopback HTTP, the path an enclave takes, with a light keep-alive client
// in the same process. Requests are prepared (challenge, quote, authorization, JSON text) before
// each round so only the SMS's work is timed; rounds are run one at a time so the caller can
// interleave them with other measurements.
import { Wallet } from "ethers";
import { parseSessionRequest } from "../../../sms/index.ts";
import { toJson } from "../../../src/core/bigintJson.ts";
import { appOrder, datasetOrder, defaultOrders, matchDeal, requestOrder, workerpoolOrder } from "../../../test/helpers/protocolFixture.ts";
import { dealBlockOf, sessionBody, type Harness, type SessionBody } from "../../../test/integration/sms/smsHarness.ts";
import { keepAliveClient, type KeepAliveClient } from "./keepAliveClient.ts";

export type ReleaseMeterOptions = {
  sessionsPerRound: number;
  /** Requests in flight at once, as several enclaves would send them. */
  concurrency: number;
  path: ReleasePath;
};

export type ReleasePath = "in-process session service" | "HTTP POST /v1/sessions";

/** One round: releases per second, and each session's latency in milliseconds. */
export type ReleaseRound = { perSec: number; latenciesMs: number[] };

export type ReleaseMeter = {
  /** Times one round of sessions. */
  round(): Promise<ReleaseRound>;
  /** Lets go of the HTTP client's connections. */
  close(): void;
};

/**
 * Tasks of the benchmark deal: every session opens a task of its own (its first attempt), as the
 * SMS serves one enclave per attempt of a task.
 */
const DEAL_VOLUME = 100_000n;

/** Needs the harness's dataset 1 key pushed (seedSecrets). Makes the deal and warms up before returning. */
export async function releaseMeter(h: Harness, options: ReleaseMeterOptions): Promise<ReleaseMeter> {
  const volume = { volume: DEAL_VOLUME };
  const orders = await defaultOrders(h.f, {
    app: await appOrder(h.f, volume),
    dataset: await datasetOrder(h.f, volume),
    workerpool: await workerpoolOrder(h.f, volume),
    request: await requestOrder(h.f, volume),
  });
  const { dealId } = await matchDeal(h.f, orders);
  const tasks = { next: 0n };
  const client = options.path === "HTTP POST /v1/sessions" ? keepAliveClient(h.url, options.concurrency) : undefined;
  const open = client ? openOverHttp(client) : openInProcess(h);
  // Unmeasured sessions warm the deal cache, the database, the connections and the JIT.
  await openAll(await prepare(h, dealId, tasks, 20), options.concurrency, open);
  return {
    round: async () => {
      const requests = await prepare(h, dealId, tasks, options.sessionsPerRound);
      const started = process.hrtime.bigint();
      const latenciesMs = await openAll(requests, options.concurrency, open);
      return { perSec: requests.length / (Number(process.hrtime.bigint() - started) / 1e9), latenciesMs };
    },
    close: () => client?.close(),
  };
}

/** A session request as the route receives it: the JSON text, and the body parsed from it (flat strings, numbers as decimal strings). */
type PreparedRequest = { json: string; body: SessionBody };

async function prepare(h: Harness, dealId: string, tasks: { next: bigint }, count: number): Promise<PreparedRequest[]> {
  const requests: PreparedRequest[] = [];
  const dealBlock = await dealBlockOf(h, dealId);
  for (let i = 0; i < count; i++) {
    if (tasks.next >= DEAL_VOLUME) throw new Error(`the benchmark deal has only ${DEAL_VOLUME} tasks`);
    const taskIndex = tasks.next++;
    const { body } = await sessionBody(h, { dealId, taskIndex, dealBlock, enclave: Wallet.createRandom() });
    const json = toJson(body);
    requests.push({ json, body: JSON.parse(json) });
  }
  return requests;
}

type OpenSession = (request: PreparedRequest) => Promise<void>;

function openInProcess(h: Harness): OpenSession {
  return async ({ body }) => {
    const outcome = await h.sms.sessions.open(parseSessionRequest(body));
    if (outcome.outcome !== "released" || !outcome.secrets.dataset) {
      throw new Error(`an honest session was not served: ${JSON.stringify(outcome).slice(0, 300)}`);
    }
  };
}

function openOverHttp(client: KeepAliveClient): OpenSession {
  return async ({ json }) => {
    const result = await client.post("/v1/sessions", json);
    const secrets = (result.body as { secrets?: { dataset?: unknown } } | undefined)?.secrets;
    if (result.status !== 200 || !secrets?.dataset) {
      throw new Error(`an honest session was not served: ${result.status} ${result.text.slice(0, 300)}`);
    }
  };
}

/**
 * Opens a session for every request, `concurrency` at a time, and answers each one's latency in
 * milliseconds; any outcome other than released secrets fails the benchmark.
 */
async function openAll(requests: PreparedRequest[], concurrency: number, open: OpenSession): Promise<number[]> {
  let next = 0;
  const latencies: number[] = [];
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      const started = process.hrtime.bigint();
      await open(request);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return latencies;
}
