// Orders per second through the whole intake (OrderIntake.ingest: schema, EIP-712 signature,
// ownership, expiry, cancellation and consumed volume, escrow or stake, then the database), on
// the devnet with a real book table. Orders are signed beforehand: signing is the client's cost.
import { availableParallelism } from "node:os";
import { Secp256k1Pool } from "../../../src/crypto/threads/secp256k1Pool.ts";
import { ContinuumError } from "../../../src/core/ContinuumError.ts";
import { ContractOrderState, OrderBook, OrderIntake, type IngestOutcome } from "../../../src/market/book/index.ts";
import type { BenchDatabase } from "./benchDatabase.ts";
import { submissionsOf, type SignedSample } from "./ingestOrders.ts";
import type { MarketDevnet } from "./marketDevnet.ts";
import { median } from "../statistics.ts";

export type IngestResult = {
  /** Median over rounds of accepted orders per second. */
  ingestPerSec: number;
  rounds: number[];
  ordersPerRound: number;
  /** Open orders in the book table at the end (warm-up included), read back from the database. */
  storedOrders: number;
};

/** Thrown when the benchmark's own orders are refused: the figure would not measure the accepting path. */
export class IngestBenchError extends ContinuumError {
  constructor(refusal: { code: string; message: string }) {
    super("INGEST_BENCH_REFUSED", `the intake refused a benchmark order: ${refusal.code}: ${refusal.message}`, { refusal: refusal.code });
  }
}

function requireAllAccepted(outcomes: readonly IngestOutcome[]): number {
  const refused = outcomes.find((outcome) => !outcome.ok);
  if (refused && !refused.ok) throw new IngestBenchError(refused.error);
  return outcomes.length;
}

/** One intake and book over the devnet and the database, kept across rounds as in a running service. */
export class IngestMeter {
  readonly #book: OrderBook;
  readonly #intake: OrderIntake;
  readonly #recovery: Secp256k1Pool;

  constructor(devnet: MarketDevnet, database: BenchDatabase) {
    const chain = new ContractOrderState({ provider: devnet.fixture.ethers.provider, deployment: devnet.fixture.deployment });
    this.#book = new OrderBook({ db: database.dataSource, chain });
    // As the market service runs it: signers recovered on a worker thread beside the event loop.
    this.#recovery = new Secp256k1Pool({ threads: Math.max(1, availableParallelism() - 1) });
    this.#intake = new OrderIntake({ book: this.#book, chain, domain: devnet.domain, recovery: this.#recovery });
  }

  /** Ingests without timing: JIT, caches and the connection warm up as in a running service. */
  async warmUp(samples: readonly SignedSample[]): Promise<void> {
    if (samples.length > 0) requireAllAccepted(await this.#intake.ingest(submissionsOf(samples)));
  }

  /** Ingests the samples as one batch and returns accepted orders per second (the client-side JSON is built first, untimed). */
  async round(samples: readonly SignedSample[]): Promise<number> {
    if (samples.length === 0) throw new RangeError("an ingest round needs orders");
    const submissions = submissionsOf(samples);
    const started = performance.now();
    const accepted = requireAllAccepted(await this.#intake.ingest(submissions));
    return accepted / (Math.max(performance.now() - started, 1e-3) / 1_000);
  }

  close(): Promise<void> {
    return this.#recovery.close();
  }

  async storedOrders(): Promise<number> {
    const open = await this.#book.countOpen();
    return open.app + open.dataset + open.workerpool + open.request;
  }
}

/** Warm-up, then each round back to back. */
export async function measureIngest(
  devnet: MarketDevnet,
  database: BenchDatabase,
  warmup: readonly SignedSample[],
  rounds: readonly (readonly SignedSample[])[],
): Promise<IngestResult> {
  if (rounds.length === 0) throw new RangeError("measureIngest needs rounds");
  const meter = new IngestMeter(devnet, database);
  await meter.warmUp(warmup);
  const perSec: number[] = [];
  try {
    for (const round of rounds) perSec.push(await meter.round(round));
    return { ingestPerSec: median(perSec), rounds: perSec, ordersPerRound: rounds[0]!.length, storedOrders: await meter.storedOrders() };
  } finally {
    await meter.close();
  }
}
