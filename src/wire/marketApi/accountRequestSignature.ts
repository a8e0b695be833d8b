// How a market client names its account for rate limiting: an EIP-191 signature by the account's
// key over the market (chain and contract), the method, the path and a timestamp. It identifies
// the caller, so the market charges the account's own allowance instead of its IP's; it
// authorizes nothing (orders carry their own EIP-712 signatures), so it does not cover the body.
import { getAddress, hashMessage, type Signer } from "ethers";

export const ACCOUNT_HEADER = "x-continuum-account";
export const ACCOUNT_TIMESTAMP_HEADER = "x-continuum-timestamp";
export const ACCOUNT_SIGNATURE_HEADER = "x-continuum-signature";

/** Which market a signature is for: a signature for another chain or deployment is not this one's. */
export type MarketIdentity = { chainId: bigint | string; continuum: string };

export type AccountRequest = { method: string; path: string; timestampMs: number };

export function accountRequestMessage(market: MarketIdentity, account: string, request: AccountRequest): string {
  return [
    "Continuum market request",
    `chain: ${market.chainId}`,
    `continuum: ${getAddress(market.continuum)}`,
    `account: ${getAddress(account)}`,
    `method: ${request.method.toUpperCase()}`,
    `path: ${request.path}`,
    `timestamp: ${request.timestampMs}`,
  ].join("\n");
}

/** The EIP-191 digest the signature is over, for servers recovering the signer. */
export function accountRequestDigest(market: MarketIdentity, account: string, request: AccountRequest): string {
  return hashMessage(accountRequestMessage(market, account, request));
}

/** The three headers that name `signer`'s account on a request (`path` with its query string). */
export async function signAccountRequest(signer: Signer, market: MarketIdentity, request: AccountRequest): Promise<Record<string, string>> {
  const account = await signer.getAddress();
  const signature = await signer.signMessage(accountRequestMessage(market, account, request));
  return { [ACCOUNT_HEADER]: account, [ACCOUNT_TIMESTAMP_HEADER]: String(request.timestampMs), [ACCOUNT_SIGNATURE_HEADER]: signature };
}
