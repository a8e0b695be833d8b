// The live feed across reconnections: event ids name the feed's stream, a client coming back with
// Last-Event-ID is replayed what it missed (only its topics), an id the feed cannot replay gets
// feed.gap; and the shared client (followFeed) reconnects after a cut connection with its
// Last-Event-ID, so nothing published while it was away is lost. Real HTTP through a proxy.
import { expect } from "chai";
import { EventEmitter } from "node:events";
import type { HttpServer } from "../../../src/http/index.ts";
import type { OrderBookEvents } from "../../../src/market/book/OrderBook.ts";
import { createFeedRoutes, type FeedModule } from "../../../src/market/routes/feed.ts";
import { followFeed, readEventStream, type FeedEvent, type FeedNotice } from "../../../src/wire/marketApi/feedStream.ts";
import { startHttpProxy, type HttpProxy } from "../../helpers/httpProxy.ts";
import { until } from "../../helpers/until.ts";
import { serveMarketApp } from "./marketFixture.ts";

describe("the live feed's Last-Event-ID", function () {
  this.timeout(30_000);
  let feed: FeedModule;
  let server: HttpServer;
  let proxy: HttpProxy;

  before(async () => {
    feed = createFeedRoutes({ book: new EventEmitter<OrderBookEvents>(), heartbeatMs: 60_000, replayEvents: 3 });
    ({ server } = await serveMarketApp({ modules: [feed] }));
    proxy = await startHttpProxy(server.url);
  });

  after(async () => {
    feed?.close();
    await proxy?.close();
    await server?.close();
  });

  /** Opens the feed, reads `count` events, and closes it. */
  async function read(query: string, count: number, headers: Record<string, string> = {}): Promise<FeedEvent[]> {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/feed${query}`, { headers, signal: controller.signal });
    expect(response.status).to.equal(200);
    const events: FeedEvent[] = [];
    try {
      for await (const event of readEventStream(response.body!)) {
        events.push(event);
        if (events.length === count) break;
      }
    } finally {
      controller.abort();
    }
    return events;
  }

  it("replays the followed events after the client's last id, and announces a gap it cannot replay", async () => {
    feed.publish("task.completed", { n: 1 });
    const [first] = await read("?topics=task", 1, { "last-event-id": "unknown:0" });
    expect(first!.event, "an id of another stream is a gap").to.equal("feed.gap");
    expect(JSON.parse(first!.data)).to.deep.equal({ lastEventId: "unknown:0" });
    const stream = first!.id!.split(":")[0]!;

    feed.publish("task.failed", { n: 2 });
    feed.publish("deal.created", { n: 3 });
    feed.publish("task.claimed", { n: 4 });
    const lastSeen = `${stream}:${Number(first!.id!.split(":")[1])}`;
    const replayed = await read("?topics=task", 2, { "last-event-id": lastSeen });
    expect(replayed.map((event) => [event.event, JSON.parse(event.data).n])).to.deep.equal([
      ["task.failed", 2],
      ["task.claimed", 4],
    ]);
    expect(replayed[1]!.id).to.equal(`${stream}:${Number(lastSeen.split(":")[1]) + 3}`);

    // The query parameter works too; an id older than the 3 events kept is a gap.
    const [gap] = await read(`?topics=task&lastEventId=${stream}:0`, 1);
    expect(gap!.event).to.equal("feed.gap");
  });

  it("reconnects after a cut connection with its Last-Event-ID and loses nothing published meanwhile", async () => {
    const events: FeedEvent[] = [];
    const notices: FeedNotice[] = [];
    const stop = new AbortController();
    const following = followFeed({
      marketUrl: proxy.url,
      topics: ["task"],
      onEvent: (event) => events.push(event),
      onNotice: (notice) => notices.push(notice),
      signal: stop.signal,
      retry: { baseDelayMs: 200 },
    });
    try {
      await until("the feed opened", async () => notices.some((notice) => notice.kind === "open"));
      feed.publish("task.completed", { n: "before" });
      await until("the first event", async () => events.length === 1);
      proxy.cut();
      await until("the cut seen", async () => notices.some((notice) => notice.kind === "down"));
      feed.publish("task.failed", { n: "while away" });
      await until("the replayed event", async () => events.length === 2, 10_000);
      expect(events.map((event) => JSON.parse(event.data).n)).to.deep.equal(["before", "while away"]);
      expect(notices.filter((notice) => notice.kind === "open").map((notice) => (notice as { resumed: boolean }).resumed)).to.deep.equal([false, true]);
      expect(proxy.count("/v1/feed")).to.equal(2);
    } finally {
      stop.abort();
      await following;
    }
  });

  it("gives the feed up after repeated failures", async () => {
    proxy.refuse(/^\/v1\/feed$/, { status: 503, headers: { "retry-after": "0" } });
    try {
      const notices: FeedNotice[] = [];
      await followFeed({ marketUrl: proxy.url, topics: [], onEvent: () => undefined, onNotice: (notice) => notices.push(notice), signal: new AbortController().signal, maxFailures: 3 });
      expect(notices.map((notice) => notice.kind)).to.deep.equal(["down", "down", "abandoned"]);
      expect(notices.at(-1)).to.deep.include({ failures: 3, reason: "the feed answered HTTP 503" });
    } finally {
      proxy.refuse(undefined);
    }
  });
});
