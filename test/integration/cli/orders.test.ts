// Every role's market commands through the real CLI against the real devnet (Hardhat node, market
// API with indexer and matcher, SMS): the provider's workerpool orders, the developer's app bundle
// and orders, the data owner's key push and restricted orders, and a requester's signed request
// that the matcher turns into a deal; with the errors a user meets on the way.
import { verdictSigner } from "../../../sms/startSms.ts";
import { MasterKey } from "../../../sms/secrets/MasterKey.ts";
import { expect } from "chai";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Wallet } from "ethers";
import { encodeArchive, packBundle } from "../../../src/apps/index.ts";
import { encryptResult, loadEthereumKeyFile, sha256Hex } from "../../../src/crypto/index.ts";
import { continuumDomain, signAuthorization, signResult, taskIdOf, toDeal, type Deal, type TaskResult } from "../../../src/wire/eip712/index.ts";
import { freePort } from "../../helpers/freePort.ts";
import { eventually } from "../../helpers/testDevnet.ts";
import { errorLine, PASSWORD } from "./cliTestKit.ts";
import { startAuditServer, startMarketDevnet, type AuditServer, type MarketDevnet } from "./marketKit.ts";

const WARD_STATS = join(import.meta.dirname, "../../../examples/apps/ward-stats-node");

describe("continuum market commands", function () {
  this.timeout(240_000);
  let m: MarketDevnet;
  let pool: string;
  let app: string;
  let dataset: string;
  let datasetKeyFile: string;
  let resultKey: string;
  let requestHash: string;
  let dealId: string;
  let deal: Deal;
  let audit: AuditServer;

  before(async () => {
    m = await startMarketDevnet();
  });
  after(async () => {
    await audit?.close();
    await m?.stop();
  });

  async function bookOrder(kind: string, hash: string): Promise<any> {
    const response = await fetch(`${m.devnet.market.url}/v1/orders/${kind}/${hash}`);
    return response.json();
  }

  describe("provider", () => {
    it("publishes a workerpool order that the market's book then holds, signed by the provider", async () => {
      pool = (await m.json("provider", ["workerpool", "register", "--description", "city pool"])).id;
      await m.json("provider", ["escrow", "deposit", "100"]);
      const publish = ["workerpool", "order", "publish", "--workerpool", pool, "--price", "1", "--category", "1", "--volume", "5"];
      const run = await m.as("provider", publish);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^price\s+1 CTD$/m);
      expect(run.stdout).to.match(/^tag\s+tee \(attested enclave\)$/m);
      const hash = /^workerpool order\s+(0x[0-9a-f]{64})$/m.exec(run.stdout)![1]!;
      const order = await bookOrder("workerpool", hash);
      expect(order).to.deep.include({ status: "open", signer: m.addresses.provider });
      expect(order.order).to.deep.include({ workerpool: pool, price: (10n ** 18n).toString(), volume: "5", category: "1" });
    });

    it("unpublishes an order off the book and cancels it on-chain for good", async () => {
      const published = await m.json("provider", ["workerpool", "order", "publish", "--workerpool", pool, "--category", "1", "--volume", "2", "--app", "7"]);
      expect(published.order.appRestrict).to.equal("7");
      const unpublished = await m.json("provider", ["workerpool", "order", "unpublish", published.hash]);
      expect(unpublished).to.deep.include({ status: "removed", removedReason: "unpublished" });
      expect((await bookOrder("workerpool", published.hash)).status).to.equal("removed");

      const continuum = m.contract("Continuum");
      expect(await continuum.remainingVolume(published.hash, 2n)).to.equal(2n);
      const cancelled = await m.as("provider", ["workerpool", "order", "cancel", published.hash]);
      expect(cancelled.code, cancelled.stderr).to.equal(0);
      expect(cancelled.stderr).to.include("cancelling workerpool order");
      expect(await continuum.remainingVolume(published.hash, 2n)).to.equal(0n);
    });

    it("refuses an order for someone else's pool, an unpublish by another signer and an unknown hash", async () => {
      const foreign = await m.as("stranger", ["workerpool", "order", "publish", "--workerpool", pool, "--category", "1"]);
      expect(foreign.code).to.equal(1);
      expect(errorLine(foreign).code).to.equal("NOT_ASSET_OWNER");

      const { hash } = await m.json("provider", ["workerpool", "order", "publish", "--workerpool", pool, "--category", "1", "--price", "1"]);
      const notSigner = await m.as("stranger", ["workerpool", "order", "unpublish", hash]);
      expect(notSigner.code).to.equal(1);
      expect(errorLine(notSigner).code).to.equal("NOT_ORDER_SIGNER");

      const unknown = await m.as("provider", ["workerpool", "order", "cancel", `0x${"ab".repeat(32)}`]);
      expect(unknown.code).to.equal(1);
      expect(errorLine(unknown).code).to.equal("ORDER_NOT_FOUND");
    });

    it("shows earnings: escrow balance and locked stake", async () => {
      const earnings = await m.json("provider", ["workerpool", "earnings"]);
      expect(earnings.account).to.equal(m.addresses.provider);
      expect(earnings.balance).to.equal((100n * 10n ** 18n).toString());
      expect(earnings.locked).to.equal("0");
    });

    it("rejects a malformed address, a wrong password and an unreachable market with clear errors", async () => {
      const badAddress = await m.as("provider", ["workerpool", "order", "publish", "--workerpool", pool, "--category", "1", "--requester", "0x1234"]);
      expect(badAddress.code).to.equal(2);
      expect(errorLine(badAddress).message).to.include("20-byte address");

      const wrongPassword = await m.as("provider", ["workerpool", "order", "publish", "--workerpool", pool, "--category", "1"], {
        env: { CONTINUUM_PASSWORD: "not the password" },
      });
      expect(wrongPassword.code).to.equal(1);
      expect(errorLine(wrongPassword).code).to.equal("WRONG_PASSWORD");

      const closedPort = await freePort();
      const offline = await m.as("provider", [
        "--market-url", `http://127.0.0.1:${closedPort}`, "workerpool", "order", "publish", "--workerpool", pool, "--category", "1",
      ]);
      expect(offline.code).to.equal(1);
      const { code, message } = errorLine(offline);
      expect(code).to.equal("MARKET_UNREACHABLE");
      expect(message).to.include(`http://127.0.0.1:${closedPort}`);

      const badUrl = await m.as("provider", ["--market-url", "ftp://x", "workerpool", "order", "unpublish", `0x${"ab".repeat(32)}`]);
      expect(badUrl.code).to.equal(2);
      expect(errorLine(badUrl).code).to.equal("INVALID_URL");
    });
  });

  describe("app developer", () => {
    it("bundles an app into a file whose sha256 is the printed checksum and measurement", async () => {
      const out = join(m.cliDir, "ward-stats.bundle");
      const bundled = await m.json("developer", ["app", "bundle", WARD_STATS, "-o", out]);
      const bytes = await readFile(out);
      const sha = `0x${createHash("sha256").update(bytes).digest("hex")}`;
      expect(bundled).to.deep.include({ appName: "ward-stats-node", checksum: sha, measurement: sha, file: out, size: bytes.length });
      expect(sha).to.equal((await packBundle(WARD_STATS)).measurement);

      const published = await m.json("developer", ["app", "publish", out]);
      expect(published.checksum).to.equal(sha);
      expect(published.cid).to.match(/^b[a-z2-7]+$/);
    });

    it("deploys an app in one command: published, registered on-chain with CID, checksum and measurement", async () => {
      const deployed = await m.json("developer", ["app", "deploy", WARD_STATS]);
      app = deployed.id;
      const record = await m.contract("AppRegistry").appOf(BigInt(app));
      expect(record.bundleCid).to.equal(deployed.cid);
      expect(record.checksum).to.equal(deployed.checksum);
      expect(record.measurement).to.equal(deployed.measurement);
      expect(await m.contract("AppRegistry").ownerOf(BigInt(app))).to.equal(m.addresses.developer);
      const shown = await m.json("developer", ["app", "show", app]);
      expect(shown).to.deep.include({ name: "ward-stats-node", cid: deployed.cid });
    });

    it("publishes an app order and refuses a directory without a manifest", async () => {
      const order = await m.json("developer", ["app", "order", "publish", "--app", app, "--price", "1", "--volume", "5"]);
      expect((await bookOrder("app", order.hash)).status).to.equal("open");

      const run = await m.as("developer", ["app", "bundle", m.cliDir]);
      expect(run.code).to.equal(1);
      expect(errorLine(run).code).to.equal("MANIFEST_NOT_FOUND");
    });
  });

  describe("data owner", () => {
    it("pushes a registered dataset's key to the SMS, once, and only as its owner", async () => {
      const plain = join(m.cliDir, "vitals.csv");
      await writeFile(plain, "ward,patient,bpm\nA,1,72\nB,2,130\n");
      const encrypted = join(m.cliDir, "vitals.enc");
      await m.json("owner", ["--scrypt-log-n", "10", "dataset", "encrypt", "--in", plain, "--out", encrypted]);
      datasetKeyFile = `${encrypted}.key.json`;
      const { cid, checksum } = await m.json("owner", ["dataset", "publish", encrypted]);
      dataset = (await m.json("owner", ["dataset", "register", "--name", "vitals", "--cid", cid, "--checksum", checksum])).id;

      const pushed = await m.as("owner", ["dataset", "push-key", dataset, "--dataset-key", datasetKeyFile]);
      expect(pushed.code, pushed.stderr).to.equal(0);
      expect(pushed.stdout).to.match(/^key stored\s+version 1 /m);

      const again = await m.as("owner", ["dataset", "push-key", dataset, "--dataset-key", datasetKeyFile]);
      expect(again.code).to.equal(1);
      expect(errorLine(again).code).to.equal("SECRET_EXISTS");

      const stranger = await m.as("stranger", ["dataset", "push-key", dataset, "--dataset-key", datasetKeyFile]);
      expect(stranger.code).to.equal(1);
      expect(errorLine(stranger).code).to.equal("NOT_DATASET_OWNER");

      const offline = await m.as("owner", ["--sms-url", `http://127.0.0.1:${await freePort()}`, "dataset", "push-key", dataset, "--dataset-key", datasetKeyFile]);
      expect(offline.code).to.equal(1);
      expect(errorLine(offline).code).to.equal("SMS_UNREACHABLE");
    });

    it("publishes a dataset order restricted to one app", async () => {
      const order = await m.json("owner", ["dataset", "order", "publish", "--dataset", dataset, "--price", "1", "--app", app, "--volume", "5"]);
      expect(order.order).to.deep.include({ dataset, appRestrict: app, workerpoolRestrict: "0" });
      const human = await m.as("owner", ["dataset", "order", "publish", "--dataset", dataset, "--app", app, "--requester", m.addresses.requester]);
      expect(human.code, human.stderr).to.equal(0);
      expect(human.stdout).to.match(new RegExp(`^apps\\s+only app ${app}$`, "m"));
      expect(human.stdout).to.match(new RegExp(`^requesters\\s+${m.addresses.requester}$`, "m"));
    });
  });

  describe("requester", () => {
    it("submits a signed request that the matcher turns into a deal", async () => {
      resultKey = join(m.cliDir, "results.key.json");
      await m.json("requester", ["--scrypt-log-n", "10", "keys", "create-result", "--out", resultKey]);
      const { publicKey } = await m.json("requester", ["keys", "show-result", "--in", resultKey]);

      const submit = [
        "request", "submit", "--app", app, "--dataset", dataset, "--category", "1",
        "--app-max-price", "1", "--dataset-max-price", "1", "--workerpool-max-price", "1", "--result-key", resultKey, "--params", "ward=A",
      ];
      const poor = await m.as("requester", submit);
      expect(poor.code).to.equal(1);
      expect(errorLine(poor).code).to.equal("INSUFFICIENT_ESCROW");

      await m.json("requester", ["escrow", "deposit", "20"]);
      const request = await m.json("requester", submit);
      expect(request.order).to.deep.include({ requester: m.addresses.requester, beneficiary: m.addresses.requester, resultPublicKey: publicKey, params: "ward=A" });

      const continuum = m.contract("Continuum");
      const created: any = await eventually("the deal", async () => {
        const logs = await continuum.queryFilter(continuum.filters.DealCreated!());
        return logs.find((log: any) => log.args.deal.requestHash === request.hash);
      }, 60_000);
      requestHash = request.hash;
      dealId = created.args.dealId;
      deal = toDeal(created.args.deal);
      expect(deal.volume).to.equal(1n);
    });

    it("watches the request: progress lines, then a timeout while tasks are pending", async () => {
      audit = await startAuditServer(m);
      const watch = await m.as("requester", ["--market-url", audit.url, "request", "watch", requestHash, "--timeout", "3s", "--interval", "1s"]);
      expect(watch.code).to.equal(1);
      expect(watch.stderr).to.include(`deal ${dealId}: 0/1 completed, 0 claimed`);
      const { code, message } = errorLine(watch);
      expect(code).to.equal("WATCH_TIMEOUT");
      expect(message).to.include("1 of 1 tasks still pending");

      const notReady = await m.as("requester", ["--market-url", audit.url, "result", "download", dealId, "0", "--result-key", resultKey]);
      expect(notReady.code).to.equal(1);
      expect(errorLine(notReady).code).to.equal("RESULT_NOT_READY");

      const unknown = await m.as("requester", ["--market-url", audit.url, "request", "watch", `0x${"cd".repeat(32)}`]);
      expect(unknown.code).to.equal(1);
      expect(errorLine(unknown).code).to.equal("REQUEST_NOT_FOUND");
    });

    it("follows the request until its task completes, then downloads and decrypts the result", async () => {
      const files = [
        { path: "stats.json", content: Buffer.from('{"A":{"readings":1}}'), executable: false },
        { path: "report/summary.txt", content: Buffer.from("ward A: 1 reading"), executable: false },
      ];
      const { publicKey } = await m.json("requester", ["keys", "show-result", "--in", resultKey]);
      const envelope = encryptResult(encodeArchive(files), publicKey);
      const cid = await m.devnet.storage.add(envelope);
      await pushResult(cid, sha256Hex(envelope));

      const watch = await m.as("requester", ["--market-url", audit.url, "request", "watch", requestHash, "--timeout", "60s", "--interval", "1s"]);
      expect(watch.code, watch.stderr).to.equal(0);
      expect(watch.stderr).to.include(`task 0 of deal ${dealId.slice(0, 10)}…: completed (result ${cid})`);
      expect(watch.stdout).to.match(/^status\s+completed$/m);

      const out = join(m.cliDir, "result-0");
      const download = ["--market-url", audit.url, "--json", "result", "download", dealId, "0", "--result-key", resultKey, "-o", out, "--gateway", m.devnet.gateway.url];
      const downloaded = await m.as("requester", download);
      expect(downloaded.code, downloaded.stderr).to.equal(0);
      expect(JSON.parse(downloaded.stdout).files).to.deep.equal([
        { path: "report/summary.txt", size: 17 },
        { path: "stats.json", size: 20 },
      ]);
      expect(await readFile(join(out, "report/summary.txt"), "utf8")).to.equal("ward A: 1 reading");

      const wrongPassword = await m.as("requester", [...download.slice(0, -4), "-o", join(m.cliDir, "r2")], { env: { CONTINUUM_PASSWORD: "nope" } });
      expect(wrongPassword.code).to.equal(1);
      expect(JSON.parse(wrongPassword.stderr).error.code).to.equal("WRONG_PASSWORD");

      const missing = await m.as("requester", ["--market-url", audit.url, "result", "download", dealId, "5", "--result-key", resultKey]);
      expect(errorLine(missing).code).to.equal("TASK_NOT_FOUND");
    });

    it("refuses a result key file that holds an account key", async () => {
      const run = await m.as("requester", ["request", "submit", "--app", app, "--category", "1", "--result-key", join(m.cliDir, "requester.json")]);
      expect(run.code).to.equal(1);
      expect(errorLine(run).code).to.equal("WRONG_KEY_KIND");
    });
  });

  describe("auditor", () => {
    it("lists deals, a deal, its tasks, payments and the workerpool's reputation", async () => {
      const deals = await m.json("stranger", ["--market-url", audit.url, "audit", "deals", "--workerpool", pool]);
      expect(deals.items.map((item: any) => item.dealId)).to.deep.equal([dealId]);
      const shown = await m.as("stranger", ["--market-url", audit.url, "audit", "deal", dealId]);
      expect(shown.stdout).to.match(/^status\s+completed$/m);
      const tasks = await m.json("stranger", ["--market-url", audit.url, "audit", "tasks", "--deal", dealId, "--status", "completed"]);
      expect(tasks.items).to.have.length(1);
      const payouts = await m.json("stranger", ["--market-url", audit.url, "audit", "payments", "--address", m.addresses.provider, "--kind", "payout_workerpool"]);
      expect(payouts.items).to.have.length(1);
      expect(payouts.items[0]).to.deep.include({ to: m.addresses.provider, amount: (10n ** 18n).toString() });
      const firstPage = await m.json("stranger", ["--market-url", audit.url, "audit", "payments", "--address", m.addresses.requester, "--limit", "1"]);
      expect(firstPage.items).to.have.length(1);
      expect(firstPage.nextCursor).to.be.a("string");
      const all = await m.json("stranger", ["--market-url", audit.url, "audit", "payments", "--address", m.addresses.requester, "--all"]);
      expect(all.items.map((item: any) => item.kind)).to.include.members(["deposit", "lock", "payout_app", "payout_workerpool"]);
      expect(all.nextCursor).to.equal(null);
      const reputation = await m.json("stranger", ["--market-url", audit.url, "audit", "reputation", pool]);
      expect(reputation).to.deep.include({ workerpool: pool, completed: "1", failed: "0" });

      const earnings = await m.json("provider", ["--market-url", audit.url, "workerpool", "earnings"]);
      expect(earnings.paymentsTotal).to.equal((10n ** 18n).toString());

      const badKind = await m.as("stranger", ["--market-url", audit.url, "audit", "payments", "--kind", "gift"]);
      expect(badKind.code).to.equal(2);
    });

    it("verifies the API against the chain's events, and fails on a tampered ledger", async () => {
      const verified = await m.as("stranger", ["--market-url", audit.url, "audit", "verify"]);
      expect(verified.code, verified.stderr).to.equal(0);
      expect(verified.stdout).to.match(/^deals\s+1$/m);
      expect(verified.stdout).to.match(/^tasks\s+1$/m);

      await m.devnet.market.dataSource.query(
        "UPDATE ledger_payment SET amount = amount + 1 WHERE kind = 'payout_workerpool'",
      );
      const tampered = await m.as("stranger", ["--market-url", audit.url, "audit", "verify"]);
      expect(tampered.code).to.equal(1);
      expect(errorLine(tampered).code).to.equal("AUDIT_MISMATCH");
      expect(tampered.stderr).to.match(/^payment 0x[0-9a-f]+:\d+:\d+: differs in amount/m);
    });
  });

  /** Pushes the task's result as the devnet's scheduler would: authorized by the pool owner, signed by an enclave, attested by the devnet's SMS. */
  async function pushResult(cid: string, digest: string): Promise<void> {
    const owner = await loadEthereumKeyFile(join(m.cliDir, "provider.json"), PASSWORD);
    const { deployment } = m.devnet;
    const domain = continuumDomain(BigInt(deployment.chainId), deployment.continuum);
    const worker = Wallet.createRandom().address;
    const { config } = m.devnet;
    const sms = verdictSigner(config.sms.signerKey, MasterKey.fromConfig(config.sms.masterKey), domain);
    const results: TaskResult[] = [];
    for (const index of [0n]) {
      const enclave = Wallet.createRandom();
      const taskId = taskIdOf(dealId, index);
      results.push({
        index,
        worker,
        enclave: enclave.address,
        resultDigest: digest,
        resultCid: cid,
        authorization: await signAuthorization(owner, domain, { worker, taskId, enclave: enclave.address }),
        enclaveSignature: await signResult(enclave, domain, { worker, taskId, resultDigest: digest, resultCid: cid }),
        smsAttestation: sms.enclaveAttested(taskId, enclave.address),
      });
    }
    const continuum = m.contract("Continuum").connect(m.devnet.accounts[0]!) as any;
    await (await continuum.pushResultBatch(deal, results)).wait();
  }
});
