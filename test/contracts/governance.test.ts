// Contract tests of governance: compute categories, the workerpool stake ratio (applied after a
// delay), the SMS signer and the two-step transfer of protocol ownership.
import { expect } from "chai";
import { Wallet, ZeroAddress } from "ethers";
import { DEFAULT_STAKE_RATIO_BPS } from "../../src/chain/deployProtocol.ts";
import {
  MAX_RUN_TIME,
  SMS_KEY,
  defaultOrders,
  loadProtocol,
  loadProtocolWithoutSms,
  matchArgs,
  matchDeal,
  requestOrder,
  signAll,
  workerpoolOrder,
  by,
  type Fixture,
} from "../helpers/protocolFixture.ts";

async function blockTimeOf(f: Fixture, tx: { wait(): Promise<{ blockNumber: number } | null> }): Promise<bigint> {
  const receipt = await tx.wait();
  return BigInt((await f.ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
}

describe("Governance", () => {
  describe("createCategory", () => {
    it("refuses a caller other than the owner with OwnableUnauthorizedAccount", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.stranger).createCategory("M", "4 vCPU", 200n))
        .to.be.revertedWithCustomError(f.continuum, "OwnableUnauthorizedAccount")
        .withArgs(f.stranger.address);
    });

    it("refuses an empty name with InvalidCategory(\"empty name\")", async () => {
      const f = await loadProtocol();
      await expect(f.continuum.createCategory("", "4 vCPU", 200n))
        .to.be.revertedWithCustomError(f.continuum, "InvalidCategory")
        .withArgs("empty name");
    });

    it("refuses a zero maximum run time with InvalidCategory(\"zero maxRunTime\")", async () => {
      const f = await loadProtocol();
      await expect(f.continuum.createCategory("M", "4 vCPU", 0n))
        .to.be.revertedWithCustomError(f.continuum, "InvalidCategory")
        .withArgs("zero maxRunTime");
    });

    it("creates the next category id, emits CategoryCreated and stores the record", async () => {
      const f = await loadProtocol();
      expect(await f.continuum.categoryCount()).to.equal(1n);
      await expect(f.continuum.createCategory("M", "4 vCPU, 8 GiB RAM", 600n))
        .to.emit(f.continuum, "CategoryCreated")
        .withArgs(2n, "M", "4 vCPU, 8 GiB RAM", 600n);
      await expect(f.continuum.createCategory("GPU", "", 3600n))
        .to.emit(f.continuum, "CategoryCreated")
        .withArgs(3n, "GPU", "", 3600n);
      expect(await f.continuum.categoryCount()).to.equal(3n);
      const m = await f.continuum.categoryOf(2n);
      expect(m.name).to.equal("M");
      expect(m.description).to.equal("4 vCPU, 8 GiB RAM");
      expect(m.maxRunTime).to.equal(600n);
      const first = await f.continuum.categoryOf(1n);
      expect(first.name).to.equal("S");
      expect(first.maxRunTime).to.equal(MAX_RUN_TIME);
    });

    it("gives deals of a category a deadline of (10 + volume) times its maximum run time", async () => {
      const f = await loadProtocol();
      await f.continuum.createCategory("L", "16 vCPU", 1000n);
      for (const volume of [1n, 7n]) {
        const orders = await defaultOrders(f, {
          workerpool: await workerpoolOrder(f, { category: 2n }),
          request: await requestOrder(f, { category: 2n, volume }),
        });
        const { deal } = await matchDeal(f, orders);
        expect(deal.category).to.equal(2n);
        expect(deal.volume).to.equal(volume);
        expect(deal.deadline - deal.startTime).to.equal(1000n * (10n + volume));
      }
    });
  });

  describe("categoryOf", () => {
    it("reverts with UnknownCategory for an id never created", async () => {
      const f = await loadProtocol();
      await expect(f.continuum.categoryOf(2n)).to.be.revertedWithCustomError(f.continuum, "UnknownCategory").withArgs(2n);
      await expect(f.continuum.categoryOf(0n)).to.be.revertedWithCustomError(f.continuum, "UnknownCategory").withArgs(0n);
    });

    it("a deal in an unknown category is refused with UnknownCategory", async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f, {
        workerpool: await workerpoolOrder(f, { category: 9n }),
        request: await requestOrder(f, { category: 9n }),
      });
      await expect(f.continuum.matchOrders(...matchArgs(orders, await signAll(f, orders))))
        .to.be.revertedWithCustomError(f.continuum, "UnknownCategory")
        .withArgs(9n);
    });
  });

  describe("setStakeRatio", () => {
    it("starts at the ratio given at deployment", async () => {
      const f = await loadProtocol();
      expect(await f.continuum.stakeRatioBps()).to.equal(DEFAULT_STAKE_RATIO_BPS);
    });

    it("refuses a caller other than the owner with OwnableUnauthorizedAccount", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.poolOwner).setStakeRatio(0n))
        .to.be.revertedWithCustomError(f.continuum, "OwnableUnauthorizedAccount")
        .withArgs(f.poolOwner.address);
      expect(await f.continuum.stakeRatioBps()).to.equal(DEFAULT_STAKE_RATIO_BPS);
    });

    it("refuses a ratio above 10000 bps with InvalidStakeRatio", async () => {
      const f = await loadProtocol();
      await expect(f.continuum.setStakeRatio(10_001n))
        .to.be.revertedWithCustomError(f.continuum, "InvalidStakeRatio")
        .withArgs(10_001n);
    });

    it("accepts the bounds 0 and 10000 bps, each applying a delay after StakeRatioChanged", async () => {
      const f = await loadProtocol();
      const delay = (await f.continuum.STAKE_RATIO_DELAY()) as bigint;
      expect(delay).to.equal(7n * 86_400n);
      for (const ratio of [10_000n, 0n]) {
        const previous = await f.continuum.stakeRatioBps();
        const tx = await f.continuum.setStakeRatio(ratio);
        const effectiveAt = (await blockTimeOf(f, tx)) + delay;
        await expect(tx).to.emit(f.continuum, "StakeRatioChanged").withArgs(ratio, effectiveAt);
        expect(await f.continuum.scheduledStakeRatio()).to.deep.equal([ratio, effectiveAt]);
        expect(await f.continuum.stakeRatioBps()).to.equal(previous);
        await f.connection.networkHelpers.time.increaseTo(effectiveAt);
        expect(await f.continuum.stakeRatioBps()).to.equal(ratio);
      }
    });

    it("a second ratio set before the first applies replaces it and restarts the delay", async () => {
      const f = await loadProtocol();
      await f.continuum.setStakeRatio(5_000n);
      await f.connection.networkHelpers.time.increase(3n * 86_400n);
      await f.continuum.setStakeRatio(1_000n);
      const [, effectiveAt] = await f.continuum.scheduledStakeRatio();
      await f.connection.networkHelpers.time.increaseTo(effectiveAt - 1n);
      expect(await f.continuum.stakeRatioBps()).to.equal(DEFAULT_STAKE_RATIO_BPS);
      await f.connection.networkHelpers.time.increaseTo(effectiveAt);
      expect(await f.continuum.stakeRatioBps()).to.equal(1_000n);
    });

    it("applies to deals matched once in force, rounding the stake up: ceil(price * ratio / 10000), locked per task", async () => {
      const f = await loadProtocol();
      const price = 37n;
      const ratio = 2500n;
      const before = await defaultOrders(f, {
        workerpool: await workerpoolOrder(f, { price }),
        request: await requestOrder(f, { workerpoolMaxPrice: price }),
      });
      const old = await matchDeal(f, before);
      expect(old.deal.stakePerTask).to.equal(12n); // ceil(37 * 3000 / 10000) = ceil(11.1)

      await f.continuum.setStakeRatio(ratio);
      const pending = await matchDeal(f, await defaultOrders(f, {
        workerpool: await workerpoolOrder(f, { price }),
        request: await requestOrder(f, { workerpoolMaxPrice: price }),
      }));
      expect(pending.deal.stakePerTask, "a ratio not yet in force changed a deal").to.equal(12n);

      await f.connection.networkHelpers.time.increase(await f.continuum.STAKE_RATIO_DELAY());
      const lockedBefore = await f.continuum.lockedOf(f.poolOwner.address);
      const after = await defaultOrders(f, {
        workerpool: await workerpoolOrder(f, { price }),
        request: await requestOrder(f, { workerpoolMaxPrice: price, volume: 3n }),
      });
      const { deal } = await matchDeal(f, after);
      expect(deal.stakePerTask).to.equal(10n); // ceil(37 * 2500 / 10000) = ceil(9.25)
      expect(deal.volume).to.equal(3n);
      expect(await f.continuum.lockedOf(f.poolOwner.address)).to.equal(lockedBefore + deal.stakePerTask * 3n);
    });

    it("stakes at least one unit for any non-zero price and ratio, and nothing for a free pool", async () => {
      const f = await loadProtocol();
      const tiny = await matchDeal(f, await defaultOrders(f, {
        workerpool: await workerpoolOrder(f, { price: 1n }),
        request: await requestOrder(f, { workerpoolMaxPrice: 1n }),
      }));
      expect(tiny.deal.stakePerTask).to.equal(1n);
      const free = await matchDeal(f, await defaultOrders(f, {
        workerpool: await workerpoolOrder(f, { price: 0n }),
        request: await requestOrder(f, { workerpoolMaxPrice: 0n }),
      }));
      expect(free.deal.stakePerTask).to.equal(0n);
    });
  });

  describe("setSmsSigner", () => {
    it("is set at deployment when given, and zero otherwise", async () => {
      expect(await (await loadProtocol()).continuum.smsSigner()).to.equal(SMS_KEY.address);
      expect(await (await loadProtocolWithoutSms()).continuum.smsSigner()).to.equal(ZeroAddress);
    });

    it("registers and rotates the signer, emitting SmsSignerChanged", async () => {
      const f = await loadProtocolWithoutSms();
      await expect(f.continuum.setSmsSigner(SMS_KEY.address))
        .to.emit(f.continuum, "SmsSignerChanged")
        .withArgs(ZeroAddress, SMS_KEY.address);
      const next = Wallet.createRandom().address;
      await expect(f.continuum.setSmsSigner(next)).to.emit(f.continuum, "SmsSignerChanged").withArgs(SMS_KEY.address, next);
      expect(await f.continuum.smsSigner()).to.equal(next);
    });

    it("refuses a caller other than the owner (OwnableUnauthorizedAccount) and the zero address (ZeroAddress)", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.poolOwner).setSmsSigner(f.poolOwner.address))
        .to.be.revertedWithCustomError(f.continuum, "OwnableUnauthorizedAccount")
        .withArgs(f.poolOwner.address);
      await expect(f.continuum.setSmsSigner(ZeroAddress)).to.be.revertedWithCustomError(f.continuum, "ZeroAddress");
      expect(await f.continuum.smsSigner()).to.equal(SMS_KEY.address);
    });
  });

  describe("two-step ownership", () => {
    it("the new owner must accept before it can create categories", async () => {
      const f = await loadProtocol();
      await expect(f.continuum.transferOwnership(f.stranger.address))
        .to.emit(f.continuum, "OwnershipTransferStarted")
        .withArgs(f.deployer.address, f.stranger.address);
      expect(await f.continuum.owner()).to.equal(f.deployer.address);
      expect(await f.continuum.pendingOwner()).to.equal(f.stranger.address);
      await expect(by(f.continuum, f.stranger).createCategory("M", "", 10n))
        .to.be.revertedWithCustomError(f.continuum, "OwnableUnauthorizedAccount")
        .withArgs(f.stranger.address);

      await expect(by(f.continuum, f.stranger).acceptOwnership())
        .to.emit(f.continuum, "OwnershipTransferred")
        .withArgs(f.deployer.address, f.stranger.address);
      expect(await f.continuum.owner()).to.equal(f.stranger.address);
      expect(await f.continuum.pendingOwner()).to.equal("0x0000000000000000000000000000000000000000");
      await expect(by(f.continuum, f.stranger).createCategory("M", "", 10n))
        .to.emit(f.continuum, "CategoryCreated")
        .withArgs(2n, "M", "", 10n);
      await expect(f.continuum.createCategory("L", "", 10n))
        .to.be.revertedWithCustomError(f.continuum, "OwnableUnauthorizedAccount")
        .withArgs(f.deployer.address);
    });

    it("a third party cannot accept a pending transfer", async () => {
      const f = await loadProtocol();
      await f.continuum.transferOwnership(f.stranger.address);
      await expect(by(f.continuum, f.beneficiary).acceptOwnership())
        .to.be.revertedWithCustomError(f.continuum, "OwnableUnauthorizedAccount")
        .withArgs(f.beneficiary.address);
      expect(await f.continuum.owner()).to.equal(f.deployer.address);
    });

    it("only the owner can start a transfer", async () => {
      const f = await loadProtocol();
      await expect(by(f.continuum, f.stranger).transferOwnership(f.stranger.address))
        .to.be.revertedWithCustomError(f.continuum, "OwnableUnauthorizedAccount")
        .withArgs(f.stranger.address);
    });
  });
});
