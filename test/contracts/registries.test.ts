// Contract tests of the three asset registries: registration, records, unknown ids, workerpool
// descriptions, ERC-721 ownership transfer and asset epochs.
import { expect } from "chai";
import { hexlify, randomBytes, type Contract, type Signer } from "ethers";
import { ZERO_ADDRESS, ZERO_BYTES32 } from "../../src/wire/eip712/index.ts";
import { loadProtocol, type Fixture, by } from "../helpers/protocolFixture.ts";

const digest = () => hexlify(randomBytes(32));

/** A registry freshly deployed on the fixture's chain, so ids start from 1. */
async function freshRegistry(f: Fixture, name: "AppRegistry" | "DatasetRegistry" | "WorkerpoolRegistry") {
  const contract = await f.ethers.deployContract(name);
  await contract.waitForDeployment();
  return contract as unknown as Contract;
}

describe("AppRegistry", () => {
  describe("registerApp", () => {
    it("refuses an empty name with EmptyField(\"name\")", async () => {
      const f = await loadProtocol();
      await expect(f.apps.registerApp(f.appOwner.address, "", "bafyapp", digest(), digest()))
        .to.be.revertedWithCustomError(f.apps, "EmptyField")
        .withArgs("name");
    });

    it("refuses an empty bundle CID with EmptyField(\"bundleCid\")", async () => {
      const f = await loadProtocol();
      await expect(f.apps.registerApp(f.appOwner.address, "app", "", digest(), digest()))
        .to.be.revertedWithCustomError(f.apps, "EmptyField")
        .withArgs("bundleCid");
    });

    it("refuses a zero checksum with EmptyDigest(\"checksum\")", async () => {
      const f = await loadProtocol();
      await expect(f.apps.registerApp(f.appOwner.address, "app", "bafyapp", ZERO_BYTES32, digest()))
        .to.be.revertedWithCustomError(f.apps, "EmptyDigest")
        .withArgs("checksum");
    });

    it("refuses a zero measurement with EmptyDigest(\"measurement\")", async () => {
      const f = await loadProtocol();
      await expect(f.apps.registerApp(f.appOwner.address, "app", "bafyapp", digest(), ZERO_BYTES32))
        .to.be.revertedWithCustomError(f.apps, "EmptyDigest")
        .withArgs("measurement");
    });

    it("refuses the zero address as owner with InvalidOwner", async () => {
      const f = await loadProtocol();
      await expect(f.apps.registerApp(ZERO_ADDRESS, "app", "bafyapp", digest(), digest()))
        .to.be.revertedWithCustomError(f.apps, "InvalidOwner");
    });

    it("assigns sequential ids from 1, emits AppRegistered and stores the record", async () => {
      const f = await loadProtocol();
      const apps = await freshRegistry(f, "AppRegistry");
      expect(await apps.count()).to.equal(0n);
      expect(await apps.exists(1n)).to.equal(false);

      const [checksum1, measurement1, checksum2, measurement2] = [digest(), digest(), digest(), digest()];
      await expect(by(apps, f.stranger).registerApp(f.appOwner.address, "first", "bafyone", checksum1, measurement1))
        .to.emit(apps, "AppRegistered")
        .withArgs(1n, f.appOwner.address, "first", "bafyone", checksum1, measurement1);
      await expect(apps.registerApp(f.stranger.address, "second", "bafytwo", checksum2, measurement2))
        .to.emit(apps, "AppRegistered")
        .withArgs(2n, f.stranger.address, "second", "bafytwo", checksum2, measurement2);

      expect(await apps.count()).to.equal(2n);
      expect(await apps.exists(1n)).to.equal(true);
      expect(await apps.exists(2n)).to.equal(true);
      expect(await apps.exists(3n)).to.equal(false);
      expect(await apps.ownerOf(1n)).to.equal(f.appOwner.address);
      expect(await apps.ownerOf(2n)).to.equal(f.stranger.address);
      const record = await apps.appOf(2n);
      expect(record.name).to.equal("second");
      expect(record.bundleCid).to.equal("bafytwo");
      expect(record.checksum).to.equal(checksum2);
      expect(record.measurement).to.equal(measurement2);
    });

    it("mints the token to the named owner, not to the caller", async () => {
      const f = await loadProtocol();
      const before = await f.apps.count();
      await expect(by(f.apps, f.stranger).registerApp(f.appOwner.address, "app", "bafyapp", digest(), digest()))
        .to.emit(f.apps, "Transfer")
        .withArgs(ZERO_ADDRESS, f.appOwner.address, before + 1n);
      expect(await f.apps.balanceOf(f.stranger.address)).to.equal(0n);
      expect(await f.apps.ownerOf(before + 1n)).to.equal(f.appOwner.address);
    });

    it("does not consume an id when a registration reverts", async () => {
      const f = await loadProtocol();
      const before = await f.apps.count();
      await expect(f.apps.registerApp(ZERO_ADDRESS, "app", "bafyapp", digest(), digest()))
        .to.be.revertedWithCustomError(f.apps, "InvalidOwner");
      await f.apps.registerApp(f.appOwner.address, "app", "bafyapp", digest(), digest());
      expect(await f.apps.count()).to.equal(before + 1n);
      expect(await f.apps.exists(before + 1n)).to.equal(true);
    });
  });

  describe("appOf", () => {
    it("reverts with ERC721NonexistentToken for an unknown id", async () => {
      const f = await loadProtocol();
      await expect(f.apps.appOf(99n)).to.be.revertedWithCustomError(f.apps, "ERC721NonexistentToken").withArgs(99n);
      await expect(f.apps.appOf(0n)).to.be.revertedWithCustomError(f.apps, "ERC721NonexistentToken").withArgs(0n);
    });
  });
});

describe("DatasetRegistry", () => {
  describe("registerDataset", () => {
    it("refuses an empty name with EmptyField(\"name\")", async () => {
      const f = await loadProtocol();
      await expect(f.datasets.registerDataset(f.datasetOwner.address, "", "bafydata", digest()))
        .to.be.revertedWithCustomError(f.datasets, "EmptyField")
        .withArgs("name");
    });

    it("refuses an empty CID with EmptyField(\"cid\")", async () => {
      const f = await loadProtocol();
      await expect(f.datasets.registerDataset(f.datasetOwner.address, "vitals", "", digest()))
        .to.be.revertedWithCustomError(f.datasets, "EmptyField")
        .withArgs("cid");
    });

    it("refuses a zero checksum with EmptyChecksum", async () => {
      const f = await loadProtocol();
      await expect(f.datasets.registerDataset(f.datasetOwner.address, "vitals", "bafydata", ZERO_BYTES32))
        .to.be.revertedWithCustomError(f.datasets, "EmptyChecksum");
    });

    it("refuses the zero address as owner with InvalidOwner", async () => {
      const f = await loadProtocol();
      await expect(f.datasets.registerDataset(ZERO_ADDRESS, "vitals", "bafydata", digest()))
        .to.be.revertedWithCustomError(f.datasets, "InvalidOwner");
    });

    it("assigns sequential ids from 1, emits DatasetRegistered and stores the record", async () => {
      const f = await loadProtocol();
      const datasets = await freshRegistry(f, "DatasetRegistry");
      const [checksum1, checksum2] = [digest(), digest()];
      await expect(datasets.registerDataset(f.datasetOwner.address, "vitals", "bafyone", checksum1))
        .to.emit(datasets, "DatasetRegistered")
        .withArgs(1n, f.datasetOwner.address, "vitals", "bafyone", checksum1);
      await expect(datasets.registerDataset(f.stranger.address, "traffic", "bafytwo", checksum2))
        .to.emit(datasets, "DatasetRegistered")
        .withArgs(2n, f.stranger.address, "traffic", "bafytwo", checksum2);

      expect(await datasets.count()).to.equal(2n);
      expect(await datasets.exists(2n)).to.equal(true);
      expect(await datasets.exists(3n)).to.equal(false);
      expect(await datasets.ownerOf(1n)).to.equal(f.datasetOwner.address);
      const record = await datasets.datasetOf(1n);
      expect(record.name).to.equal("vitals");
      expect(record.cid).to.equal("bafyone");
      expect(record.checksum).to.equal(checksum1);
    });
  });

  describe("datasetOf", () => {
    it("reverts with ERC721NonexistentToken for an unknown id", async () => {
      const f = await loadProtocol();
      await expect(f.datasets.datasetOf(42n))
        .to.be.revertedWithCustomError(f.datasets, "ERC721NonexistentToken")
        .withArgs(42n);
    });
  });
});

describe("WorkerpoolRegistry", () => {
  describe("registerWorkerpool", () => {
    it("refuses an empty description with EmptyField(\"description\")", async () => {
      const f = await loadProtocol();
      await expect(f.pools.registerWorkerpool(f.poolOwner.address, ""))
        .to.be.revertedWithCustomError(f.pools, "EmptyField")
        .withArgs("description");
    });

    it("refuses the zero address as owner with InvalidOwner", async () => {
      const f = await loadProtocol();
      await expect(f.pools.registerWorkerpool(ZERO_ADDRESS, "pool"))
        .to.be.revertedWithCustomError(f.pools, "InvalidOwner");
    });

    it("assigns sequential ids from 1, emits WorkerpoolRegistered and stores the description", async () => {
      const f = await loadProtocol();
      const pools = await freshRegistry(f, "WorkerpoolRegistry");
      await expect(pools.registerWorkerpool(f.poolOwner.address, "north pool"))
        .to.emit(pools, "WorkerpoolRegistered")
        .withArgs(1n, f.poolOwner.address, "north pool");
      await expect(pools.registerWorkerpool(f.stranger.address, "south pool"))
        .to.emit(pools, "WorkerpoolRegistered")
        .withArgs(2n, f.stranger.address, "south pool");
      expect(await pools.count()).to.equal(2n);
      expect(await pools.exists(2n)).to.equal(true);
      expect(await pools.ownerOf(2n)).to.equal(f.stranger.address);
      expect(await pools.descriptionOf(1n)).to.equal("north pool");
      expect(await pools.descriptionOf(2n)).to.equal("south pool");
    });
  });

  describe("setDescription", () => {
    it("refuses a caller who does not own the workerpool with NotWorkerpoolOwner", async () => {
      const f = await loadProtocol();
      await expect(by(f.pools, f.stranger).setDescription(1n, "hijacked"))
        .to.be.revertedWithCustomError(f.pools, "NotWorkerpoolOwner")
        .withArgs(1n, f.stranger.address);
      expect(await f.pools.descriptionOf(1n)).to.equal("city pool");
    });

    it("refuses an empty description with EmptyField(\"description\")", async () => {
      const f = await loadProtocol();
      await expect(by(f.pools, f.poolOwner).setDescription(1n, ""))
        .to.be.revertedWithCustomError(f.pools, "EmptyField")
        .withArgs("description");
    });

    it("refuses an unknown workerpool with ERC721NonexistentToken", async () => {
      const f = await loadProtocol();
      await expect(by(f.pools, f.poolOwner).setDescription(7n, "ghost"))
        .to.be.revertedWithCustomError(f.pools, "ERC721NonexistentToken")
        .withArgs(7n);
    });

    it("lets the owner change the description and emits WorkerpoolDescriptionChanged", async () => {
      const f = await loadProtocol();
      await expect(by(f.pools, f.poolOwner).setDescription(1n, "8 SGX nodes, Lyon"))
        .to.emit(f.pools, "WorkerpoolDescriptionChanged")
        .withArgs(1n, "8 SGX nodes, Lyon");
      expect(await f.pools.descriptionOf(1n)).to.equal("8 SGX nodes, Lyon");
    });
  });

  describe("descriptionOf", () => {
    it("reverts with ERC721NonexistentToken for an unknown id", async () => {
      const f = await loadProtocol();
      await expect(f.pools.descriptionOf(5n))
        .to.be.revertedWithCustomError(f.pools, "ERC721NonexistentToken")
        .withArgs(5n);
    });
  });
});

describe("asset ownership transfer (ERC-721)", () => {
  it("moves an app to the new owner", async () => {
    const f = await loadProtocol();
    await expect(by(f.apps, f.appOwner).transferFrom(f.appOwner.address, f.stranger.address, 1n))
      .to.emit(f.apps, "Transfer")
      .withArgs(f.appOwner.address, f.stranger.address, 1n);
    expect(await f.apps.ownerOf(1n)).to.equal(f.stranger.address);
    expect(await f.apps.balanceOf(f.appOwner.address)).to.equal(0n);
    expect(await f.apps.balanceOf(f.stranger.address)).to.equal(1n);
  });

  it("moves a dataset to the new owner", async () => {
    const f = await loadProtocol();
    await by(f.datasets, f.datasetOwner).transferFrom(f.datasetOwner.address, f.stranger.address, 1n);
    expect(await f.datasets.ownerOf(1n)).to.equal(f.stranger.address);
  });

  it("moves a workerpool: only the new owner may then change its description", async () => {
    const f = await loadProtocol();
    await by(f.pools, f.poolOwner).transferFrom(f.poolOwner.address, f.stranger.address, 1n);
    expect(await f.pools.ownerOf(1n)).to.equal(f.stranger.address);
    await expect(by(f.pools, f.poolOwner).setDescription(1n, "still mine?"))
      .to.be.revertedWithCustomError(f.pools, "NotWorkerpoolOwner")
      .withArgs(1n, f.poolOwner.address);
    await expect(by(f.pools, f.stranger).setDescription(1n, "new management"))
      .to.emit(f.pools, "WorkerpoolDescriptionChanged")
      .withArgs(1n, "new management");
  });

  it("refuses a transfer by someone neither owner nor approved", async () => {
    const f = await loadProtocol();
    await expect(by(f.apps, f.stranger).transferFrom(f.appOwner.address, f.stranger.address, 1n))
      .to.be.revertedWithCustomError(f.apps, "ERC721InsufficientApproval")
      .withArgs(f.stranger.address, 1n);
    expect(await f.apps.ownerOf(1n)).to.equal(f.appOwner.address);
  });
});

describe("asset epochs (what asset orders sign as assetEpoch)", () => {
  const registries = (f: Fixture): [string, Contract, Signer][] => [
    ["app", f.apps, f.appOwner],
    ["dataset", f.datasets, f.datasetOwner],
    ["workerpool", f.pools, f.poolOwner],
  ];

  it("starts at 0 on registration, and epochOf / ownerAndEpochOf revert for an unknown id", async () => {
    const f = await loadProtocol();
    for (const [, registry, owner] of registries(f)) {
      expect(await registry.epochOf(1n)).to.equal(0n);
      expect(await registry.ownerAndEpochOf(1n)).to.deep.equal([await owner.getAddress(), 0n]);
      await expect(registry.epochOf(9n)).to.be.revertedWithCustomError(registry, "ERC721NonexistentToken").withArgs(9n);
      await expect(registry.ownerAndEpochOf(9n)).to.be.revertedWithCustomError(registry, "ERC721NonexistentToken").withArgs(9n);
    }
  });

  it("grows with every transfer, back and forth, emitting EpochChanged", async () => {
    const f = await loadProtocol();
    for (const [, registry, owner] of registries(f)) {
      const ownerAddress = await owner.getAddress();
      await expect(by(registry, owner).transferFrom(ownerAddress, f.stranger.address, 1n)).to.emit(registry, "EpochChanged").withArgs(1n, 1n);
      await expect(by(registry, f.stranger).transferFrom(f.stranger.address, ownerAddress, 1n)).to.emit(registry, "EpochChanged").withArgs(1n, 2n);
      expect(await registry.ownerAndEpochOf(1n)).to.deep.equal([ownerAddress, 2n]);
    }
  });

  it("revokeOrders lets the owner start a new epoch, and refuses anyone else (NotAssetOwner)", async () => {
    const f = await loadProtocol();
    for (const [, registry, owner] of registries(f)) {
      await expect(by(registry, f.stranger).revokeOrders(1n))
        .to.be.revertedWithCustomError(registry, "NotAssetOwner")
        .withArgs(1n, f.stranger.address);
      await expect(by(registry, owner).revokeOrders(9n)).to.be.revertedWithCustomError(registry, "ERC721NonexistentToken");
      await expect(by(registry, owner).revokeOrders(1n)).to.emit(registry, "EpochChanged").withArgs(1n, 1n);
      expect(await registry.epochOf(1n)).to.equal(1n);
    }
  });
});
