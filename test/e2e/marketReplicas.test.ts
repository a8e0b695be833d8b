// Two `continuum market serve` processes on one PostgreSQL database and one Anvil chain, under a
// load of orders from a requester and the app, dataset and workerpool owners posted to both. The
// leader (the one holding the lease) is killed with SIGKILL in the middle of the load: the
// survivor takes over the lease and the matching within a bounded time (measured and printed),
// no order's volume is consumed twice, every order a replica accepted is stored and either open
// in the survivor's book or filled on-chain, and the survivor's book, memory and database agree.
import { expect } from "chai";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, JsonRpcProvider, Network, Wallet, hexlify, parseEther, randomBytes, type EventLog } from "ethers";
import pg from "pg";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import type { Deployment } from "../../src/chain/deployProtocol.ts";
import { startAnvilNode, type AnvilNode } from "../../src/devnet/anvilNode.ts";
import { devnetPrivateKey } from "../../src/devnet/devnetKeys.ts";
import { seedDevnet } from "../../src/devnet/seedDevnet.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../src/persistence/testing/index.ts";
import { continuumDomain, signOrder, signUnpublish, TAG_TEE, type OrderKind, type OrderOf } from "../../src/wire/eip712/index.ts";
import { publishBodyOf } from "../../src/wire/marketApi/orderJson.ts";
import { spawnCli, type CliProcess } from "../integration/cli/cliProcess.ts";
import { freePort } from "../helpers/freePort.ts";
import { sampleSum } from "../helpers/prometheusText.ts";
import { until } from "../helpers/until.ts";

const POSTGRES = "postgres://postgres@127.0.0.1:5432";
const TAG = `0x${TAG_TEE.toString(16).padStart(64, "0")}`;
const ZERO_ADDRESS = `0x${"0".repeat(40)}`;
const KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];
/** Requests posted in all; the leader dies once half of them are in and deals are being made. */
const REQUESTS = 48;
const TAKEOVER_BOUND_MS = 30_000;

type Replica = { name: string; process: CliProcess; url: string; alive: boolean };
type Accepted = { kind: OrderKind; hash: string; volume: bigint; replica: string; at: number };
type FeedEvent = { topic: string; data: Record<string, unknown> };

/** Follows a replica's live feed (SSE), collecting every event. */
function followFeed(url: string): { events: FeedEvent[]; close(): void } {
  const events: FeedEvent[] = [];
  const controller = new AbortController();
  void (async () => {
    const response = await fetch(`${url}/v1/feed`, { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const topic = /^event: (.+)$/m.exec(frame)?.[1];
        const data = /^data: (.+)$/m.exec(frame)?.[1];
        if (topic && data) events.push({ topic, data: JSON.parse(data) });
      }
    }
  })().catch(() => undefined);
  return { events, close: () => controller.abort() };
}

describe("market replicas: the leader killed under load", function () {
  this.timeout(600_000);
  const database = `market_replicas_e2e_${hexlify(randomBytes(4)).slice(2)}`;
  const databaseUrl = `${POSTGRES}/${database}`;
  const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  const shared = new pg.Client({ connectionString: databaseUrl });
  let root: TemporaryDirectory;
  let anvil: AnvilNode | undefined;
  let provider: JsonRpcProvider;
  let deployment: Deployment;
  let continuum: Contract;
  const replicas: Replica[] = [];
  const matcher = new Wallet(devnetPrivateKey(19));
  const localKey = () => new Wallet(hexlify(randomBytes(32)));
  const owners = { app: localKey(), dataset: localKey(), workerpool: localKey() };
  const requester = localKey();
  const assets = { app: [] as bigint[], dataset: [] as bigint[], workerpool: [] as bigint[] };

  async function startReplica(name: string): Promise<Replica> {
    const dataDir = join(root.path, name);
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, "deployment.json"), `${JSON.stringify({ rpcUrl: anvil!.url, ...deployment }, null, 2)}\n`);
    const process = spawnCli(["--json", "--data-dir", dataDir, "market", "serve", "--port", String(await freePort()), "--log-level", "info"], {
      DATABASE_URL: databaseUrl,
      CONTINUUM_MATCHER_KEY: matcher.privateKey.slice(2),
      CONTINUUM_MATCH_INTERVAL_MS: "200",
      CONTINUUM_INDEX_INTERVAL_MS: "200",
      CONTINUUM_MARKET_LEASE_INTERVAL_MS: "500",
      CONTINUUM_MARKET_RATE_LIMIT_PER_MINUTE: "100000",
    });
    const [line] = await process.waitFor(/^\{.*"event":"listening".*\}$/m, "stdout", 120_000);
    const replica = { name, process, url: JSON.parse(line).url as string, alive: true };
    replicas.push(replica);
    return replica;
  }

  const roleOf = async (replica: Replica): Promise<string> => ((await (await fetch(`${replica.url}/v1/info`)).json()) as { replica: { role: string } }).replica.role;

  async function sendReturning(contract: Contract, method: string, args: unknown[]): Promise<bigint> {
    const fn = contract.getFunction(method);
    const value = (await fn.staticCall(...args)) as bigint;
    await (await fn.send(...args)).wait();
    return value;
  }

  before(async () => {
    root = await createTemporaryDirectory("continuum-market-replicas-");
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await shared.connect();
    anvil = await startAnvilNode({ host: "127.0.0.1", port: await freePort() });
    provider = new JsonRpcProvider(anvil.url, Network.from(31337n), { staticNetwork: true, pollingInterval: 200 });
    const deployer = await provider.getSigner(0);
    deployment = await seedDevnet(deployer, [deployer.address]);
    continuum = new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, deployer);
    const token = new Contract(deployment.token, loadArtifact("DevnetToken").abi as never, deployer);
    const digest = () => hexlify(randomBytes(32));
    const apps = new Contract(deployment.appRegistry, loadArtifact("AppRegistry").abi as never, deployer);
    const datasets = new Contract(deployment.datasetRegistry, loadArtifact("DatasetRegistry").abi as never, deployer);
    const pools = new Contract(deployment.workerpoolRegistry, loadArtifact("WorkerpoolRegistry").abi as never, deployer);
    for (const index of [1, 2]) {
      assets.app.push(await sendReturning(apps, "registerApp", [owners.app.address, `replica-app-${index}`, `bafyreplicaapp${index}`, digest(), digest()]));
      assets.dataset.push(await sendReturning(datasets, "registerDataset", [owners.dataset.address, `replica-data-${index}`, `bafyreplicadata${index}`, digest()]));
      assets.workerpool.push(await sendReturning(pools, "registerWorkerpool", [owners.workerpool.address, `replica pool ${index}`]));
    }
    const deposit = 10n ** 21n;
    await (await token.getFunction("approve").send(deployment.continuum, deposit * 2n)).wait();
    for (const account of [requester.address, owners.workerpool.address]) await (await continuum.getFunction("depositFor").send(account, deposit)).wait();
    await (await deployer.sendTransaction({ to: matcher.address, value: parseEther("100") })).wait();
  });

  after(async () => {
    for (const replica of replicas.splice(0).reverse()) await replica.process.kill();
    provider?.destroy();
    await anvil?.stop();
    await shared.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await root?.remove();
  });

  it("hands the matching to the survivor: no volume consumed twice, no accepted order lost, book equal to the database", async () => {
    const leader = await startReplica("first");
    await until("the first replica leads", async () => (await roleOf(leader)) === "leader", 30_000);
    const survivor = await startReplica("second");
    // Several lease attempts later, the second still follows.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await roleOf(survivor)).to.equal("follower");
    expect(await roleOf(leader)).to.equal("leader");
    const feed = followFeed(survivor.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Both replicas' roles sampled through the load: never two leaders.
    const samples: string[][] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await Promise.all(replicas.filter((replica) => replica.alive).map((replica) => roleOf(replica).catch(() => "gone"))));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const domain = continuumDomain(31337n, deployment.continuum);
    const latest = await provider.getBlock("latest");
    const expiry = BigInt(latest!.timestamp) + 86_400n;
    const accepted: Accepted[] = [];
    /** Posts to `preferred`, and to the other replica when `preferred` cannot be reached, as a client with both URLs does. */
    async function post<K extends OrderKind>(kind: K, order: OrderOf<K>, signer: Wallet, preferred: Replica): Promise<string> {
      const body = JSON.stringify(publishBodyOf(kind, order, await signOrder(kind, signer, domain, order)));
      for (const replica of [preferred, ...replicas.filter((other) => other !== preferred)]) {
        if (!replica.alive) continue;
        let response: Response;
        try {
          response = await fetch(`${replica.url}/v1/orders/${kind}`, { method: "POST", headers: { "content-type": "application/json" }, body });
        } catch {
          continue;
        }
        const answer = (await response.json()) as { hash: string };
        expect(response.status, `${kind} order at ${replica.name}: ${JSON.stringify(answer)}`).to.equal(201);
        accepted.push({ kind, hash: answer.hash, volume: order.volume, replica: replica.name, at: performance.now() });
        return answer.hash;
      }
      throw new Error(`no replica took the ${kind} order`);
    }
    const salt = () => hexlify(randomBytes(32));
    const replicaFor = (index: number) => replicas[index % 2]!;

    // The owners' offers, spread over both replicas: 3 per asset, 15 tasks each.
    let index = 0;
    for (const app of assets.app) {
      for (const price of [1n, 2n, 3n]) {
        await post("app", { app, price, volume: 15n, tag: TAG, datasetRestrict: 0n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry }, owners.app, replicaFor(index++));
      }
    }
    for (const dataset of assets.dataset) {
      for (const price of [1n, 2n, 3n]) {
        await post("dataset", { dataset, price, volume: 15n, tag: TAG, appRestrict: 0n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry }, owners.dataset, replicaFor(index++));
      }
    }
    for (const workerpool of assets.workerpool) {
      for (const price of [1n, 2n, 3n]) {
        await post("workerpool", { workerpool, price, volume: 15n, tag: TAG, category: 1n, appRestrict: 0n, datasetRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry }, owners.workerpool, replicaFor(index++));
      }
    }
    // The cheapest app order of all, published at the follower and unpublished there at once: the
    // leader must hear both, or it would match an order its owner withdrew.
    const bait = { app: assets.app[0]!, price: 0n, volume: 50n, tag: TAG, datasetRestrict: 0n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry };
    const baitHash = await post("app", bait, owners.app, survivor);
    const unpublishExpiry = BigInt(latest!.timestamp) + 3_600n;
    const unpublished = await fetch(`${survivor.url}/v1/orders/app/${baitHash}/unpublish`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ expiry: unpublishExpiry.toString(), signature: await signUnpublish(owners.app, domain, { orderHash: baitHash, expiry: unpublishExpiry }) }),
    });
    expect(unpublished.status).to.equal(200);

    const dealCount = async () => (await continuum.queryFilter(continuum.filters.DealCreated!())).length;
    let killedAt = 0;
    let dealsAtKill = 0;
    let takeover: Promise<{ takeoverMs: number; firstDealMs: number }> | undefined;
    const request = (n: number) => ({
      app: assets.app[n % 2]!, appMaxPrice: 5n, dataset: assets.dataset[n % 2]!, datasetMaxPrice: 5n, workerpool: 0n, workerpoolMaxPrice: 5n,
      requester: requester.address, volume: 1n, tag: TAG, category: 1n, trust: 0n, beneficiary: requester.address,
      resultPublicKey: hexlify(randomBytes(32)), params: `{"n":${n}}`, salt: salt(), expiry,
    });
    // The requester's stream: one request every 150 ms, alternating replicas. Halfway, once deals
    // are being made, the leader is killed; the stream goes on.
    for (let n = 0; n < REQUESTS; n++) {
      await post("request", request(n), requester, replicaFor(n));
      if (n === REQUESTS / 2) {
        await until("deals being made", async () => (await dealCount()) >= 3, 120_000);
        dealsAtKill = await dealCount();
        killedAt = performance.now();
        leader.process.signal("SIGKILL");
        leader.alive = false;
        // Watched from now on, while the requester goes on posting.
        takeover = (async () => {
          await until("the survivor leads", async () => (await roleOf(survivor)) === "leader", TAKEOVER_BOUND_MS);
          const takeoverMs = performance.now() - killedAt;
          await until("a deal made by the survivor", async () => (await dealCount()) > dealsAtKill, TAKEOVER_BOUND_MS);
          return { takeoverMs, firstDealMs: performance.now() - killedAt };
        })();
        takeover.catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(await leader.process.exited, "killed by the signal").to.equal(null);
    // More offers after the takeover, at the survivor.
    for (const app of assets.app) {
      await post("app", { app, price: 4n, volume: 5n, tag: TAG, datasetRestrict: 0n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry }, owners.app, survivor);
    }

    // The survivor leads, within the bound (the time to its first deal measured too); its log says so.
    const { takeoverMs, firstDealMs } = await takeover!;
    sampling = false;
    await sampler;
    expect(samples.filter((roles) => roles.filter((role) => role === "leader").length > 1), "two leaders at once").to.deep.equal([]);
    expect(samples.length).to.be.greaterThan(20);
    const logLine = await survivor.process.waitFor(/^\{.*"msg":"leadership acquired[^"]*".*\}$/m, "stderr", 5_000);
    expect(JSON.parse(logLine[0])).to.include({ role: "leader", previousRole: "follower", component: "leadership" });

    // Every accepted request gets its one task, then the survivor's ledger and book catch up.
    const requests = accepted.filter((order) => order.kind === "request");
    await until("every accepted request matched", async () => (await dealCount()) >= requests.length, 240_000);
    const consumed = async (hash: string) => (await continuum.getFunction("consumed").staticCall(hash)) as bigint;
    const deals = (await continuum.queryFilter(continuum.filters.DealCreated!())) as EventLog[];
    const dbOpen = async () =>
      (await shared.query<{ hash: string; kind: string; remaining: string }>("SELECT hash, kind, remaining FROM market.book_order WHERE status = 'open' ORDER BY hash")).rows;
    await until(
      "the database's open orders agree with the chain",
      async () => {
        for (const row of await dbOpen()) {
          const order = accepted.find((candidate) => candidate.hash === row.hash);
          if (!order || BigInt(row.remaining) !== order.volume - (await consumed(row.hash))) return false;
        }
        return true;
      },
      60_000,
    );

    // No deal twice: distinct deal ids, and no order's volume consumed beyond what it offers.
    const dealIds = deals.map((deal) => deal.args.dealId as string);
    expect(new Set(dealIds).size, "distinct deals").to.equal(deals.length);
    const used = new Map<string, bigint>();
    for (const deal of deals) {
      const volume = deal.args.deal.volume as bigint;
      for (const hash of [deal.args.appOrderHash, deal.args.datasetOrderHash, deal.args.workerpoolOrderHash, deal.args.deal.requestHash] as string[]) {
        used.set(hash, (used.get(hash) ?? 0n) + volume);
      }
    }
    for (const order of accepted) {
      const volume = used.get(order.hash) ?? 0n;
      expect(volume <= order.volume, `${order.kind} ${order.hash}: ${volume} of ${order.volume}`).to.equal(true);
      expect(await consumed(order.hash), `${order.hash}: the chain's consumed volume is the deals'`).to.equal(volume);
    }
    expect(used.has(baitHash), "the unpublished order was never matched").to.equal(false);
    expect(requests.length, "every request accepted by one replica or the other").to.equal(REQUESTS);
    expect(deals.length, "one deal per request").to.equal(REQUESTS);
    for (const order of requests) expect(used.get(order.hash), `request ${order.hash}`).to.equal(1n);

    // No accepted order lost: each is stored, and open in the survivor's book or filled on-chain.
    const stored = (await shared.query<{ hash: string; status: string; removed_reason: string | null }>("SELECT hash, status, removed_reason FROM market.book_order")).rows;
    expect(stored.map((row) => row.hash).sort(), "orders stored are the orders accepted").to.deep.equal(accepted.map((order) => order.hash).sort());
    // 18 offers, the unpublished one, the requests, 2 offers after the takeover.
    expect(stored.length, "orders stored").to.equal(18 + 1 + REQUESTS + 2);
    const served = new Map<string, string>();
    for (const kind of KINDS) {
      let cursor: string | null = null;
      do {
        const page = (await (await fetch(`${survivor.url}/v1/orders/${kind}?limit=100${cursor ? `&cursor=${cursor}` : ""}`)).json()) as {
          items: { hash: string; remaining: string }[];
          nextCursor: string | null;
        };
        for (const item of page.items) served.set(item.hash, item.remaining);
        cursor = page.nextCursor;
      } while (cursor);
    }
    for (const order of accepted) {
      if (order.hash === baitHash) continue;
      const filled = (await consumed(order.hash)) === order.volume;
      expect(served.has(order.hash) || filled, `${order.kind} ${order.hash} (accepted at ${order.replica}) is open or filled`).to.equal(true);
    }

    // The survivor's book is the database's open orders, and so is its matcher's memory.
    const open = await dbOpen();
    expect(Object.fromEntries([...served].sort()), "GET /v1/orders equals the database").to.deep.equal(Object.fromEntries(open.map((row) => [row.hash, row.remaining])));
    const metrics = await (await fetch(`${survivor.url}/metrics`)).text();
    expect(sampleSum(metrics, "continuum_market_book_orders"), "the matcher's memory holds the open orders").to.equal(open.length);
    expect(sampleSum(metrics, "continuum_market_leader")).to.equal(1);

    // The survivor's feed carried the other replica's orders and the deals it made before it died.
    feed.close();
    const added = new Set(feed.events.filter((event) => event.topic === "order.added").map((event) => event.data.hash));
    const heardLong = accepted.filter((order) => order.replica === survivor.name || (order.replica === leader.name && order.at < killedAt - 1_000));
    for (const order of heardLong) expect(added.has(order.hash), `order.added ${order.hash} from ${order.replica} on the survivor's feed`).to.equal(true);
    const fedDeals = new Set(feed.events.filter((event) => event.topic === "deal.created").map((event) => event.data.dealId));
    expect([...fedDeals].sort(), "every deal on the survivor's feed, the leader's too").to.deep.equal([...dealIds].sort());

    const fromLeader = accepted.filter((order) => order.replica === leader.name).length;
    const figures = {
      takeoverMs: Math.round(takeoverMs),
      firstDealAfterKillMs: Math.round(firstDealMs),
      dealsBeforeKill: dealsAtKill,
      dealsMatched: deals.length,
      ordersStored: stored.length,
      acceptedByLeader: fromLeader,
      acceptedBySurvivor: accepted.length - fromLeader,
      openAtEnd: open.length,
      roleSamples: samples.length,
    };
    console.log(`      market failover: ${JSON.stringify(figures)}`);
    expect(takeoverMs).to.be.below(TAKEOVER_BOUND_MS);
  });
});
