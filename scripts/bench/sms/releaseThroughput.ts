// How many full enclave sessions the SMS serves per second, each ending in released secrets:
// POST /v1/sessions over loopback HTTP against the Hardhat chain and the real database, the
// same path an enclave takes. Requests are prepared (challenge, quote, authorization) before
// each round so only the SMS's work is timed.
import { Wallet } from "ethers";
import { defaultOrders, matchDeal, requestOrder } from "../../../test/helpers/protocolFixture.ts";
import { sessionBody, type Harness, type SessionBody } from "../../../test/sms/smsHarness.ts";
import { median } from "../statistics.ts";

export type ReleaseThroughputOptions = {
  rounds: number;
  sessionsPerRound: number;
  /** Requests in flight at once, as several enclaves would send them. */
  concurrency: number;
};

export type ReleaseThroughput = {
  releasesPerSec: number;
  rounds: number[];
  sessions: number;
  concurrency: number;
  path: "HTTP POST /v1/sessions";
};

/** Tasks of the benchmark deal; sessions are spread over them. */
const DEAL_VOLUME = 10n;

/** Needs the harness's dataset 1 key pushed (seedSecrets). */
export async function measureReleaseThroughput(h: Harness, options: ReleaseThroughputOptions): Promise<ReleaseThroughput> {
  const { dealId } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { volume: DEAL_VOLUME }) }));
  // One unmeasured session warms the deal cache, the database and the JIT.
  await postAll(h, await prepare(h, dealId, 1), 1);
  const rounds: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const bodies = await prepare(h, dealId, options.sessionsPerRound);
    const started = process.hrtime.bigint();
    await postAll(h, bodies, options.concurrency);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rounds.push(bodies.length / seconds);
  }
  return {
    releasesPerSec: median(rounds),
    rounds,
    sessions: options.rounds * options.sessionsPerRound,
    concurrency: options.concurrency,
    path: "HTTP POST /v1/sessions",
  };
}

async function prepare(h: Harness, dealId: string, count: number): Promise<SessionBody[]> {
  const bodies: SessionBody[] = [];
  for (let i = 0; i < count; i++) {
    const { body } = await sessionBody(h, { dealId, taskIndex: BigInt(i) % DEAL_VOLUME, enclave: Wallet.createRandom() });
    bodies.push(body);
  }
  return bodies;
}

/** Posts every body, `concurrency` at a time; any answer other than released secrets fails the benchmark. */
async function postAll(h: Harness, bodies: SessionBody[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const result = await h.post("/v1/sessions", body);
      if (result.status !== 200 || !result.body?.secrets?.dataset) {
        throw new Error(`an honest session was not served: ${result.status} ${result.text.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
