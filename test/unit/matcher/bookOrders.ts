// Builds book orders for matcher unit tests: plain SignedOrder values with unique hashes
// (signatures play no part in the book's search, which trusts the market's checks).
import { TAG_TEE, ZERO_ADDRESS, ZERO_BYTES32, type AppOrder, type DatasetOrder, type OrderKind, type OrderOf, type RequestOrder, type SignedOrder, type WorkerpoolOrder } from "../../../src/wire/eip712/index.ts";

export const NOW = 1_000_000n;
export const TEE = `0x${TAG_TEE.toString(16).padStart(64, "0")}`;
export const REQUESTER = "0x1111111111111111111111111111111111111111";
export const OTHER_REQUESTER = "0x2222222222222222222222222222222222222222";
export const BENEFICIARY = "0x3333333333333333333333333333333333333333";

let counter = 0;

export function bitsTag(bits: bigint): string {
  return `0x${bits.toString(16).padStart(64, "0")}`;
}

function signed<K extends OrderKind>(kind: K, order: OrderOf<K>, publishedAt: number, remaining?: bigint): SignedOrder<K> {
  counter += 1;
  return {
    kind, order, hash: `0x${counter.toString(16).padStart(64, "0")}`, signature: "0x", signer: REQUESTER,
    remaining: remaining ?? (order as { volume: bigint }).volume, publishedAt,
  };
}

export function app(overrides: Partial<AppOrder> = {}, publishedAt = 1): SignedOrder<"app"> {
  return signed("app", {
    app: 1n, price: 5n, volume: 10n, tag: ZERO_BYTES32, datasetRestrict: 0n, workerpoolRestrict: 0n,
    requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: ZERO_BYTES32, expiry: NOW + 100n, ...overrides,
  }, publishedAt);
}

export function dataset(overrides: Partial<DatasetOrder> = {}, publishedAt = 1): SignedOrder<"dataset"> {
  return signed("dataset", {
    dataset: 1n, price: 3n, volume: 10n, tag: ZERO_BYTES32, appRestrict: 0n, workerpoolRestrict: 0n,
    requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: ZERO_BYTES32, expiry: NOW + 100n, ...overrides,
  }, publishedAt);
}

export function workerpool(overrides: Partial<WorkerpoolOrder> = {}, publishedAt = 1): SignedOrder<"workerpool"> {
  return signed("workerpool", {
    workerpool: 1n, price: 10n, volume: 10n, tag: ZERO_BYTES32, category: 1n, appRestrict: 0n, datasetRestrict: 0n,
    requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: ZERO_BYTES32, expiry: NOW + 100n, ...overrides,
  }, publishedAt);
}

export function request(overrides: Partial<RequestOrder> = {}, publishedAt = 1): SignedOrder<"request"> {
  return signed("request", {
    app: 1n, appMaxPrice: 100n, dataset: 1n, datasetMaxPrice: 100n, workerpool: 0n, workerpoolMaxPrice: 100n,
    requester: REQUESTER, volume: 1n, tag: ZERO_BYTES32, category: 1n, trust: 0n, beneficiary: BENEFICIARY,
    resultPublicKey: ZERO_BYTES32, params: "", salt: ZERO_BYTES32, expiry: NOW + 100n, ...overrides,
  }, publishedAt);
}
