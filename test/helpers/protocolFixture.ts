// Deploys the protocol on an in-process Hardhat network with funded roles, registered assets
// and a category, and builds signed orders, deals and results for contract tests.
import { network } from "hardhat";
import { Wallet, hexlify, randomBytes, zeroPadValue, toBeHex, type Contract, type ContractTransactionReceipt, type HDNodeWallet, type Signer, type TypedDataDomain } from "ethers";
import { deployProtocol } from "../../src/chain/deployProtocol.ts";
import {
  TAG_TEE,
  ZERO_ADDRESS,
  ZERO_BYTES32,
  continuumDomain,
  orderDigest,
  signAuthorization,
  signEnclaveAttested,
  signOrder,
  signResult,
  signTaskFailure,
  taskIdOf,
  toDeal,
  type AppOrder,
  type DatasetOrder,
  type Deal,
  type FailureCause,
  type RequestOrder,
  type TaskResult,
  type WorkerpoolOrder,
} from "../../src/wire/eip712/index.ts";

export const TEE_TAG = zeroPadValue(toBeHex(TAG_TEE), 32);
export const NO_TAG = ZERO_BYTES32;
export const FUNDS = 10n ** 24n;
export const MAX_RUN_TIME = 100n;

/** The contract as sent from `signer` (ethers types `connect` as a bare BaseContract). */
export function by(contract: Contract, signer: Signer): Contract {
  return contract.connect(signer) as Contract;
}

/** One in-process Hardhat network shared by the contract tests; fixtures snapshot and revert it. */
export const connection = await network.getOrCreate();

/** The SMS's signing key in contract tests: registered as the protocol's SMS signer. */
export const SMS_KEY = new Wallet("0x" + "5a".repeat(32));

/**
 * loadFixture, deploying the fixture afresh when its snapshot is gone. The suite shares one
 * in-process chain across files; a test that reverts the chain to a snapshot older than a
 * fixture's (a reorg test, say) takes that fixture's snapshot with it (HHE60013), which would
 * otherwise fail every later file that loads it.
 */
export async function loadFixtureAfresh<T>(fixture: () => Promise<T>): Promise<T> {
  try {
    return await connection.networkHelpers.loadFixture(fixture);
  } catch (error) {
    if (!String((error as Error)?.message ?? error).includes("reverting the snapshot")) throw error;
    connection.networkHelpers.clearSnapshots();
    return connection.networkHelpers.loadFixture(fixture);
  }
}

/** Deploys a fresh protocol with the SMS signer registered, or reverts to its snapshot. */
export function loadProtocol(): Promise<Fixture> {
  return loadFixtureAfresh(deployWithSms);
}

/** The same protocol before any SMS signer is registered (the contract's state until `setSmsSigner`). */
export function loadProtocolWithoutSms(): Promise<Fixture> {
  return loadFixtureAfresh(deployWithoutSms);
}

function deployWithSms() {
  return deployFixture(SMS_KEY.address);
}

function deployWithoutSms() {
  return deployFixture(undefined);
}

async function deployFixture(smsSigner: string | undefined) {
  const { ethers } = connection;
  const [deployer, appOwner, datasetOwner, poolOwner, requester, worker, beneficiary, stranger] =
    await ethers.getSigners();
  const deployment = await deployProtocol(deployer, { smsSigner });
  const continuum = await ethers.getContractAt("Continuum", deployment.continuum);
  const token = await ethers.getContractAt("DevnetToken", deployment.token);
  const apps = await ethers.getContractAt("AppRegistry", deployment.appRegistry);
  const datasets = await ethers.getContractAt("DatasetRegistry", deployment.datasetRegistry);
  const pools = await ethers.getContractAt("WorkerpoolRegistry", deployment.workerpoolRegistry);
  const domain: TypedDataDomain = continuumDomain(BigInt(deployment.chainId), deployment.continuum);

  await continuum.createCategory("S", "2 vCPU, 4 GiB RAM", MAX_RUN_TIME);
  await apps.registerApp(appOwner.address, "ward-stats", "bafyapp", hexlify(randomBytes(32)), hexlify(randomBytes(32)));
  await datasets.registerDataset(datasetOwner.address, "vitals", "bafydata", hexlify(randomBytes(32)));
  await pools.registerWorkerpool(poolOwner.address, "city pool");
  for (const account of [requester, poolOwner, stranger]) {
    await token.mint(account.address, FUNDS);
    await by(token, account).approve(deployment.continuum, FUNDS);
  }
  await by(continuum, requester).deposit(FUNDS / 2n);
  await by(continuum, poolOwner).deposit(FUNDS / 2n);
  const enclave = Wallet.createRandom();

  return {
    connection, ethers, deployment, continuum, token, apps, datasets, pools, domain, enclave, sms: SMS_KEY,
    deployer, appOwner, datasetOwner, poolOwner, requester, worker, beneficiary, stranger,
  };
}

export type Fixture = Awaited<ReturnType<typeof deployFixture>>;

async function farExpiry(f: Fixture): Promise<bigint> {
  const block = await f.ethers.provider.getBlock("latest");
  return BigInt(block!.timestamp) + 86_400n;
}

export async function appOrder(f: Fixture, overrides: Partial<AppOrder> = {}): Promise<AppOrder> {
  return {
    app: 1n, price: 5n, volume: 10n, tag: TEE_TAG, datasetRestrict: 0n, workerpoolRestrict: 0n,
    requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: hexlify(randomBytes(32)), expiry: await farExpiry(f), ...overrides,
  };
}

export async function datasetOrder(f: Fixture, overrides: Partial<DatasetOrder> = {}): Promise<DatasetOrder> {
  return {
    dataset: 1n, price: 3n, volume: 10n, tag: TEE_TAG, appRestrict: 1n, workerpoolRestrict: 0n,
    requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: hexlify(randomBytes(32)), expiry: await farExpiry(f), ...overrides,
  };
}

export function emptyDatasetOrder(): DatasetOrder {
  return {
    dataset: 0n, price: 0n, volume: 0n, tag: NO_TAG, appRestrict: 0n, workerpoolRestrict: 0n,
    requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: ZERO_BYTES32, expiry: 0n,
  };
}

export async function workerpoolOrder(f: Fixture, overrides: Partial<WorkerpoolOrder> = {}): Promise<WorkerpoolOrder> {
  return {
    workerpool: 1n, price: 10n, volume: 10n, tag: TEE_TAG, category: 1n, appRestrict: 0n, datasetRestrict: 0n,
    requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: hexlify(randomBytes(32)), expiry: await farExpiry(f), ...overrides,
  };
}

export async function requestOrder(f: Fixture, overrides: Partial<RequestOrder> = {}): Promise<RequestOrder> {
  return {
    app: 1n, appMaxPrice: 5n, dataset: 1n, datasetMaxPrice: 3n, workerpool: 0n, workerpoolMaxPrice: 10n,
    requester: f.requester.address, volume: 1n, tag: TEE_TAG, category: 1n, trust: 0n,
    beneficiary: f.beneficiary.address, resultPublicKey: hexlify(randomBytes(32)), params: '{"window":"24h"}',
    salt: hexlify(randomBytes(32)), expiry: await farExpiry(f), ...overrides,
  };
}

export type OrderSet = {
  app: AppOrder;
  dataset: DatasetOrder;
  workerpool: WorkerpoolOrder;
  request: RequestOrder;
};

export type Signatures = { app: string; dataset: string; workerpool: string; request: string };

export async function defaultOrders(f: Fixture, overrides: Partial<OrderSet> = {}): Promise<OrderSet> {
  return {
    app: overrides.app ?? (await appOrder(f)),
    dataset: overrides.dataset ?? (await datasetOrder(f)),
    workerpool: overrides.workerpool ?? (await workerpoolOrder(f)),
    request: overrides.request ?? (await requestOrder(f)),
  };
}

export async function signAll(f: Fixture, orders: OrderSet, signers: Partial<Record<keyof OrderSet, Signer>> = {}) {
  const noDataset = orders.request.dataset === 0n && orders.dataset.dataset === 0n;
  return {
    app: await signOrder("app", signers.app ?? f.appOwner, f.domain, orders.app),
    dataset: noDataset ? "0x" : await signOrder("dataset", signers.dataset ?? f.datasetOwner, f.domain, orders.dataset),
    workerpool: await signOrder("workerpool", signers.workerpool ?? f.poolOwner, f.domain, orders.workerpool),
    request: await signOrder("request", signers.request ?? f.requester, f.domain, orders.request),
  } satisfies Signatures;
}

export function matchArgs(orders: OrderSet, signatures: Signatures) {
  return [
    orders.app, signatures.app, orders.dataset, signatures.dataset,
    orders.workerpool, signatures.workerpool, orders.request, signatures.request,
  ] as const;
}

/** Matches the orders (signed by the fixture's roles unless `signers` says otherwise) and returns the deal from `DealCreated`. */
export async function matchDeal(f: Fixture, orders: OrderSet, signers: Partial<Record<keyof OrderSet, Signer>> = {}) {
  const signatures = await signAll(f, orders, signers);
  const tx = await by(f.continuum, f.stranger).matchOrders(...matchArgs(orders, signatures));
  const receipt: ContractTransactionReceipt = await tx.wait();
  for (const log of receipt.logs) {
    const parsed = f.continuum.interface.parseLog(log);
    if (parsed?.name === "DealCreated") {
      return { dealId: parsed.args.dealId as string, deal: toDeal(parsed.args.deal), receipt };
    }
  }
  throw new Error("no DealCreated event");
}

export function requestDigest(f: Fixture, order: RequestOrder): string {
  return orderDigest("request", f.domain, order);
}

/**
 * A fully signed TEE result for task `index` of a deal: the pool's authorization, the enclave's
 * signature and the SMS's attestation of the enclave (by `attester`, the fixture's SMS by default;
 * `null` for none).
 */
export async function teeResult(
  f: Fixture,
  dealId: string,
  index: bigint,
  options: { authorizer?: Signer; enclave?: Wallet | HDNodeWallet; worker?: string; cid?: string; attester?: Signer | null } = {},
): Promise<TaskResult> {
  const enclave = options.enclave ?? f.enclave;
  const worker = options.worker ?? f.worker.address;
  const taskId = taskIdOf(dealId, index);
  const resultDigest = hexlify(randomBytes(32));
  const resultCid = options.cid ?? `bafyresult${index}`;
  const attester = options.attester === undefined ? f.sms : options.attester;
  return {
    index, worker, enclave: enclave.address, resultDigest, resultCid,
    authorization: await signAuthorization(options.authorizer ?? f.poolOwner, f.domain, {
      worker, taskId, enclave: enclave.address,
    }),
    enclaveSignature: await signResult(enclave, f.domain, { worker, taskId, resultDigest, resultCid }),
    smsAttestation: attester === null ? "0x" : await signEnclaveAttested(attester, f.domain, { taskId, enclave: enclave.address }),
  };
}

/**
 * The SMS's signed verdict that task `index` failed through `cause`'s fault at attempt `attempt`
 * (by `signer`, the fixture's SMS by default).
 */
export function failureVerdict(
  f: Fixture,
  dealId: string,
  index: bigint,
  cause: FailureCause,
  signer: Signer = f.sms,
  attempt = 1,
): Promise<string> {
  return signTaskFailure(signer, f.domain, { taskId: taskIdOf(dealId, index), cause, attempt });
}

/** A result for a non-TEE task: the workerpool's authorization alone. */
export async function plainResult(f: Fixture, dealId: string, index: bigint): Promise<TaskResult> {
  const taskId = taskIdOf(dealId, index);
  return {
    index, worker: f.worker.address, enclave: ZERO_ADDRESS, resultDigest: hexlify(randomBytes(32)),
    resultCid: `bafyplain${index}`,
    authorization: await signAuthorization(f.poolOwner, f.domain, { worker: f.worker.address, taskId, enclave: ZERO_ADDRESS }),
    enclaveSignature: "0x",
    smsAttestation: "0x",
  };
}

export type { Deal };
