// The pieces of following a request on the live feed that need no server: parsing an event
// stream split anywhere, and telling which events concern the followed request.
import { expect } from "chai";
import { readEventStream, type FeedEvent } from "../../../src/wire/marketApi/feedStream.ts";
import { concerns } from "../../../src/wire/marketApi/requestFollower.ts";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function parse(chunks: string[]): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  for await (const event of readEventStream(streamOf(chunks))) events.push(event);
  return events;
}

describe("the live feed's client", () => {
  it("parses events split across chunks, skipping comments and retry lines, keeping the last id", async () => {
    const text = "retry: 3000\n: connected\n\nid: s:1\nevent: task.completed\ndata: {\"a\":1}\n\n: heartbeat\n\nevent: x\r\ndata: one\r\ndata: two\r\n\r\n";
    for (const size of [1, 3, 7, text.length]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size));
      expect(await parse(chunks), `chunks of ${size}`).to.deep.equal([
        { id: "s:1", event: "task.completed", data: '{"a":1}' },
        { id: "s:1", event: "x", data: "one\ntwo" },
      ]);
    }
  });

  it("drops an event the stream cut before its blank line", async () => {
    expect(await parse(["event: a\ndata: 1\n\nevent: b\ndata: 2\n"])).to.deep.equal([{ id: undefined, event: "a", data: "1" }]);
  });

  it("knows which events concern the request: its deals (learnt from deal.created), their tasks, its order, gaps", () => {
    const hash = `0x${"ab".repeat(32)}`;
    const deal = `0x${"cd".repeat(32)}`;
    const deals = new Set<string>();
    const event = (name: string, data: unknown): FeedEvent => ({ id: undefined, event: name, data: JSON.stringify(data) });
    expect(concerns(event("task.completed", { dealId: deal }), hash, deals), "a task of a deal not known yet").to.equal(false);
    expect(concerns(event("deal.created", { dealId: `0x${"ef".repeat(32)}`, deal: { requestHash: `0x${"01".repeat(32)}` } }), hash, deals)).to.equal(false);
    expect(concerns(event("deal.created", { dealId: deal.toUpperCase().replace("0X", "0x"), deal: { requestHash: hash.toUpperCase().replace("0X", "0x") } }), hash, deals)).to.equal(true);
    expect([...deals]).to.deep.equal([deal]);
    expect(concerns(event("task.failed", { dealId: deal }), hash, deals)).to.equal(true);
    expect(concerns(event("task.failed", { dealId: `0x${"ef".repeat(32)}` }), hash, deals)).to.equal(false);
    expect(concerns(event("order.updated", { hash, remaining: "0" }), hash, deals)).to.equal(true);
    expect(concerns(event("order.removed", { hash: deal, reason: "filled" }), hash, deals)).to.equal(false);
    expect(concerns(event("order.cancelled", { orderHash: hash }), hash, deals)).to.equal(true);
    expect(concerns(event("feed.gap", { lastEventId: "x:1" }), hash, deals)).to.equal(true);
    expect(concerns({ id: undefined, event: "task.completed", data: "not json" }, hash, deals)).to.equal(false);
  });
});
