// The chain commands of `continuum` against a real Hardhat JSON-RPC node: escrow deposit, withdraw
// and balance, workerpool registration and reputation, and the errors a user meets on the way.
import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { freePort } from "../../helpers/freePort.ts";
import { PASSWORD, errorLine, runCli, useCliDevnetWithWallet } from "./cliTestKit.ts";

describe("continuum chain commands", function () {
  this.timeout(120_000);
  const cli = useCliDevnetWithWallet("100");
  const env = { CONTINUUM_PASSWORD: PASSWORD };

  it("deposits tokens into the escrow, and `escrow balance` shows them", async () => {
    const deposit = await runCli([...cli.global, "escrow", "deposit", "12.5"], { env });
    expect(deposit.code, deposit.stderr).to.equal(0);
    expect(deposit.stdout).to.match(/^escrow balance\s+12\.5 CTD$/m);
    expect(deposit.stderr).to.include("approving the escrow");

    const balance = await runCli([...cli.global, "--json", "escrow", "balance"]);
    expect(balance.code, balance.stderr).to.equal(0);
    const shown = JSON.parse(balance.stdout);
    expect(shown).to.deep.include({ account: cli.address, balance: "12.5", locked: "0", tokenBalance: "87.5" });
    expect(shown.units.balance).to.equal("12500000000000000000");
    expect(shown.token.symbol).to.equal("CTD");

    const other = await runCli([...cli.global, "escrow", "balance", cli.devnet.deployment.continuum]);
    expect(other.stdout).to.match(/^escrow balance\s+0 CTD$/m);
  });

  it("withdraws part of the balance and refuses more than the balance with a decoded contract error", async () => {
    const withdraw = await runCli([...cli.global, "--json", "escrow", "withdraw", "2.5"], { env });
    expect(withdraw.code, withdraw.stderr).to.equal(0);
    expect(withdraw.stderr).to.equal("");
    expect(JSON.parse(withdraw.stdout)).to.deep.include({ withdrawn: "2.5", balance: "10" });

    const tooMuch = await runCli([...cli.global, "escrow", "withdraw", "1000"], { env });
    expect(tooMuch.code).to.equal(1);
    const { code, message } = errorLine(tooMuch);
    expect(code).to.equal("INSUFFICIENT_BALANCE");
    expect(message).to.equal(`The escrow balance of ${cli.address} is 10 CTD, less than the 1000 CTD needed`);

    const asJson = await runCli([...cli.global, "--json", "escrow", "withdraw", "1000"], { env });
    expect(asJson.code).to.equal(1);
    expect(JSON.parse(asJson.stderr).error).to.deep.include({ code: "INSUFFICIENT_BALANCE" });
    expect(JSON.parse(asJson.stderr).error.details).to.deep.include({ contractError: "InsufficientBalance" });
  });

  it("refuses to deposit more tokens than the account holds, before sending anything", async () => {
    const run = await runCli([...cli.global, "escrow", "deposit", "5000"], { env });
    expect(run.code).to.equal(1);
    expect(errorLine(run).code).to.equal("INSUFFICIENT_TOKENS");
    expect(run.stderr).to.not.include("depositing");
  });

  it("registers a workerpool and shows it with its reputation", async () => {
    const register = ["workerpool", "register", "--description", "4 vCPU SGX nodes, Lyon"];
    const registered = await runCli([...cli.global, "--json", ...register], { env });
    expect(registered.code, registered.stderr).to.equal(0);
    const { id, owner } = JSON.parse(registered.stdout);
    expect(id).to.match(/^[1-9][0-9]*$/);
    expect(owner).to.equal(cli.address);

    const shown = await runCli([...cli.global, "workerpool", "show", id]);
    expect(shown.code, shown.stderr).to.equal(0);
    expect(shown.stdout).to.match(new RegExp(`^owner\\s+${cli.address}$`, "m"));
    expect(shown.stdout).to.match(/^description\s+4 vCPU SGX nodes, Lyon$/m);

    const reputation = await runCli([...cli.global, "--json", "reputation", id]);
    expect(JSON.parse(reputation.stdout)).to.deep.equal({
      workerpool: id,
      completed: 0,
      failed: 0,
      scoreBps: 5000,
      score: 0.5,
    });

    const unknown = await runCli([...cli.global, "workerpool", "show", "999"]);
    expect(unknown.code).to.equal(1);
    expect(errorLine(unknown).code).to.equal("WORKERPOOL_NOT_FOUND");
  });

  it("says the password is wrong before contacting the chain", async () => {
    // The node URL points at a closed port: the password check must fail first.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli([...cli.global, "--rpc-url", closed, "escrow", "withdraw", "1"], {
      env: { CONTINUUM_PASSWORD: "not the password" },
    });
    expect(run.code).to.equal(1);
    expect(errorLine(run).code).to.equal("WRONG_PASSWORD");
    expect(run.stderr).to.not.include("not the password");
  });

  it("says how to get a deployment when deployment.json is missing", async () => {
    const empty = await createTemporaryDirectory("continuum-cli-empty-");
    try {
      const run = await runCli(["--data-dir", empty.path, "escrow", "balance", cli.address]);
      expect(run.code).to.equal(1);
      const { code, message } = errorLine(run);
      expect(code).to.equal("DEPLOYMENT_NOT_FOUND");
      expect(message).to.include(join(empty.path, "deployment.json"));
      expect(message).to.include("npm start");

      const asJson = await runCli(["--data-dir", empty.path, "--json", "escrow", "balance", cli.address]);
      expect(JSON.parse(asJson.stderr).error.code).to.equal("DEPLOYMENT_NOT_FOUND");
    } finally {
      await empty.remove();
    }
  });

  it("reports an unreachable node and a deployment that is not on the chain", async () => {
    const closedPort = await freePort();
    const closedUrl = `http://127.0.0.1:${closedPort}`;
    const unreachable = await runCli([...cli.global, "--rpc-url", closedUrl, "escrow", "balance", cli.address]);
    expect(unreachable.code).to.equal(1);
    expect(errorLine(unreachable).code).to.equal("CHAIN_UNREACHABLE");

    const stale = await createTemporaryDirectory("continuum-cli-stale-");
    try {
      const wrongAddress = "0x000000000000000000000000000000000000dEaD";
      const staleDeployment = { ...cli.devnet.deployment, continuum: wrongAddress };
      await writeFile(join(stale.path, "deployment.json"), JSON.stringify(staleDeployment));
      const run = await runCli(["--data-dir", stale.path, "escrow", "balance", cli.address]);
      expect(run.code).to.equal(1);
      expect(errorLine(run).code).to.equal("DEPLOYMENT_NOT_ON_CHAIN");
    } finally {
      await stale.remove();
    }
  });
});
