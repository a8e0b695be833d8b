// `continuum request claim` through the real CLI against a real Hardhat JSON-RPC node: a deal of
// three tasks signed by the CLI's requester, one task completed by the pool, the refusal before the
// deadline, then the claim of the two others after it (time moved on the node), and nothing left.
import { expect } from "chai";
import { Contract, formatUnits, hexlify, randomBytes, type JsonRpcSigner, type TypedDataDomain } from "ethers";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import { loadEthereumKeyFile } from "../../../src/crypto/index.ts";
import {
  continuumDomain,
  signAuthorization,
  signOrder,
  taskIdOf,
  toDeal,
  ZERO_ADDRESS,
  ZERO_BYTES32,
  type Deal,
  type RequestOrder,
  type TaskResult,
} from "../../../src/wire/eip712/index.ts";
import { PASSWORD, errorLine, runCli, startCliDevnetWithWallet, type CliDevnet } from "./cliTestKit.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";

const TOKEN = 10n ** 18n;

describe("continuum request claim", function () {
  this.timeout(120_000);
  let devnet: CliDevnet;
  let global: string[];
  let requester: string;
  let continuum: Contract;
  let dealId: string;
  let deal: Deal;
  const env = { CONTINUUM_PASSWORD: PASSWORD };
  const claim = (...args: string[]) => runCli([...global, "request", "claim", ...args], { env });
  const claimJson = (...args: string[]) => runCli([...global, "--json", "request", "claim", ...args], { env });

  before(async () => {
    const wallet = await startCliDevnetWithWallet("100");
    ({ devnet, global, address: requester } = wallet);
    const deposit = await runCli([...global, "escrow", "deposit", "50"], { env });
    expect(deposit.code, deposit.stderr).to.equal(0);

    const [deployer, poolOwner] = (await devnet.provider.listAccounts()) as JsonRpcSigner[];
    const artifact = (name: string, address: string, signer: JsonRpcSigner) => new Contract(address, loadArtifact(name as never).abi as never, signer);
    const { deployment } = devnet;
    continuum = artifact("Continuum", deployment.continuum, deployer!);
    await (await artifact("AppRegistry", deployment.appRegistry, deployer!).registerApp(deployer!.address, "stats", "bafyapp", hexlify(randomBytes(32)), hexlify(randomBytes(32)))).wait();
    await (await artifact("WorkerpoolRegistry", deployment.workerpoolRegistry, deployer!).registerWorkerpool(poolOwner!.address, "pool")).wait();
    await devnet.fund(poolOwner!.address, "100");
    await (await artifact("DevnetToken", deployment.token, poolOwner!).approve(deployment.continuum, 100n * TOKEN)).wait();
    await (await (continuum.connect(poolOwner!) as Contract).deposit(100n * TOKEN)).wait();

    const domain: TypedDataDomain = continuumDomain(BigInt(deployment.chainId), deployment.continuum);
    const expiry = BigInt((await devnet.provider.getBlock("latest"))!.timestamp) + 86_400n;
    const salt = () => hexlify(randomBytes(32));
    const common = { tag: ZERO_BYTES32, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, expiry, volume: 3n };
    const appOrder = { ...common, app: 1n, price: TOKEN, datasetRestrict: 0n, workerpoolRestrict: 0n, salt: salt() };
    const datasetOrder = { ...common, dataset: 0n, price: 0n, volume: 0n, appRestrict: 0n, workerpoolRestrict: 0n, salt: ZERO_BYTES32, expiry: 0n };
    const poolOrder = { ...common, workerpool: 1n, price: 2n * TOKEN, category: 1n, appRestrict: 0n, datasetRestrict: 0n, salt: salt() };
    const requestOrder: RequestOrder = {
      app: 1n, appMaxPrice: TOKEN, dataset: 0n, datasetMaxPrice: 0n, workerpool: 0n, workerpoolMaxPrice: 2n * TOKEN,
      requester, volume: 3n, tag: ZERO_BYTES32, category: 1n, trust: 0n, beneficiary: requester,
      resultPublicKey: hexlify(randomBytes(32)), params: "{}", salt: salt(), expiry,
    };
    const requesterKey = await loadEthereumKeyFile(wallet.keyFile, PASSWORD);
    const receipt = await (
      await continuum.matchOrders(
        appOrder, await signOrder("app", deployer!, domain, appOrder),
        datasetOrder, "0x",
        poolOrder, await signOrder("workerpool", poolOwner!, domain, poolOrder),
        requestOrder, await signOrder("request", requesterKey, domain, requestOrder),
      )
    ).wait();
    const dealCreated = receipt.logs.map((log: never) => continuum.interface.parseLog(log)).find((parsed: any) => parsed?.name === "DealCreated");
    dealId = dealCreated.args.dealId as string;
    deal = toDeal(dealCreated.args.deal);

    // Task 1 completes before the deadline: a non-TEE result pushed by the pool owner.
    const taskId = taskIdOf(dealId, 1n);
    const result: TaskResult = {
      index: 1n, worker: poolOwner!.address, enclave: ZERO_ADDRESS, resultDigest: hexlify(randomBytes(32)), resultCid: "bafyresult1",
      authorization: await signAuthorization(poolOwner!, domain, { worker: poolOwner!.address, taskId, enclave: ZERO_ADDRESS }),
      enclaveSignature: "0x",
      smsAttestation: "0x",
    };
    await (await (continuum.connect(poolOwner!) as Contract).pushResult(deal, result)).wait();
  });
  after(async () => {
    await devnet?.stop();
  });

  it("refuses before the deadline with the contract's DeadlineNotReached, naming the deadline", async () => {
    const early = await claim(dealId);
    expect(early.code).to.equal(1);
    const { code, message } = errorLine(early);
    expect(code).to.equal("DEADLINE_NOT_REACHED");
    const deadline = new Date(Number(deal.deadline) * 1000).toISOString();
    expect(message).to.equal(`Deal ${dealId} can be claimed only after its deadline, ${deadline} (unix ${deal.deadline})`);
    expect(await continuum.isTaskFinalized(dealId, 0n)).to.equal(false);

    const asJson = await claimJson(dealId);
    expect(JSON.parse(asJson.stderr).error).to.deep.include({ code: "DEADLINE_NOT_REACHED" });
  });

  it("refuses an unknown deal and a task index beyond the deal's volume", async () => {
    const unknown = await claim(hexlify(randomBytes(32)));
    expect(unknown.code).to.equal(1);
    expect(errorLine(unknown).code).to.equal("DEAL_NOT_FOUND");

    const beyond = await claim(dealId, "--task", "0", "3");
    expect(beyond.code).to.equal(2);
    expect(errorLine(beyond)).to.deep.equal({
      code: "TASK_INDEX_OUT_OF_RANGE",
      message: `Deal ${dealId} has 3 task(s), numbered 0 to 2; there is no task 3`,
    });
  });

  it("after the deadline, has nothing to claim for a completed task and says so", async () => {
    const node = await NodeControl.of(devnet.provider);
    await node.increaseTime(Number(deal.deadline - BigInt((await devnet.provider.getBlock("latest"))!.timestamp)) + 1);
    await node.mine();
    const run = await claim(dealId, "--task", "1");
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.include("task 1: skipped, already completed");
    expect(run.stderr).to.include("nothing to claim");
    expect(run.stdout).to.match(/^claimed\s+0 of 1 task\(s\): nothing to claim$/m);
    expect(run.stdout).to.match(/^refunded\s+0 CTD$/m);
  });

  it("claims the unfinished tasks in batches, refunding each task's price and paying its stake to the requester", async () => {
    const balanceBefore = (await continuum.balanceOf(requester)) as bigint;
    const lockedBefore = (await continuum.lockedOf(requester)) as bigint;
    const run = await claim(dealId, "--batch-size", "1");
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.include(`claiming tasks 1-1 of 2 of deal ${dealId}`);
    expect(run.stderr).to.include(`claiming tasks 2-2 of 2 of deal ${dealId}`);
    expect(run.stderr).to.include("task 1: skipped, already completed");
    const stake = deal.stakePerTask;
    expect(stake > 0n).to.equal(true);
    const stakeText = `${formatUnits(stake, 18).replace(/\.0$/, "")} CTD`;
    expect(run.stdout).to.match(new RegExp(`^task 0\\s+claimed: refunded 3 CTD, stake received ${stakeText} \\(tx 0x[0-9a-f]{64}\\)$`, "m"));
    expect(run.stdout).to.match(new RegExp(`^task 2\\s+claimed: refunded 3 CTD, stake received ${stakeText} \\(tx 0x[0-9a-f]{64}\\)$`, "m"));
    expect(run.stdout).to.match(/^task 1\s+skipped: already completed$/m);
    expect(run.stdout).to.match(/^claimed\s+2 of 3 task\(s\)$/m);
    expect(run.stdout).to.match(/^refunded\s+6 CTD$/m);

    expect(await continuum.isTaskFinalized(dealId, 0n)).to.equal(true);
    expect(await continuum.isTaskFinalized(dealId, 2n)).to.equal(true);
    expect((await continuum.balanceOf(requester)) - balanceBefore).to.equal(2n * (3n * TOKEN + stake));
    expect(lockedBefore - ((await continuum.lockedOf(requester)) as bigint)).to.equal(2n * 3n * TOKEN);
  });

  it("finds nothing left to claim afterwards, telling claimed from completed tasks (--json)", async () => {
    const run = await claimJson(dealId);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.equal("");
    const shown = JSON.parse(run.stdout);
    expect(shown).to.deep.include({ dealId: dealId.toLowerCase(), requester, claimed: [], refunded: "0", stakeReceived: "0" });
    expect(shown.skipped).to.deep.equal([
      { index: "0", taskId: taskIdOf(dealId, 0n), reason: "claimed" },
      { index: "1", taskId: taskIdOf(dealId, 1n), reason: "completed" },
      { index: "2", taskId: taskIdOf(dealId, 2n), reason: "claimed" },
    ]);
  });
});
