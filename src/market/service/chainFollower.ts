// What the market does with each range of indexed chain events: orders that deals consumed or
// that were cancelled on-chain are re-read into the book (so they leave it at zero), and deal
// and task events are forwarded to the live feed.
import type { AppliedEvent } from "../../indexer/ChainIndexer.ts";
import type { Logger } from "../../core/logger.ts";
import type { OrderBook } from "../book/OrderBook.ts";
import { failureCodeOfCause, type TaskFailure } from "../../wire/marketApi/taskFailure.ts";

const ZERO_HASH = `0x${"0".repeat(64)}`;

/** The order hashes whose consumed volume these events may have changed. */
export function ordersTouchedBy(events: readonly AppliedEvent[]): string[] {
  const hashes = new Set<string>();
  for (const event of events) {
    const args = event.args as Record<string, unknown>;
    if (event.name === "OrderCancelled") hashes.add(String(args.orderHash));
    if (event.name === "DealCreated") {
      const deal = args.deal as Record<string, unknown> | undefined;
      for (const hash of [args.appOrderHash, args.datasetOrderHash, args.workerpoolOrderHash, deal?.requestHash]) {
        if (typeof hash === "string") hashes.add(hash);
      }
    }
  }
  hashes.delete(ZERO_HASH);
  return [...hashes].map((hash) => hash.toLowerCase());
}

const FEED_TOPIC: Readonly<Record<string, string>> = {
  DealCreated: "deal.created",
  ResultPushed: "task.completed",
  TaskFailed: "task.failed",
  TaskClaimed: "task.claimed",
  OrderCancelled: "order.cancelled",
  ReputationChanged: "reputation.changed",
};

/**
 * Feed topic and payload of an event, or undefined when the feed does not carry it. A failed or
 * claimed task also carries its `failure` as GET /v1/requests/{hash} shows it.
 */
export function feedMessageOf(event: AppliedEvent): { topic: string; data: unknown } | undefined {
  const topic = FEED_TOPIC[event.name];
  if (topic === undefined) return undefined;
  const failure = failureOf(event);
  return {
    topic,
    data: {
      ...event.args,
      ...(failure ? { failure } : {}),
      blockNumber: event.blockNumber,
      transactionHash: event.transactionHash,
      logIndex: event.logIndex,
    },
  };
}

function failureOf(event: AppliedEvent): TaskFailure | undefined {
  if (event.name === "TaskClaimed") return { code: "DEADLINE_PASSED", attempts: null };
  if (event.name !== "TaskFailed") return undefined;
  const args = event.args as { cause: string; attempt: string };
  return { code: failureCodeOfCause(Number(args.cause)), attempts: Number(args.attempt) };
}

export type ChainFollowerOptions = {
  book: Pick<OrderBook, "refreshOrders">;
  publish(topic: string, data: unknown): void;
  logger: Logger;
};

/** The listener for the indexer's "applied" event. Refresh failures are logged: the next range or the matcher's own re-read fixes them. */
export function followChain(options: ChainFollowerOptions): (events: AppliedEvent[]) => Promise<void> {
  return async (events) => {
    const touched = ordersTouchedBy(events);
    if (touched.length > 0) {
      const summary = await options.book.refreshOrders(touched);
      if (summary.failed.length > 0) options.logger.warn({ failed: summary.failed }, "some orders could not be refreshed from the chain");
    }
    for (const event of events) {
      const message = feedMessageOf(event);
      if (message) options.publish(message.topic, message.data);
    }
  };
}
