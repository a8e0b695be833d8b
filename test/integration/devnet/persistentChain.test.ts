// The devnet chain survives a restart: every state change sent through the public endpoint
// (single or batched, even a reverted transaction Hardhat still mines) is journaled, and a new
// node replays the journal to the very same blocks; a tampered journal is refused by its code.
import { expect } from "chai";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { JsonRpcProvider, Wallet, type JsonRpcSigner } from "ethers";
import { startPersistentChain, type PersistentChain } from "../../../src/devnet/chain/persistentChain.ts";
import { ChainJournalError } from "../../../src/devnet/chain/ChainJournalError.ts";
import { devnetPrivateKey } from "../../../src/devnet/devnetKeys.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { openDevnetChain } from "../../../src/devnet/openDevnetChain.ts";
import { freePort } from "../../helpers/freePort.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

const HOST = "127.0.0.1";
/** Init code of a contract whose every call reverts (runtime code: REVERT(0, 0)). */
const ALWAYS_REVERTS = "0x6460006000fd6000526005601bf3";

async function rpc(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return response.json();
}

async function blockHashes(provider: JsonRpcProvider, head: number): Promise<string[]> {
  const hashes: string[] = [];
  for (let n = 0; n <= head; n++) hashes.push((await provider.getBlock(n))!.hash!);
  return hashes;
}

describe("persistent devnet chain (journal + replay)", function () {
  this.timeout(120_000);
  let directory: TemporaryDirectory;
  let chain: PersistentChain | undefined;
  let provider: JsonRpcProvider | undefined;
  let port: number;
  const start = async () => {
    chain = await startPersistentChain({ chainDir: join(directory.path, "chain"), host: HOST, port });
    provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true, pollingInterval: 100 });
    return { chain, provider };
  };
  const stop = async () => {
    provider?.destroy();
    await chain?.close();
    chain = undefined;
    provider = undefined;
  };

  beforeEach(async () => {
    directory = await createTemporaryDirectory("chain-");
    port = await freePort();
  });
  afterEach(async () => {
    await stop();
    await directory.remove();
  });

  /** Changes state every way the devnet's clients do; returns the head and the balances it left. */
  async function changeState(url: string, provider: JsonRpcProvider) {
    const [first, second] = (await provider.listAccounts()) as JsonRpcSigner[];
    await (await first.sendTransaction({ to: second.address, value: 1000n })).wait();
    const wallet = new Wallet(devnetPrivateKey(2), provider);
    await (await wallet.sendTransaction({ to: second.address, value: 7n })).wait();
    const batch = await rpc(url, [
      { jsonrpc: "2.0", id: 1, method: "evm_increaseTime", params: [3600] },
      { jsonrpc: "2.0", id: 2, method: "evm_mine", params: [] },
      { jsonrpc: "2.0", id: 3, method: "eth_blockNumber", params: [] },
    ]);
    expect(batch.map((answer: { id: number }) => answer.id)).to.deep.equal([1, 2, 3]);
    expect(Number(batch[2].result)).to.equal(3);
    const deployed = await (await first.sendTransaction({ data: ALWAYS_REVERTS })).wait();
    const reverted = await rpc(url, { jsonrpc: "2.0", id: 4, method: "eth_sendTransaction", params: [{ from: first.address, to: deployed!.contractAddress, gas: "0x10000" }] });
    expect(reverted.error.code).to.equal(3);
    await rpc(url, { jsonrpc: "2.0", id: 5, method: "hardhat_mine", params: ["0x3", "0x10"] });
    const head = Number((await rpc(url, { jsonrpc: "2.0", id: 6, method: "eth_blockNumber", params: [] })).result);
    return { head, balances: await Promise.all([first, second, wallet].map((account) => provider.getBalance(account.address))) };
  }

  it("replays the journal to the same block hashes, balances and a clock no earlier than the last block", async () => {
    const fresh = await start();
    expect(fresh.chain.resumedAt).to.equal(undefined);
    const before = await changeState(fresh.chain.url, fresh.provider);
    expect(before.head).to.equal(8);
    const hashes = await blockHashes(fresh.provider, before.head);
    const lastTimestamp = (await fresh.provider.getBlock(before.head))!.timestamp;
    const journal = (await readFile(fresh.chain.journalPath, "utf8")).trim().split("\n").map((line) => JSON.parse(line));
    expect(journal.find((entry) => entry.ok === false)?.method).to.equal("eth_sendTransaction");
    await stop();

    const resumed = await start();
    expect(resumed.chain.resumedAt).to.equal(before.head);
    expect(await blockHashes(resumed.provider, before.head)).to.deep.equal(hashes);
    const [first, second] = (await resumed.provider.listAccounts()) as JsonRpcSigner[];
    const wallet = new Wallet(devnetPrivateKey(2), resumed.provider);
    expect(await Promise.all([first, second, wallet].map((account) => resumed.provider.getBalance(account.address)))).to.deep.equal(before.balances);

    await (await wallet.sendTransaction({ to: second.address, value: 1n })).wait();
    const next = (await resumed.provider.getBlock(before.head + 1))!;
    expect(next.timestamp).to.be.greaterThan(lastTimestamp);
    expect(next.timestamp).to.be.at.least(Math.floor(Date.now() / 1000) - 5);
    await stop();
    // The block made after the resume is journaled too.
    expect((await start()).chain.resumedAt).to.equal(before.head + 1);
  });

  it("refuses methods the journal cannot replay with EIP-1474 code -32004", async () => {
    const { chain } = await start();
    const answer = await rpc(chain.url, { jsonrpc: "2.0", id: 1, method: "hardhat_reset", params: [] });
    expect(answer.error.code).to.equal(-32004);
    const interval = await rpc(chain.url, { jsonrpc: "2.0", id: 2, method: "evm_setIntervalMining", params: [1000] });
    expect(interval.error.code).to.equal(-32004);
  });

  it("refuses a journal whose recorded transaction was altered with CHAIN_REPLAY_DIVERGED", async () => {
    const { chain, provider } = await start();
    const [first, second] = (await provider.listAccounts()) as JsonRpcSigner[];
    await (await first.sendTransaction({ to: second.address, value: 1000n })).wait();
    const path = chain.journalPath;
    await stop();
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace('"value":"0x3e8"', '"value":"0x3e9"'));
    expect(await readFile(path, "utf8")).to.not.equal(text);
    const error = await rejectionOf(ChainJournalError, startPersistentChain({ chainDir: join(directory.path, "chain"), host: HOST, port }), "CHAIN_REPLAY_DIVERGED");
    expect(error.details).to.include({ block: 1 });
  });

  it("refuses a journal whose recorded block time was altered with CHAIN_REPLAY_DIVERGED", async () => {
    const { chain } = await start();
    await rpc(chain.url, { jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] });
    const path = chain.journalPath;
    await stop();
    const lines = (await readFile(path, "utf8")).trim().split("\n").map((line) => JSON.parse(line));
    lines[1].blocks.firstTimestamp += 1;
    await writeFile(path, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    await rejectionOf(ChainJournalError, startPersistentChain({ chainDir: join(directory.path, "chain"), host: HOST, port }), "CHAIN_REPLAY_DIVERGED");
  });

  it("moves a chain it cannot resume aside (here: no deployment beside the journal) and starts a fresh one", async () => {
    const { chain } = await start();
    await rpc(chain.url, { jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] });
    const recorded = await readFile(chain.journalPath, "utf8");
    await stop();
    const lines: string[] = [];
    const opened = await openDevnetChain({ dataDir: directory.path, host: HOST, port, progress: (line) => lines.push(line) });
    try {
      expect(opened.chain.resumedAt).to.equal(undefined);
      expect(opened.deployment).to.equal(undefined);
      expect(lines.join("\n")).to.include("cannot be resumed");
      const [stale] = await readdir(join(directory.path, "stale"));
      expect(await readFile(join(directory.path, "stale", stale, "chain", "journal.ndjson"), "utf8")).to.equal(recorded);
    } finally {
      await opened.chain.close();
    }
  });
});

describe("persistent devnet chain on Anvil", function () {
  this.timeout(120_000);
  let directory: TemporaryDirectory;
  let chain: PersistentChain | undefined;
  let provider: JsonRpcProvider | undefined;
  const start = async (node: "anvil" | "hardhat" = "anvil") => {
    chain = await startPersistentChain({ chainDir: join(directory.path, "chain"), host: HOST, port: await freePort(), node });
    // No response cache: the head is read right after each change.
    provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    return { chain, provider };
  };
  const stop = async () => {
    provider?.destroy();
    await chain?.close();
    chain = undefined;
    provider = undefined;
  };

  beforeEach(async () => {
    directory = await createTemporaryDirectory("chain-anvil-");
  });
  afterEach(async () => {
    await stop();
    await directory.remove();
  });

  it("replays an Anvil journal on Anvil to the same block hashes and balances, and refuses to resume it on Hardhat", async () => {
    const fresh = await start();
    expect(String(await fresh.provider.send("web3_clientVersion", []))).to.match(/^anvil\//);
    const [first, second] = (await fresh.provider.listAccounts()) as JsonRpcSigner[];
    await (await first.sendTransaction({ to: second.address, value: 1000n })).wait();
    const wallet = new Wallet(devnetPrivateKey(2), fresh.provider);
    await (await wallet.sendTransaction({ to: second.address, value: 7n })).wait();
    await rpc(fresh.chain.url, { jsonrpc: "2.0", id: 1, method: "evm_increaseTime", params: [3600] });
    await rpc(fresh.chain.url, { jsonrpc: "2.0", id: 2, method: "evm_mine", params: [] });
    await rpc(fresh.chain.url, { jsonrpc: "2.0", id: 3, method: "anvil_mine", params: ["0x3"] });
    const head = await fresh.provider.getBlockNumber();
    expect(head).to.equal(6);
    const hashes = await blockHashes(fresh.provider, head);
    const balances = await Promise.all([first, second, wallet].map((account) => fresh.provider.getBalance(account.address)));
    await stop();

    const resumed = await start();
    expect(resumed.chain.resumedAt).to.equal(head);
    expect(await blockHashes(resumed.provider, head)).to.deep.equal(hashes);
    expect(await Promise.all([first, second, wallet].map((account) => resumed.provider.getBalance(account.address)))).to.deep.equal(balances);
    await stop();

    const refusal = await start("hardhat").then(
      () => undefined,
      (error: { code?: string; details?: Record<string, unknown> }) => error,
    );
    expect(refusal?.code).to.equal("CHAIN_NODE_MISMATCH");
    expect(refusal?.details).to.include({ recordedOn: "anvil", requested: "hardhat" });
  });
});
