// How many full enclave sessions the SMS serves per second, each ending in released secrets,
// against the Hardhat chain and the real database: either in process (the session service the
// HTTP route calls: body validation, every trust-model check, sealing, the audit commit) or as
// POST /v1/sessions over loopback HTTP, the path an enclave takes, with the client in the same
// process. Requests are prepared (challenge, quote, authorization) before each round so only
// the SMS's work is timed; rounds are run one at a time so the caller can interleave them with
// other measurements.
import { Wallet } from "ethers";
import { parseSessionRequest } from "../../../sms/index.ts";
import { toJson } from "../../../src/json/bigintJson.ts";
import { defaultOrders, matchDeal, requestOrder } from "../../../test/helpers/protocolFixture.ts";
import { sessionBody, type Harness, type SessionBody } from "../../../test/sms/smsHarness.ts";

export type ReleaseMeterOptions = {
  sessionsPerRound: number;
  /** Requests in flight at once, as several enclaves would send them. */
  concurrency: number;
  path: ReleasePath;
};

export type ReleasePath = "in-process session service" | "HTTP POST /v1/sessions";

/** Times one round of sessions; resolves with that round's releases per second. */
export type ReleaseMeter = () => Promise<number>;

/** Tasks of the benchmark deal; sessions are spread over them. */
const DEAL_VOLUME = 10n;

/** Needs the harness's dataset 1 key pushed (seedSecrets). Makes the deal and warms up before returning. */
export async function releaseMeter(h: Harness, options: ReleaseMeterOptions): Promise<ReleaseMeter> {
  const { dealId } = await matchDeal(h.f, await defaultOrders(h.f, { request: await requestOrder(h.f, { volume: DEAL_VOLUME }) }));
  // Unmeasured sessions warm the deal cache, the database and the JIT.
  await openAll(h, await prepare(h, dealId, 20), options.concurrency, options.path);
  return async () => {
    const bodies = await prepare(h, dealId, options.sessionsPerRound);
    const started = process.hrtime.bigint();
    await openAll(h, bodies, options.concurrency, options.path);
    return bodies.length / (Number(process.hrtime.bigint() - started) / 1e9);
  };
}

async function prepare(h: Harness, dealId: string, count: number): Promise<SessionBody[]> {
  const bodies: SessionBody[] = [];
  for (let i = 0; i < count; i++) {
    const { body } = await sessionBody(h, { dealId, taskIndex: BigInt(i) % DEAL_VOLUME, enclave: Wallet.createRandom() });
    // As the route receives it: parsed from JSON text (flat strings, numbers as decimal strings).
    bodies.push(JSON.parse(toJson(body)));
  }
  return bodies;
}

/** Opens a session for every body, `concurrency` at a time; any outcome other than released secrets fails the benchmark. */
async function openAll(h: Harness, bodies: SessionBody[], concurrency: number, path: ReleasePath): Promise<void> {
  let next = 0;
  const openOne = async (body: SessionBody): Promise<void> => {
    if (path === "in-process session service") {
      const outcome = await h.sms.sessions.open(parseSessionRequest(body));
      if (outcome.outcome !== "released" || !outcome.secrets.dataset) {
        throw new Error(`an honest session was not served: ${JSON.stringify(outcome).slice(0, 300)}`);
      }
      return;
    }
    const result = await h.post("/v1/sessions", body);
    if (result.status !== 200 || !result.body?.secrets?.dataset) {
      throw new Error(`an honest session was not served: ${result.status} ${result.text.slice(0, 300)}`);
    }
  };
  const worker = async () => {
    while (next < bodies.length) await openOne(bodies[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
