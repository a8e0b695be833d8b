// Which orders the market re-reads after a range of chain events, and what reaches the feed.
import { expect } from "chai";
import type { AppliedEvent } from "../../../../src/indexer/ChainIndexer.ts";
import { silentLogger } from "../../../../src/core/logger.ts";
import { feedMessageOf, followChain, ordersTouchedBy } from "../../../../src/market/service/chainFollower.ts";

const ZERO = `0x${"0".repeat(64)}`;
const hash = (byte: string) => `0x${byte.repeat(64)}`;

function event(name: string, args: Record<string, unknown>, logIndex = 0): AppliedEvent {
  return { name, contract: "continuum", blockNumber: 7, transactionHash: hash("f"), logIndex, args: args as AppliedEvent["args"] };
}

const deal = event("DealCreated", {
  dealId: hash("d"),
  appOrderHash: hash("A"),
  datasetOrderHash: ZERO,
  workerpoolOrderHash: hash("c"),
  deal: { requestHash: hash("e") },
});

describe("chain follower", () => {
  it("re-reads the four orders of a deal, except a missing dataset order, in lowercase", () => {
    expect(ordersTouchedBy([deal]).sort()).to.deep.equal([hash("a"), hash("c"), hash("e")].sort());
  });

  it("re-reads orders cancelled on-chain and ignores events that consume nothing", () => {
    const cancelled = event("OrderCancelled", { kind: "0", orderHash: hash("b"), signer: "0x1" });
    const deposit = event("Deposited", { from: "0x1", account: "0x1", amount: "5" });
    expect(ordersTouchedBy([cancelled, deposit])).to.deep.equal([hash("b")]);
  });

  it("forwards deals, results, claims and cancellations to the feed with their proof", () => {
    expect(feedMessageOf(deal)).to.deep.include({ topic: "deal.created" });
    expect((feedMessageOf(deal)!.data as Record<string, unknown>).transactionHash).to.equal(hash("f"));
    expect(feedMessageOf(event("ResultPushed", {}))?.topic).to.equal("task.completed");
    expect(feedMessageOf(event("TaskClaimed", {}))?.topic).to.equal("task.claimed");
    expect(feedMessageOf(event("Deposited", {}))).to.equal(undefined);
  });

  it("forwards a failed task as task.failed with its reason code and attempt, and a claim with DEADLINE_PASSED", () => {
    const failed = feedMessageOf(event("TaskFailed", { dealId: hash("d"), index: "2", taskId: hash("b"), cause: "2", attempt: "3" }));
    expect(failed?.topic).to.equal("task.failed");
    expect(failed?.data).to.deep.include({ index: "2", cause: "2", failure: { code: "DATASET_OWNER_CAUSED", attempts: 3 }, blockNumber: 7 });
    const claimed = feedMessageOf(event("TaskClaimed", { dealId: hash("d"), index: "0", taskId: hash("b") }));
    expect(claimed?.data).to.deep.include({ failure: { code: "DEADLINE_PASSED", attempts: null } });
  });

  it("refreshes the touched orders once per range, then publishes in event order", async () => {
    const refreshed: string[][] = [];
    const published: string[] = [];
    const apply = followChain({
      book: { refreshOrders: async (hashes) => (refreshed.push([...hashes]), { updated: [], removed: [], failed: [] }) },
      publish: (topic) => published.push(topic),
      logger: silentLogger(),
    });
    await apply([deal, event("ResultPushed", {}, 1), event("Deposited", {}, 2)]);
    expect(refreshed).to.have.length(1);
    expect(refreshed[0]).to.have.length(3);
    expect(published).to.deep.equal(["deal.created", "task.completed"]);
    await apply([event("Deposited", {})]);
    expect(refreshed).to.have.length(1);
  });
});
