// Test helper: typed orders of each kind with real signatures from throw-away wallets, for book
// tests that need many distinct, validly signed orders without a chain.
import { getAddress, hexlify, randomBytes, Wallet, type HDNodeWallet, type TypedDataDomain } from "ethers";
import {
  continuumDomain,
  orderDigest,
  signOrder,
  ZERO_ADDRESS,
  ZERO_BYTES32,
  type AnySignedOrder,
  type OrderKind,
  type OrderOf,
} from "../../../../src/wire/eip712/index.ts";

export const TEST_DOMAIN: TypedDataDomain = continuumDomain(31337n, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
export const TEE = `0x${"0".repeat(63)}1`;
export const GPU = `0x${"0".repeat(63)}2`;
export const TEE_GPU = `0x${"0".repeat(63)}3`;

export const TEST_REQUESTER = getAddress("0x00000000000000000000000000000000000000aa");
export const TEST_BENEFICIARY = getAddress("0x00000000000000000000000000000000000000bb");

const salt = () => hexlify(randomBytes(32));
const EXPIRY = 4_000_000_000n;

export function typedOrder<K extends OrderKind>(kind: K, overrides: Partial<OrderOf<K>> = {}): OrderOf<K> {
  const base = {
    app: { app: 1n, price: 5n, volume: 10n, tag: ZERO_BYTES32, datasetRestrict: 0n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry: EXPIRY },
    dataset: { dataset: 1n, price: 3n, volume: 10n, tag: ZERO_BYTES32, appRestrict: 0n, workerpoolRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry: EXPIRY },
    workerpool: { workerpool: 1n, price: 10n, volume: 10n, tag: ZERO_BYTES32, category: 1n, appRestrict: 0n, datasetRestrict: 0n, requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: salt(), expiry: EXPIRY },
    request: {
      app: 1n, appMaxPrice: 5n, dataset: 0n, datasetMaxPrice: 0n, workerpool: 0n, workerpoolMaxPrice: 10n,
      requester: TEST_REQUESTER, volume: 1n, tag: ZERO_BYTES32, category: 1n, trust: 0n,
      beneficiary: TEST_BENEFICIARY, resultPublicKey: ZERO_BYTES32, params: "{}", salt: salt(), expiry: EXPIRY,
    },
  }[kind];
  return { ...base, ...overrides } as OrderOf<K>;
}

export async function signedOrder<K extends OrderKind>(
  kind: K,
  overrides: Partial<OrderOf<K>> = {},
  options: { wallet?: Wallet | HDNodeWallet; publishedAt?: number; remaining?: bigint } = {},
): Promise<AnySignedOrder> {
  const wallet = options.wallet ?? Wallet.createRandom();
  const order = typedOrder(kind, overrides);
  return {
    kind,
    order,
    hash: orderDigest(kind, TEST_DOMAIN, order),
    signature: await signOrder(kind, wallet, TEST_DOMAIN, order),
    signer: wallet.address,
    remaining: options.remaining ?? order.volume,
    publishedAt: options.publishedAt ?? Date.now(),
  } as AnySignedOrder;
}
