// `continuum protocol` against an independent chain (Anvil, not Hardhat): deploy the protocol with a
// devnet token or an existing ERC-20, record the deployment per chain id with its code hashes,
// govern categories and the SMS signer, and refuse a deployment whose code is not on the chain,
// in the CLI and in a service alike.
import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { JsonRpcProvider, Wallet, keccak256, parseEther } from "ethers";
import { smsSignerOf } from "../../../src/chain/smsSigner.ts";
import { loadConfig } from "../../../src/config/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { startAnvilNode, type AnvilNode } from "../../../src/devnet/anvilNode.ts";
import { startMarket } from "../../../src/market/service/startMarket.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { FAST_KDF, PASSWORD, errorLine, runCli } from "./cliTestKit.ts";

const CONTRACTS = ["token", "continuum", "appRegistry", "datasetRegistry", "workerpoolRegistry"] as const;

describe("continuum protocol on Anvil", function () {
  this.timeout(180_000);
  const env = { CONTINUUM_PASSWORD: PASSWORD };
  let node: AnvilNode;
  let provider: JsonRpcProvider;
  let dataDir: TemporaryDirectory;
  let global: string[];
  let owner: string;
  let deployment: Record<string, any>;
  const smsSigner = Wallet.createRandom().address;

  before(async () => {
    node = await startAnvilNode({ host: "127.0.0.1", port: 0 });
    provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1 });
    dataDir = await createTemporaryDirectory("continuum-protocol-");
    global = ["--data-dir", dataDir.path];
    const created = await runCli([...FAST_KDF, ...global, "--json", "wallet", "create"], { env });
    expect(created.code, created.stderr).to.equal(0);
    owner = JSON.parse(created.stdout).address;
    const funder = await provider.getSigner(0);
    await (await funder.sendTransaction({ to: owner, value: parseEther("100") })).wait();
  });

  after(async () => {
    provider?.destroy();
    await node?.stop();
    await dataDir?.remove();
  });

  it("deploys the registries, the protocol and a devnet token, and records them under the chain id with their code hashes", async () => {
    const run = await runCli([...global, "--json", "protocol", "deploy", "--rpc-url", node.url, "--sms-signer", smsSigner], { env });
    expect(run.code, run.stderr).to.equal(0);
    const printed = JSON.parse(run.stdout);
    const keyed = join(dataDir.path, "deployments", "31337.json");
    expect(printed.files).to.deep.equal([keyed, join(dataDir.path, "deployment.json")]);
    deployment = JSON.parse(await readFile(keyed, "utf8"));
    expect(JSON.parse(await readFile(join(dataDir.path, "deployment.json"), "utf8"))).to.deep.equal(deployment);
    expect(deployment).to.include({ chainId: "31337", rpcUrl: node.url, owner, deployer: owner, paymentToken: "devnet" });
    expect(deployment.deployBlock).to.be.a("number").and.be.lessThan(await provider.getBlockNumber());
    for (const name of CONTRACTS) {
      expect(deployment.codeHashes[name], name).to.equal(keccak256(await provider.getCode(deployment[name])));
    }
    expect(new Set(CONTRACTS.map((name) => deployment.codeHashes[name])).size, "five different contracts").to.equal(5);
    expect(await smsSignerOf(provider, { continuum: deployment.continuum })).to.equal(smsSigner);
  });

  it("refuses to overwrite a deployment without --force, a token that is no ERC-20, and an unreachable node", async () => {
    const again = await runCli([...global, "protocol", "deploy", "--rpc-url", node.url], { env });
    expect(again.code).to.equal(1);
    expect(errorLine(again).code).to.equal("DEPLOYMENT_EXISTS");

    const other = await createTemporaryDirectory("continuum-protocol-other-");
    try {
      const keyFile = join(dataDir.path, "keys", "wallet.json");
      const notToken = await runCli(["--data-dir", other.path, "--key-file", keyFile, "protocol", "deploy", "--rpc-url", node.url, "--token", deployment.appRegistry], { env });
      expect(notToken.code).to.equal(1);
      expect(errorLine(notToken).code).to.equal("TOKEN_NOT_ERC20");
      const noCode = await runCli(["--data-dir", other.path, "--key-file", keyFile, "protocol", "deploy", "--rpc-url", node.url, "--token", Wallet.createRandom().address], { env });
      expect(errorLine(noCode).code).to.equal("TOKEN_NOT_ERC20");
      const unreachable = await runCli(["--data-dir", other.path, "--key-file", keyFile, "protocol", "deploy", "--rpc-url", "http://127.0.0.1:9"], { env });
      expect(errorLine(unreachable).code).to.equal("CHAIN_UNREACHABLE");
    } finally {
      await other.remove();
    }
  });

  it("deploys a second protocol paying in an existing ERC-20", async () => {
    const other = await createTemporaryDirectory("continuum-protocol-erc20-");
    try {
      const keyFile = join(dataDir.path, "keys", "wallet.json");
      const run = await runCli(["--data-dir", other.path, "--key-file", keyFile, "--rpc-url", node.url, "--json", "protocol", "deploy", "--token", deployment.token], { env });
      expect(run.code, run.stderr).to.equal(0);
      const second = JSON.parse(run.stdout);
      expect(second).to.include({ token: deployment.token, paymentToken: "existing" });
      expect(second.continuum).to.not.equal(deployment.continuum);
      expect(await smsSignerOf(provider, { continuum: second.continuum }), "no SMS signer until one is set").to.match(/^0x0{40}$/);
    } finally {
      await other.remove();
    }
  });

  it("creates and lists categories as the owner, and refuses another account", async () => {
    for (const [name, description, seconds] of [["S", "1 vCPU, 2 GiB RAM", "60"], ["XL", "16 vCPU, 64 GiB RAM", "3600"]] as const) {
      const add = await runCli([...global, "--json", "protocol", "category", "add", "--name", name, "--description", description, "--max-run-time", seconds], { env });
      expect(add.code, add.stderr).to.equal(0);
    }
    const list = await runCli([...global, "--json", "protocol", "category", "list"]);
    expect(list.code, list.stderr).to.equal(0);
    expect(JSON.parse(list.stdout).categories).to.deep.equal([
      { id: "1", name: "S", description: "1 vCPU, 2 GiB RAM", maxRunTime: "60" },
      { id: "2", name: "XL", description: "16 vCPU, 64 GiB RAM", maxRunTime: "3600" },
    ]);
    const human = await runCli([...global, "protocol", "category", "list"]);
    expect(human.stdout).to.match(/^2  XL\s+16 vCPU, 64 GiB RAM \(max run 3600 s\)$/m);

    const strangerKey = join(dataDir.path, "keys", "stranger.json");
    const made = await runCli([...FAST_KDF, ...global, "--key-file", strangerKey, "wallet", "create"], { env });
    expect(made.code, made.stderr).to.equal(0);
    const refused = await runCli([...global, "--key-file", strangerKey, "protocol", "category", "add", "--name", "M", "--description", "x", "--max-run-time", "1"], { env });
    expect(refused.code).to.equal(1);
    expect(errorLine(refused).code).to.equal("NOT_PROTOCOL_OWNER");
  });

  it("rotates the SMS signer and shows it", async () => {
    const next = Wallet.createRandom().address;
    const set = await runCli([...global, "protocol", "sms-signer", "set", next], { env });
    expect(set.code, set.stderr).to.equal(0);
    const shown = await runCli([...global, "--json", "protocol", "sms-signer", "show"]);
    expect(JSON.parse(shown.stdout)).to.deep.equal({ smsSigner: next });
    const show = await runCli([...global, "--json", "protocol", "show"]);
    expect(JSON.parse(show.stdout)).to.include({ codeVerified: true, owner, smsSigner: next, categories: 2 });
  });

  it("refuses a deployment whose code on the chain is not the code recorded, in the CLI and in the market", async () => {
    const tampered = await createTemporaryDirectory("continuum-protocol-tampered-");
    try {
      const wrongFile = join(tampered.path, "deployment.json");
      // The dataset registry's address in the app registry's place: code is there, but not the code deployed.
      await writeFile(wrongFile, JSON.stringify({ ...deployment, appRegistry: deployment.datasetRegistry }));
      const run = await runCli(["--data-dir", tampered.path, "protocol", "show"]);
      expect(run.code).to.equal(1);
      const { code, message } = errorLine(run);
      expect(code).to.equal("DEPLOYMENT_CODE_MISMATCH");
      expect(message).to.include(`${deployment.datasetRegistry} (appRegistry)`);

      const config = loadConfig({ env: {}, overrides: { dataDir: tampered.path, chain: { rpcUrl: node.url }, market: { port: 0 } } });
      const refusal = await startMarket({ config, logger: silentLogger() }).then(
        async (market) => {
          await market.close();
          return undefined;
        },
        (error: { code?: string; details?: Record<string, unknown> }) => error,
      );
      expect(refusal?.code, "the market refuses to start").to.equal("DEPLOYMENT_CODE_MISMATCH");
      expect(refusal?.details).to.include({ contract: "appRegistry", expected: deployment.codeHashes.appRegistry });

      await writeFile(wrongFile, JSON.stringify({ ...deployment, continuum: Wallet.createRandom().address }));
      const empty = await runCli(["--data-dir", tampered.path, "protocol", "show"]);
      expect(errorLine(empty).code).to.equal("DEPLOYMENT_NOT_ON_CHAIN");

      const { codeHashes: _omitted, ...withoutHashes } = deployment;
      await writeFile(wrongFile, JSON.stringify(withoutHashes));
      const old = await runCli(["--data-dir", tampered.path, "protocol", "show"]);
      expect(errorLine(old).code).to.equal("DEPLOYMENT_INVALID");
      expect(errorLine(old).message).to.include("codeHashes");
    } finally {
      await tampered.remove();
    }
  });
});
