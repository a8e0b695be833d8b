// The deal reader's answers at one block: every view call of a judgment names the judgment block
// by hash, answers read at a block are shared by later judgments at the same block (a block's state
// never changes), and a new block, or another block at the same height after a reorganisation, is
// read afresh.
import { expect } from "chai";
import type { Provider, TransactionRequest } from "ethers";
import { DealReader } from "../../../src/chain/dealReader.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";
import { defaultOrders, loadProtocol, matchDeal, requestOrder, type Fixture } from "../../helpers/protocolFixture.ts";

/**
 * The fixture's provider, recording the block of every eth_call made through it: the block tag of
 * `call`, or the block hash of a raw `eth_call` naming its block the EIP-1898 way.
 */
function recordingProvider(f: Fixture): { provider: Provider; callTags: unknown[] } {
  const callTags: unknown[] = [];
  const target = f.ethers.provider;
  const provider = new Proxy(target, {
    get(object, property) {
      if (property === "call") {
        return (request: TransactionRequest) => {
          callTags.push(request.blockTag);
          return object.call(request);
        };
      }
      if (property === "send") {
        return (method: string, params: unknown[]) => {
          if (method === "eth_call") {
            const block = params[1];
            callTags.push(typeof block === "object" && block !== null && "blockHash" in block ? block.blockHash : block);
          }
          return object.send(method, params);
        };
      }
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
  return { provider: provider as unknown as Provider, callTags };
}

describe("DealReader at one judgment block", function () {
  let f: Fixture;

  beforeEach(async () => {
    f = await loadProtocol();
  });

  it("names the judgment block by hash in every view call, and reads a block's deal and app once", async () => {
    const { dealId } = await matchDeal(f, await defaultOrders(f, { request: await requestOrder(f, { volume: 4n }) }));
    const { provider, callTags } = recordingProvider(f);
    const reader = new DealReader(provider, f.deployment);
    const latest = await f.ethers.provider.getBlock("latest");

    const first = await reader.judgeTask(dealId, 0n);
    expect(first.deal?.dealId).to.equal(dealId.toLowerCase());
    expect(first.block).to.equal(latest!.number);
    expect(callTags.length).to.equal(3); // isDeal, isTaskFinalized, appOf
    expect(new Set(callTags)).to.deep.equal(new Set([latest!.hash]));

    // The same block again: only the task not asked yet is read.
    const [again, other] = await Promise.all([reader.judgeTask(dealId, 0n), reader.judgeTask(dealId, 1n)]);
    expect(again).to.deep.equal(first);
    expect(other.deal).to.deep.equal(first.deal);
    expect(other.appMeasurement).to.equal(first.appMeasurement);
    expect(callTags.length).to.equal(4);

    // A new block is read afresh.
    await (await NodeControl.of(f.ethers.provider)).mine();
    const next = await reader.judgeTask(dealId, 0n);
    expect(next.block).to.equal(latest!.number + 1);
    expect(callTags.length).to.equal(7);
  });

  it("judges the same height afresh once its block was reorganised away, and finds the deal matched anew", async () => {
    const node = await NodeControl.of(f.ethers.provider);
    const orders = await defaultOrders(f, { request: await requestOrder(f, { volume: 2n }) });
    const snapshot = await node.snapshot();
    const { dealId } = await matchDeal(f, orders);
    const reader = new DealReader(recordingProvider(f).provider, f.deployment);
    const matched = await reader.judgeTask(dealId, 0n);
    expect(matched.deal).to.not.equal(undefined);

    // Another block at the very height the deal was matched at: nothing read at the old one counts.
    await node.revert(snapshot);
    await node.mine();
    const reorganised = await reader.judgeTask(dealId, 0n);
    expect(reorganised.block).to.equal(matched.block);
    expect(reorganised.deal).to.equal(undefined);
    expect(reorganised.appMeasurement).to.equal(undefined);

    await matchDeal(f, orders);
    expect((await reader.judgeTask(dealId, 0n)).deal?.dealId).to.equal(dealId.toLowerCase());
  });
});
