// The chain indexer on Anvil, an independent node, with confirmations > 0: the newest blocks wait
// until enough are mined on top, a reorganization shallower than the confirmations is never seen,
// and a deeper one (Anvil reverting to a snapshot, then a longer branch) is rewound and re-indexed
// to the same ledger a fresh index of the final chain gives.
import { expect } from "chai";
import { Contract, JsonRpcProvider, type JsonRpcSigner } from "ethers";
import type { DataSource } from "typeorm";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import { deployProtocol, type Deployment } from "../../../src/chain/deployProtocol.ts";
import { startAnvilNode, type AnvilNode } from "../../../src/devnet/anvilNode.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";
import { ChainIndexer } from "../../../src/indexer/index.ts";
import { indexerRepositories } from "../../../src/persistence/index.ts";
import { LEDGER_CURSOR_NAME, Ledger } from "../../../src/persistence/ledger/index.ts";
import { databaseBackends, type DatabaseBackend } from "../../unit/persistence/databaseBackends.ts";
import { dumpLedger, openLedgerDatabase } from "./support/ledgerDatabase.ts";

const CONFIRMATIONS = 2;

describe(`ChainIndexer on Anvil with ${CONFIRMATIONS} confirmations`, function () {
  this.timeout(120_000);
  let anvil: AnvilNode;
  let provider: JsonRpcProvider;
  let node: NodeControl;
  let depositor: JsonRpcSigner;
  let deployment: Deployment;
  let continuum: Contract;
  let backend: DatabaseBackend;
  let db: DataSource;
  const rewound: number[] = [];
  let indexer: ChainIndexer;

  before(async () => {
    anvil = await startAnvilNode({ host: "127.0.0.1", port: 0 });
    provider = new JsonRpcProvider(anvil.url, undefined, { cacheTimeout: -1, pollingInterval: 50 });
    node = await NodeControl.of(provider);
    const [deployer, account] = await provider.listAccounts();
    depositor = account!;
    deployment = await deployProtocol(deployer!);
    const token = new Contract(deployment.token, loadArtifact("DevnetToken").abi as never, deployer);
    await (await token.getFunction("mint")(depositor.address, 1_000_000n)).wait();
    await (await (token.connect(depositor) as Contract).getFunction("approve")(deployment.continuum, 1_000_000n)).wait();
    continuum = new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, depositor);
    [backend] = await databaseBackends();
    db = await openLedgerDatabase(await backend!.freshTarget());
    indexer = new ChainIndexer({ provider, deployment, db, confirmations: CONFIRMATIONS, pollIntervalMs: 20, batchBlocks: 1_000 });
    indexer.on("rewound", (block: number) => rewound.push(block));
  });

  after(async () => {
    if (db?.isInitialized) await db.destroy();
    await backend?.cleanup();
    provider?.destroy();
    await anvil?.stop();
  });

  const head = () => provider.getBlockNumber();
  const cursorBlock = async () => (await indexerRepositories(db).cursors.get(LEDGER_CURSOR_NAME))!.lastBlock;
  const deposit = async (amount: bigint) => (await continuum.getFunction("deposit")(amount)).wait();
  const deposited = async (amount: bigint) =>
    (await new Ledger(db).payments({ kind: "deposit", address: depositor.address }, { limit: 500 })).items.filter((payment) => payment.amount === amount.toString()).length;

  it("runs on Anvil", () => {
    expect(node.kind).to.equal("anvil");
  });

  it("leaves a deposit unindexed until it has the confirmations, then indexes it", async () => {
    await deposit(11n);
    await indexer.catchUp();
    expect(await deposited(11n), "too fresh").to.equal(0);
    await node.mine(CONFIRMATIONS - 1);
    await indexer.catchUp();
    expect(await deposited(11n), "one confirmation short").to.equal(0);
    await node.mine(1);
    await indexer.catchUp();
    expect(await deposited(11n)).to.equal(1);
  });

  it("never sees a reorganization shallower than the confirmations", async () => {
    const snapshot = await node.snapshot();
    await deposit(23n);
    await indexer.catchUp();
    await node.revert(snapshot);
    await deposit(29n);
    await node.mine(CONFIRMATIONS);
    await indexer.catchUp();
    expect(rewound, "nothing indexed was replaced").to.deep.equal([]);
    expect(await deposited(23n), "the orphaned deposit was never indexed").to.equal(0);
    expect(await deposited(29n)).to.equal(1);
  });

  it("rewinds a deeper reorganization and indexes the new branch in its place", async () => {
    await indexer.catchUp();
    const indexedBeforeFork = await cursorBlock();
    const forkBlock = (await head()) + 1;
    expect(indexedBeforeFork, "the newest blocks wait for their confirmations").to.equal(forkBlock - 1 - CONFIRMATIONS);
    const snapshot = await node.snapshot();
    await deposit(13n);
    await deposit(17n);
    await node.mine(CONFIRMATIONS);
    await indexer.catchUp();
    expect([await deposited(13n), await deposited(17n)], "indexed before the reorganization").to.deep.equal([1, 1]);
    const orphanHead = await head();

    await node.revert(snapshot);
    expect(await head(), "Anvil dropped the blocks after the snapshot").to.equal(forkBlock - 1);
    await deposit(19n);
    await node.mine(orphanHead - forkBlock + 1);
    expect(await head(), "the new branch is longer").to.be.greaterThan(orphanHead);
    await indexer.catchUp();

    // Rewound from the first block after the last one indexed below the fork: the blocks between
    // it and the fork were never indexed (unconfirmed), so their hashes were never stored.
    expect(rewound).to.deep.equal([indexedBeforeFork + 1]);
    expect([await deposited(13n), await deposited(17n)], "deposits of orphaned blocks").to.deep.equal([0, 0]);
    expect([await deposited(11n), await deposited(19n)]).to.deep.equal([1, 1]);

    // A fresh index of the final chain, in a new schema (PGlite opens one directory once per process).
    const incremental = await dumpLedger(db);
    await db.destroy();
    db = await openLedgerDatabase(await backend.freshTarget());
    await new ChainIndexer({ provider, deployment, db, confirmations: CONFIRMATIONS, pollIntervalMs: 20 }).catchUp();
    expect(incremental).to.deep.equal(await dumpLedger(db));
  });
});
