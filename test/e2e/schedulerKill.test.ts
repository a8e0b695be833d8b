// A workerpool's scheduler killed (SIGKILL) in the middle of a batch push, as real processes on the
// devnet: the push transaction is held at the node's door when the process dies, then lets
// through (it lands although its sender is gone). The scheduler started again finds the batch it
// left marked as pushed: each task's result is on-chain exactly once and every task completes.
import { expect } from "chai";
import { cp, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { packBundle } from "../../src/apps/index.ts";
import { generateWardVitals, wardVitalsToCsv } from "../../examples/datasets/wardVitals.ts";
import { spawnCli, type CliProcess } from "../integration/cli/cliProcess.ts";
import { FAST_KDF, PASSWORD, runCli } from "../integration/cli/cliTestKit.ts";
import { startMarketDevnet, type MarketDevnet } from "../integration/cli/marketKit.ts";
import { freePort } from "../helpers/freePort.ts";
import { until } from "../helpers/until.ts";

const WARD_STATS = join(import.meta.dirname, "../../examples/apps/ward-stats-node");

/** A JSON-RPC relay that, once armed, holds the next eth_sendRawTransaction unanswered until released. */
async function holdingRelay(target: string) {
  let armed = false;
  let held: { body: string; response: ServerResponse } | undefined;
  let onHeld: () => void = () => undefined;
  const forward = async (body: string) =>
    (await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body })).text();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (armed && body.includes('"eth_sendRawTransaction"')) {
        armed = false;
        held = { body, response };
        onHeld();
        return;
      }
      forward(body).then(
        (answer) => response.writeHead(200, { "content-type": "application/json" }).end(answer),
        () => response.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    /** Resolves once the next transaction is held. */
    arm: () => {
      armed = true;
      return new Promise<void>((resolve) => (onHeld = resolve));
    },
    /** Sends the held transaction to the node, answering nobody: its sender is gone. */
    release: async () => {
      await forward(held!.body);
      held!.response.destroy();
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe("a scheduler killed in the middle of a batch push", function () {
  this.timeout(600_000);
  let m: MarketDevnet;
  const processes: CliProcess[] = [];
  const env = { CONTINUUM_PASSWORD: PASSWORD };

  before(async () => {
    m = await startMarketDevnet();
    await cp(join(m.devnetDir, "attestation"), join(m.cliDir, "attestation"), { recursive: true });
  });
  after(async () => {
    for (const process of processes.splice(0).reverse()) await process.kill();
    await m?.stop();
  });

  it("lands each result of the batch once, and completes every task after the restart", async () => {
    const pool = (await m.json("provider", ["workerpool", "register", "--description", "pool"])).id as string;
    await m.json("provider", ["escrow", "deposit", "100"]);
    const bundle = await packBundle(WARD_STATS);
    const app = await m.json("developer", ["app", "deploy", WARD_STATS]);
    expect(await m.devnet.storage.add(bundle.bytes)).to.equal(app.cid);
    await m.json("developer", ["app", "order", "publish", "--app", app.id, "--price", "1", "--volume", "3"]);
    const plain = join(m.cliDir, "vitals.csv");
    await writeFile(plain, wardVitalsToCsv(generateWardVitals({ seed: 2 })));
    const encrypted = join(m.cliDir, "vitals.enc");
    await m.json("owner", [...FAST_KDF, "dataset", "encrypt", "--in", plain, "--out", encrypted]);
    const { cid, checksum } = await m.json("owner", ["dataset", "publish", encrypted]);
    expect(await m.devnet.storage.add(await readFile(encrypted))).to.equal(cid);
    const dataset = (await m.json("owner", ["dataset", "register", "--name", "vitals", "--cid", cid, "--checksum", checksum])).id;
    expect((await m.as("owner", ["dataset", "push-key", dataset, "--dataset-key", `${encrypted}.key.json`])).code).to.equal(0);
    await m.json("owner", ["dataset", "order", "publish", "--dataset", dataset, "--price", "1", "--app", app.id, "--volume", "3"]);
    await m.json("provider", ["workerpool", "order", "publish", "--workerpool", pool, "--price", "1", "--category", "1", "--volume", "3"]);

    // The scheduler reaches the chain through the relay; every result of the deal goes in one batch.
    const relay = await holdingRelay(m.devnet.rpcUrl);
    const port = await freePort();
    const providerKey = join(m.cliDir, "provider.json");
    const schedulerArgs = (rpcUrl: string) => [
      "--data-dir", m.cliDir, "--key-file", providerKey, "--rpc-url", rpcUrl, "--json",
      "workerpool", "scheduler", "start", "--workerpool", pool, "--port", String(port), "--batch-size", "10", "--batch-delay-ms", "600000",
    ];
    const first = spawnCli(schedulerArgs(relay.url), env);
    processes.push(first);
    await first.waitFor(/"event":"listening"/);
    const workerKey = join(m.cliDir, "worker.json");
    expect((await runCli([...FAST_KDF, "--data-dir", m.cliDir, "--key-file", workerKey, "wallet", "create"], { env })).code).to.equal(0);
    const worker = spawnCli(
      ["--data-dir", m.cliDir, "--key-file", workerKey, "--sms-url", m.devnet.sms.url, "worker", "start", "--scheduler", `http://127.0.0.1:${port}`,
        "--ipfs-peer", String((m.devnet.storage as unknown as { multiaddrs(): unknown[] }).multiaddrs()[0])],
      env,
    );
    processes.push(worker);
    await worker.waitFor(/^worker\s+0x/m);

    const held = relay.arm();
    const resultKey = join(m.cliDir, "kill.key.json");
    await m.json("requester", [...FAST_KDF, "keys", "create-result", "--out", resultKey]);
    await m.json("requester", ["escrow", "deposit", "20"]);
    await m.json("requester", [
      "request", "submit", "--app", app.id, "--dataset", dataset, "--category", "1", "--app-max-price", "1", "--dataset-max-price", "1",
      "--workerpool-max-price", "1", "--volume", "3", "--result-key", resultKey, "--params", '{"thresholds":{"spo2":{"min":91}}}',
    ]);
    await held;
    // The batch is marked pushed and its transaction is on its way: the scheduler dies now.
    first.signal("SIGKILL");
    expect(await first.exited).to.equal(null);
    await relay.release();
    const continuum = m.contract("Continuum");
    const pushedBeforeRestart = await continuum.queryFilter(continuum.filters.ResultPushed());

    const second = spawnCli(schedulerArgs(m.devnet.rpcUrl), env);
    processes.push(second);
    await second.waitFor(/"event":"listening"/);
    // Wait for the three pushes, then a moment more: a second push of any task would show too.
    await until("three results on-chain", async () => (await continuum.queryFilter(continuum.filters.ResultPushed())).length >= 3, 120_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const pushes = await continuum.queryFilter(continuum.filters.ResultPushed());
    const indexes = pushes.map((log) => Number((log as unknown as { args: { index: bigint } }).args.index)).sort();
    expect(indexes, "each result on-chain exactly once").to.deep.equal([0, 1, 2]);
    expect(pushedBeforeRestart.length, "the held transaction landed after its sender died").to.equal(3);

    // The restarted scheduler settles the batch as completed, from the chain.
    const tasks = await m.json("requester", ["audit", "tasks", "--workerpool", pool]);
    expect(tasks.items.map((task: { status: string }) => task.status)).to.deep.equal(["completed", "completed", "completed"]);
    await relay.close();
  });
});
