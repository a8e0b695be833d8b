import { expect } from "chai";
import { MAX_NOTIFY_PAYLOAD_BYTES } from "../../../../src/persistence/notificationListener.ts";
import { appendChange, decodeNotice, encodeNotices, type BookChange } from "../../../../src/market/replicas/bookNotices.ts";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

describe("book notices between market replicas", () => {
  it("round-trips every kind of change, in order", () => {
    const changes: BookChange[] = [
      { kind: "added", hashes: [hash(1), hash(2)] },
      { kind: "updated", orders: [{ hash: hash(1), remaining: 123_456_789_012_345_678_901n }] },
      { kind: "removed", orders: [{ hash: hash(2), reason: "consumed" }] },
      { kind: "feed", topic: "deal.created", data: { dealId: hash(9), volume: "3" } },
    ];
    const { payloads, tooBig } = encodeNotices("host:1:abc", changes);
    expect(tooBig).to.deep.equal([]);
    expect(payloads).to.have.length(1);
    expect(decodeNotice(payloads[0]!)).to.deep.equal({ origin: "host:1:abc", changes });
  });

  it("splits a large batch across payloads under PostgreSQL's limit, losing nothing", () => {
    const hashes = Array.from({ length: 1_000 }, (_, i) => hash(i));
    const { payloads } = encodeNotices("r", [{ kind: "added", hashes }, { kind: "removed", orders: hashes.map((h) => ({ hash: h, reason: "expired" as const })) }]);
    expect(payloads.length).to.be.greaterThan(2);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).to.be.at.most(MAX_NOTIFY_PAYLOAD_BYTES);
    const decoded = payloads.flatMap((payload) => decodeNotice(payload)!.changes);
    const added = decoded.flatMap((change) => (change.kind === "added" ? change.hashes : []));
    const removed = decoded.flatMap((change) => (change.kind === "removed" ? change.orders.map((order) => order.hash) : []));
    expect(added).to.deep.equal(hashes);
    expect(removed).to.deep.equal(hashes);
    // All additions come before the removals, as they happened.
    const lastAdded = decoded.findLastIndex((change) => change.kind === "added");
    const firstRemoved = decoded.findIndex((change) => change.kind === "removed");
    expect(lastAdded).to.be.below(firstRemoved);
  });

  it("gives back a feed message too big for any payload instead of sending it", () => {
    const big: BookChange = { kind: "feed", topic: "deal.created", data: { blob: "x".repeat(10_000) } };
    const { payloads, tooBig } = encodeNotices("r", [{ kind: "added", hashes: [hash(1)] }, big]);
    expect(tooBig).to.deep.equal([big]);
    expect(payloads.map((payload) => decodeNotice(payload)!.changes)).to.deep.equal([[{ kind: "added", hashes: [hash(1)] }]]);
  });

  it("ignores payloads that are not notices", () => {
    for (const payload of ["", "not json", "{}", '{"o":"r","c":[["a",["0xnothash"]]]}', '{"o":"r","c":[["r",[["' + hash(1) + '","stolen"]]]]}']) {
      expect(decodeNotice(payload), payload).to.equal(undefined);
    }
  });

  it("merges consecutive changes of one kind", () => {
    const changes: BookChange[] = [];
    appendChange(changes, { kind: "added", hashes: [hash(1)] });
    appendChange(changes, { kind: "added", hashes: [hash(2)] });
    appendChange(changes, { kind: "removed", orders: [{ hash: hash(1), reason: "unpublished" }] });
    appendChange(changes, { kind: "added", hashes: [hash(3)] });
    expect(changes).to.deep.equal([
      { kind: "added", hashes: [hash(1), hash(2)] },
      { kind: "removed", orders: [{ hash: hash(1), reason: "unpublished" }] },
      { kind: "added", hashes: [hash(3)] },
    ]);
  });
});
