// Contract tests of the escrow: deposits, deposits for another account, withdrawals, funds locked
// by deals, the token's own refusals, and tokens that take a fee or call back.
import { expect } from "chai";
import { MaxUint256, type Contract } from "ethers";
import { deployProtocol } from "../../src/chain/deployProtocol.ts";
import { ZERO_ADDRESS } from "../../src/wire/eip712/index.ts";
import { FUNDS, connection, defaultOrders, loadProtocol, matchDeal, type Fixture, by } from "../helpers/protocolFixture.ts";

const MAX_UINT128 = (1n << 128n) - 1n;

/** token.balanceOf(escrow) must equal the sum of every account's free and locked funds. */
async function expectEscrowBacked(f: Fixture) {
  const accounts = [f.deployer, f.appOwner, f.datasetOwner, f.poolOwner, f.requester, f.worker, f.beneficiary, f.stranger];
  let total = 0n;
  for (const account of accounts) {
    total += (await f.continuum.balanceOf(account.address)) + (await f.continuum.lockedOf(account.address));
  }
  expect(await f.token.balanceOf(f.deployment.continuum)).to.equal(total);
}

describe("Escrow", () => {
  describe("deposit", () => {
    it("refuses a zero amount with ZeroAmount", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.stranger).deposit(0n)).to.be.revertedWithCustomError(f.continuum, "ZeroAmount");
    });

    it("credits the caller, moves the tokens into the contract and emits Deposited", async () => {
      const f = await loadProtocol();
      const amount = 1234n;
      const tx = by(f.continuum, f.stranger).deposit(amount);
      await expect(tx).to.emit(f.continuum, "Deposited").withArgs(f.stranger.address, f.stranger.address, amount);
      await expect(tx).to.changeTokenBalances(f.ethers, f.token, [f.stranger, f.continuum], [-amount, amount]);
      expect(await f.continuum.balanceOf(f.stranger.address)).to.equal(amount);
      expect(await f.continuum.lockedOf(f.stranger.address)).to.equal(0n);
      await expectEscrowBacked(f);
    });

    it("adds successive deposits to the same balance", async () => {
      const f = await loadProtocol();
      const before = await f.continuum.balanceOf(f.requester.address);
      await by(f.continuum, f.requester).deposit(10n);
      await by(f.continuum, f.requester).deposit(32n);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(before + 42n);
    });

    it("reverts with the token's ERC20InsufficientAllowance when the escrow is not approved", async () => {
      const f = await loadProtocol();
      await f.token.mint(f.beneficiary.address, 100n);
      await expect(by(f.continuum, f.beneficiary).deposit(100n))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(f.deployment.continuum, 0n, 100n);
      expect(await f.continuum.balanceOf(f.beneficiary.address)).to.equal(0n);
      expect(await f.token.balanceOf(f.beneficiary.address)).to.equal(100n);
    });

    it("reverts with the token's ERC20InsufficientBalance when the caller lacks the tokens", async () => {
      const f = await loadProtocol();
      await by(f.token, f.beneficiary).approve(f.deployment.continuum, 100n);
      await expect(by(f.continuum, f.beneficiary).deposit(100n))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientBalance")
        .withArgs(f.beneficiary.address, 0n, 100n);
    });

    it("refuses an amount above uint128 with SafeCastOverflowedUintDowncast", async () => {
      const f = await loadProtocol();
      const huge = MAX_UINT128 + 1n;
      await f.token.mint(f.beneficiary.address, huge);
      await by(f.token, f.beneficiary).approve(f.deployment.continuum, huge);
      await expect(by(f.continuum, f.beneficiary).deposit(huge))
        .to.be.revertedWithCustomError(f.continuum, "SafeCastOverflowedUintDowncast")
        .withArgs(128, huge);
    });

    it("reverts with an overflow panic when a balance would exceed uint128", async () => {
      const f = await loadProtocol();
      const existing = await f.continuum.balanceOf(f.requester.address);
      const topUp = MAX_UINT128 - existing + 1n;
      await f.token.mint(f.requester.address, topUp);
      await by(f.token, f.requester).approve(f.deployment.continuum, topUp);
      await expect(by(f.continuum, f.requester).deposit(topUp)).to.be.revertedWithPanic(0x11);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(existing);
    });
  });

  describe("depositFor", () => {
    it("refuses the zero address with ZeroAddress", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.stranger).depositFor(ZERO_ADDRESS, 5n))
        .to.be.revertedWithCustomError(f.continuum, "ZeroAddress");
    });

    it("refuses a zero amount with ZeroAmount", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.stranger).depositFor(f.beneficiary.address, 0n))
        .to.be.revertedWithCustomError(f.continuum, "ZeroAmount");
    });

    it("credits the other account with the caller's tokens and emits Deposited(from, account, amount)", async () => {
      const f = await loadProtocol();
      const amount = 777n;
      const tx = by(f.continuum, f.stranger).depositFor(f.beneficiary.address, amount);
      await expect(tx).to.emit(f.continuum, "Deposited").withArgs(f.stranger.address, f.beneficiary.address, amount);
      await expect(tx).to.changeTokenBalances(f.ethers, f.token, [f.stranger, f.continuum], [-amount, amount]);
      expect(await f.continuum.balanceOf(f.beneficiary.address)).to.equal(amount);
      expect(await f.continuum.balanceOf(f.stranger.address)).to.equal(0n);
      await expectEscrowBacked(f);
    });

    it("lets the credited account, not the payer, withdraw the deposit", async () => {
      const f = await loadProtocol();
      await by(f.continuum, f.stranger).depositFor(f.beneficiary.address, 50n);
      await expect(by(f.continuum, f.stranger).withdraw(50n))
        .to.be.revertedWithCustomError(f.continuum, "InsufficientBalance")
        .withArgs(f.stranger.address, 0n, 50n);
      await expect(by(f.continuum, f.beneficiary).withdraw(50n)).to.changeTokenBalance(
        f.ethers, f.token, f.beneficiary, 50n,
      );
    });
  });

  describe("withdraw", () => {
    it("refuses a zero amount with ZeroAmount", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.requester).withdraw(0n)).to.be.revertedWithCustomError(f.continuum, "ZeroAmount");
    });

    it("refuses more than the free balance with InsufficientBalance(account, balance, needed)", async () => {
      const f = await loadProtocol();
      const balance = FUNDS / 2n;
      await expect(by(f.continuum, f.requester).withdraw(balance + 1n))
        .to.be.revertedWithCustomError(f.continuum, "InsufficientBalance")
        .withArgs(f.requester.address, balance, balance + 1n);
    });

    it("refuses an account that never deposited", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.worker).withdraw(1n))
        .to.be.revertedWithCustomError(f.continuum, "InsufficientBalance")
        .withArgs(f.worker.address, 0n, 1n);
    });

    it("returns the tokens, lowers the balance and emits Withdrawn", async () => {
      const f = await loadProtocol();
      const amount = 1000n;
      const tx = by(f.continuum, f.requester).withdraw(amount);
      await expect(tx).to.emit(f.continuum, "Withdrawn").withArgs(f.requester.address, amount);
      await expect(tx).to.changeTokenBalances(f.ethers, f.token, [f.continuum, f.requester], [-amount, amount]);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(FUNDS / 2n - amount);
      await expectEscrowBacked(f);
    });

    it("can withdraw the whole free balance", async () => {
      const f = await loadProtocol();
      await by(f.continuum, f.requester).withdraw(FUNDS / 2n);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(0n);
      expect(await f.token.balanceOf(f.requester.address)).to.equal(FUNDS);
      await expectEscrowBacked(f);
    });
  });

  describe("locked funds", () => {
    it("locks the requester's payment and the workerpool's stake when a deal is matched", async () => {
      const f = await loadProtocol();
      const { deal } = await matchDeal(f, await defaultOrders(f));
      const payment = (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice) * deal.volume;
      const stake = deal.stakePerTask * deal.volume;
      expect(payment).to.be.greaterThan(0n);
      expect(stake).to.be.greaterThan(0n);
      expect(await f.continuum.lockedOf(f.requester.address)).to.equal(payment);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(FUNDS / 2n - payment);
      expect(await f.continuum.lockedOf(f.poolOwner.address)).to.equal(stake);
      expect(await f.continuum.balanceOf(f.poolOwner.address)).to.equal(FUNDS / 2n - stake);
      await expectEscrowBacked(f);
    });

    it("cannot be withdrawn: only the free balance can", async () => {
      const f = await loadProtocol();
      await matchDeal(f, await defaultOrders(f));
      const locked = await f.continuum.lockedOf(f.requester.address);
      const free = await f.continuum.balanceOf(f.requester.address);
      expect(locked).to.be.greaterThan(0n);

      await expect(by(f.continuum, f.requester).withdraw(free + 1n))
        .to.be.revertedWithCustomError(f.continuum, "InsufficientBalance")
        .withArgs(f.requester.address, free, free + 1n);
      await expect(by(f.continuum, f.requester).withdraw(free + locked))
        .to.be.revertedWithCustomError(f.continuum, "InsufficientBalance")
        .withArgs(f.requester.address, free, free + locked);

      await by(f.continuum, f.requester).withdraw(free);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(0n);
      expect(await f.continuum.lockedOf(f.requester.address)).to.equal(locked);
      await expect(by(f.continuum, f.requester).withdraw(1n))
        .to.be.revertedWithCustomError(f.continuum, "InsufficientBalance")
        .withArgs(f.requester.address, 0n, 1n);
      await expectEscrowBacked(f);
    });
  });

  describe("with a fee-on-transfer token (1% burnt per transfer)", () => {
    it("credits what arrived, not the amount sent, and emits Deposited with it", async () => {
      const t = await connection.networkHelpers.loadFixture(feeTokenProtocol);
      const tx = by(t.continuum, t.alice).deposit(10_000n);
      await expect(tx).to.emit(t.continuum, "Deposited").withArgs(t.alice.address, t.alice.address, 9_900n);
      await expect(tx).to.changeTokenBalances(t.ethers, t.token, [t.alice, t.continuum], [-10_000n, 9_900n]);
      expect(await t.continuum.balanceOf(t.alice.address)).to.equal(9_900n);
      await expect(by(t.continuum, t.alice).depositFor(t.bob.address, 1_000n))
        .to.emit(t.continuum, "Deposited")
        .withArgs(t.alice.address, t.bob.address, 990n);
      expect(await t.continuum.balanceOf(t.bob.address)).to.equal(990n);
      await expectFeeEscrowBacked(t);
    });

    it("withdraws the amount asked from the escrow; the receiver gets what the token leaves of it", async () => {
      const t = await connection.networkHelpers.loadFixture(feeTokenProtocol);
      await by(t.continuum, t.alice).deposit(10_000n);
      const tx = by(t.continuum, t.alice).withdraw(5_000n);
      await expect(tx).to.emit(t.continuum, "Withdrawn").withArgs(t.alice.address, 5_000n);
      await expect(tx).to.changeTokenBalances(t.ethers, t.token, [t.continuum, t.alice], [-5_000n, 4_950n]);
      expect(await t.continuum.balanceOf(t.alice.address)).to.equal(4_900n);
      await expectFeeEscrowBacked(t);
    });

    it("refuses a withdrawal that costs the escrow more than the amount (TokenTransferMismatch)", async () => {
      const t = await connection.networkHelpers.loadFixture(feeTokenProtocol);
      await by(t.continuum, t.alice).deposit(10_000n);
      await t.token.setFeeOnTop(true);
      await expect(by(t.continuum, t.alice).withdraw(5_000n))
        .to.be.revertedWithCustomError(t.continuum, "TokenTransferMismatch")
        .withArgs(5_000n, 5_050n);
      expect(await t.continuum.balanceOf(t.alice.address)).to.equal(9_900n);
      await expectFeeEscrowBacked(t);
    });

    it("refuses a deposit of which nothing arrives (ZeroAmount)", async () => {
      const t = await connection.networkHelpers.loadFixture(wholeFeeTokenProtocol);
      await expect(by(t.continuum, t.alice).deposit(1_000n)).to.be.revertedWithCustomError(t.continuum, "ZeroAmount");
      expect(await t.continuum.balanceOf(t.alice.address)).to.equal(0n);
    });

    it("refuses a deposit or a withdrawal nested in a token callback (ReentrancyGuardReentrantCall)", async () => {
      const t = await connection.networkHelpers.loadFixture(feeTokenProtocol);
      await by(t.continuum, t.alice).deposit(10_000n);
      const nestedDeposit = t.continuum.interface.encodeFunctionData("deposit", [1_000n]);
      await t.token.setCallback(t.deployment.continuum, nestedDeposit);
      await expect(by(t.continuum, t.alice).deposit(1_000n)).to.be.revertedWithCustomError(
        t.continuum,
        "ReentrancyGuardReentrantCall",
      );
      await t.token.setCallback(t.deployment.continuum, nestedDeposit);
      await expect(by(t.continuum, t.alice).withdraw(1_000n)).to.be.revertedWithCustomError(
        t.continuum,
        "ReentrancyGuardReentrantCall",
      );
      expect(await t.continuum.balanceOf(t.alice.address)).to.equal(9_900n);
      await expectFeeEscrowBacked(t);
    });
  });
});

/** A protocol paid in FeeOnTransferToken (1% fee), with two funded, approving accounts. */
function feeTokenProtocol() {
  return deployFeeTokenProtocol(100n);
}

/** The same with a token that burns everything transferred. */
function wholeFeeTokenProtocol() {
  return deployFeeTokenProtocol(10_000n);
}

async function deployFeeTokenProtocol(feeBps: bigint) {
  const { ethers } = connection;
  const [deployer, alice, bob] = await ethers.getSigners();
  const token = (await ethers.deployContract("FeeOnTransferToken", [feeBps])) as unknown as Contract;
  const deployment = await deployProtocol(deployer, { token: await token.getAddress() });
  const continuum = (await ethers.getContractAt("Continuum", deployment.continuum)) as unknown as Contract;
  for (const account of [alice, bob]) {
    await token.mint(account.address, 1_000_000n);
    await by(token, account).approve(deployment.continuum, MaxUint256);
  }
  return { ethers, token, continuum, deployment, alice, bob };
}

async function expectFeeEscrowBacked(t: Awaited<ReturnType<typeof deployFeeTokenProtocol>>) {
  const held = (await t.continuum.balanceOf(t.alice.address)) + (await t.continuum.balanceOf(t.bob.address));
  expect(await t.token.balanceOf(t.deployment.continuum)).to.equal(held);
}
