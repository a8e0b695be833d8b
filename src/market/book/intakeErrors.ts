// Every reason the book refuses an order, as a MarketError with a stable code and a message
// saying what to do. Routes, the CLI and tests rely on these codes; an unreadable chain is a
// ChainReadError (CHAIN_UNAVAILABLE) instead: the order is neither accepted nor refused.
import type { TypedDataDomain } from "ethers";
import type { OrderKind } from "../../wire/eip712/index.ts";
import { MarketError } from "../MarketError.ts";
import type { AssetKind } from "./chainState.ts";

export const INTAKE_ERROR_CODES = [
  "INVALID_ORDER",
  "BAD_SIGNATURE",
  "NOT_ASSET_OWNER",
  "UNKNOWN_ASSET",
  "UNKNOWN_CATEGORY",
  "ORDER_EXPIRED",
  "ORDER_CANCELLED",
  "ORDER_STALE",
  "ORDER_CONSUMED",
  "INSUFFICIENT_ESCROW",
  "INSUFFICIENT_STAKE",
  "ORDER_EXISTS",
  "CHAIN_UNAVAILABLE",
] as const;

export type IntakeErrorCode = (typeof INTAKE_ERROR_CODES)[number];

function domainDetails(domain: TypedDataDomain) {
  return { chainId: String(domain.chainId), verifyingContract: String(domain.verifyingContract) };
}

export const intakeErrors = {
  malformedSignature(domain: TypedDataDomain): MarketError {
    return new MarketError("BAD_SIGNATURE", "the signature cannot be recovered; sign the order's EIP-712 digest with a 65-byte ECDSA signature", domainDetails(domain));
  },

  signerMismatch(kind: OrderKind, recovered: string, expected: string, domain: TypedDataDomain, role: string): MarketError {
    return new MarketError(
      "BAD_SIGNATURE",
      `the signature recovers to ${recovered}, not ${role} ${expected}; sign exactly this ${kind} order with the EIP-712 domain ` +
        `"Continuum" version 1, chain id ${String(domain.chainId)}, contract ${String(domain.verifyingContract)}`,
      { recovered, expected, ...domainDetails(domain) },
    );
  },

  notApproved(hash: string, expected: string): MarketError {
    return new MarketError("BAD_SIGNATURE", `the order has no signature and ${expected} has not approved ${hash} on-chain; sign it or approve it first`, { hash, expected });
  },

  notAssetOwner(kind: AssetKind, id: bigint, signer: string, owner: string): MarketError {
    return new MarketError("NOT_ASSET_OWNER", `${kind} ${id} is owned by ${owner}, but the order is signed by ${signer}; only the owner may sell it`, {
      asset: kind,
      id: id.toString(),
      owner,
      signer,
    });
  },

  unknownAsset(kind: AssetKind, id: bigint): MarketError {
    return new MarketError("UNKNOWN_ASSET", `${kind} ${id} is not registered on-chain; register it first or fix the id`, { asset: kind, id: id.toString() });
  },

  unknownCategory(category: bigint): MarketError {
    return new MarketError("UNKNOWN_CATEGORY", `category ${category} does not exist; list the protocol's categories and pick one`, { category: category.toString() });
  },

  expired(expiry: bigint, now: bigint): MarketError {
    return new MarketError("ORDER_EXPIRED", `the order expired at ${expiry} (chain time is ${now}); sign a new order with a later expiry`, {
      expiry: expiry.toString(),
      chainTime: now.toString(),
    });
  },

  cancelled(hash: string): MarketError {
    return new MarketError("ORDER_CANCELLED", `order ${hash} was cancelled on-chain and can never be matched; sign a new one`, { hash });
  },

  stale(hash: string, kind: AssetKind, id: bigint, signedEpoch: bigint, epoch: bigint): MarketError {
    return new MarketError(
      "ORDER_STALE",
      `order ${hash} was signed for epoch ${signedEpoch} of ${kind} ${id}, which is now at epoch ${epoch} (it changed hands or its orders were revoked); sign a new order with assetEpoch ${epoch}`,
      { hash, asset: kind, id: id.toString(), signedEpoch: signedEpoch.toString(), epoch: epoch.toString() },
    );
  },

  consumed(hash: string, volume: bigint): MarketError {
    return new MarketError("ORDER_CONSUMED", `all ${volume} of order ${hash} is already used by deals; sign a new order for more`, { hash, volume: volume.toString() });
  },

  insufficientEscrow(requester: string, balance: bigint, needed: bigint): MarketError {
    return new MarketError(
      "INSUFFICIENT_ESCROW",
      `the requester's escrow holds ${balance} but the request may cost up to ${needed}; deposit at least ${needed - balance} more or lower the volume or prices`,
      { requester, balance: balance.toString(), needed: needed.toString() },
    );
  },

  insufficientStake(owner: string, balance: bigint, needed: bigint): MarketError {
    return new MarketError(
      "INSUFFICIENT_STAKE",
      `the workerpool owner's escrow holds ${balance} but staking this order needs ${needed}; deposit at least ${needed - balance} more or lower the volume`,
      { owner, balance: balance.toString(), needed: needed.toString() },
    );
  },

  exists(hash: string): MarketError {
    return new MarketError("ORDER_EXISTS", `order ${hash} was already published (it may since have been removed); change the salt to publish a new order`, { hash });
  },
};
