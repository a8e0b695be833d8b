// Time to find one request's match in a large open book (MatchingBook.findMatch), over many
// different requests: the latency the matcher adds before sending a deal.
import { MatchingBook } from "../../../src/matcher/index.ts";
import { BOOK_NOW, BookMix, type BookShape } from "./bookMix.ts";
import { SeededRandom } from "./seededRandom.ts";
import { median, percentile } from "../statistics.ts";

export type MatchLatencyOptions = { openOrders: number; lookups: number; seed: number; shape?: BookShape };

export type MatchLatencyResult = {
  /** Orders in the book while the lookups ran. */
  openOrders: number;
  matchP50Ms: number;
  matchP99Ms: number;
  matchMaxMs: number;
  lookups: number;
  /** Share of the lookups that found a match. */
  matchedShare: number;
  /** Time to add every order to the book. */
  buildMs: number;
};

export function measureMatchLatency(options: MatchLatencyOptions): MatchLatencyResult {
  if (options.openOrders < 1 || options.lookups < 1) throw new RangeError("measureMatchLatency needs orders and lookups");
  const mix = new BookMix(new SeededRandom(options.seed), options.shape);
  const book = new MatchingBook();
  const started = performance.now();
  for (let i = 0; i < options.openOrders; i++) book.add(mix.order());
  const buildMs = performance.now() - started;
  const context = { now: BOOK_NOW, trustOf: mix.trustOf };
  const requests = Array.from({ length: options.lookups }, () => mix.request());
  // One untimed pass lets the JIT settle, as it has in a matcher that has been running.
  for (const request of requests.slice(0, 200)) book.findMatch(request, context);
  const latencies: number[] = [];
  let matched = 0;
  for (const request of requests) {
    const lookupStarted = performance.now();
    const match = book.findMatch(request, context);
    latencies.push(performance.now() - lookupStarted);
    if (match) matched += 1;
  }
  return {
    openOrders: book.size,
    matchP50Ms: median(latencies),
    matchP99Ms: percentile(latencies, 99),
    matchMaxMs: Math.max(...latencies),
    lookups: latencies.length,
    matchedShare: matched / latencies.length,
    buildMs,
  };
}
