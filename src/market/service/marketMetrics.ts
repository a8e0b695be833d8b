// The market's Prometheus metrics: orders accepted (by kind) and refused (by code), the open book's
// size, matches sent and those that made no deal (by reason), how long a match takes to send and
// settle, how many confirmed blocks the indexer has yet to read, and whether this replica leads.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { MatchSender, SendOutcome } from "../../chain/matchSender.ts";
import { createServiceRegistry, secondsSince } from "../../http/metrics.ts";
import type { ChainIndexer } from "../../indexer/ChainIndexer.ts";
import type { MatchingBook } from "../../matcher/MatchingBook.ts";
import type { IngestOutcome } from "../book/OrderIntake.ts";

/** Seconds; a match is a gas estimate, a transaction and its receipt. */
const MATCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

export type MarketMetrics = {
  readonly registry: Registry;
  /** For OrderIntake's onIngested. */
  countOrders(outcomes: readonly IngestOutcome[]): void;
  /** The sender the matcher uses, timed and counted. */
  observeSender(sender: Pick<MatchSender, "send">): Pick<MatchSender, "send">;
};

export type MarketMetricParts = {
  book: Pick<MatchingBook, "size">;
  indexer: Pick<ChainIndexer, "lag">;
  /** This replica's role: the one leader indexes and matches. */
  role(): "leader" | "follower";
};

export function createMarketMetrics(parts: MarketMetricParts): MarketMetrics {
  const registry = createServiceRegistry("market");
  const registers = [registry];
  const accepted = new Counter({ name: "continuum_market_orders_accepted_total", help: "Orders accepted into the book, by kind.", labelNames: ["kind"], registers });
  const refused = new Counter({ name: "continuum_market_orders_refused_total", help: "Orders refused at intake, by error code.", labelNames: ["code"], registers });
  new Gauge({
    name: "continuum_market_book_orders",
    help: "Open orders in the matcher's book.",
    registers,
    collect() {
      this.set(parts.book.size);
    },
  });
  new Gauge({
    name: "continuum_market_leader",
    help: "1 while this replica holds the leader lease (it indexes the chain and matches), 0 while it follows.",
    registers,
    collect() {
      this.set(parts.role() === "leader" ? 1 : 0);
    },
  });
  const sent = new Counter({ name: "continuum_market_matches_sent_total", help: "Matches the matcher sent (each a matchOrders attempt).", registers });
  const failed = new Counter({
    name: "continuum_market_matches_failed_total",
    help: "Matches sent that made no deal, by reason: the contract's error name, DUPLICATE or SEND_FAILED.",
    labelNames: ["reason"],
    registers,
  });
  const latency = new Histogram({
    name: "continuum_market_match_duration_seconds",
    help: "Time from sending a match to its outcome (deal, refusal or failure).",
    labelNames: ["outcome"],
    buckets: MATCH_BUCKETS,
    registers,
  });
  new Gauge({
    name: "continuum_market_indexer_lag_blocks",
    help: "Confirmed blocks the market's indexer has not read yet.",
    registers,
    async collect() {
      // An unreachable chain leaves the last value; /readyz says why.
      const lag = await parts.indexer.lag().catch(() => undefined);
      if (lag) this.set(lag.blocks);
    },
  });

  return {
    registry,
    countOrders(outcomes) {
      for (const outcome of outcomes) {
        if (outcome.ok) accepted.inc({ kind: outcome.order.kind });
        else refused.inc({ code: outcome.error.code });
      }
    },
    observeSender(sender) {
      return {
        async send(input) {
          const startedAt = performance.now();
          const outcome = await sender.send(input);
          sent.inc();
          latency.observe({ outcome: outcome.status }, secondsSince(startedAt));
          const reason = failureReason(outcome);
          if (reason !== undefined) failed.inc({ reason });
          return outcome;
        },
      };
    },
  };
}

function failureReason(outcome: SendOutcome): string | undefined {
  switch (outcome.status) {
    case "matched":
      return undefined;
    case "refused":
      return outcome.code;
    case "duplicate":
      return "DUPLICATE";
    case "failed":
      return "SEND_FAILED";
  }
}
