// Who signed a market request (src/wire/marketApi/accountRequestSignature.ts): the account named in
// its headers, when its signature over the market, method, path (with the query) and a fresh
// timestamp recovers to it. Rate limits use it to charge an account; the workerpool routes use it
// to know the caller is the workerpool's owner.
import type { Request } from "express";
import { getBytes } from "ethers";
import { recoverSigner } from "../../crypto/signatures/recoverSigner.ts";
import {
  ACCOUNT_HEADER,
  ACCOUNT_SIGNATURE_HEADER,
  ACCOUNT_TIMESTAMP_HEADER,
  accountRequestDigest,
  type MarketIdentity,
} from "../../wire/marketApi/accountRequestSignature.ts";

/** How far a signed request's timestamp may be from the market's clock. */
export const ACCOUNT_SIGNATURE_WINDOW_MS = 60_000;

export type AccountSignature = { account: string } | { refused: string };

/** The lowercase account whose key signed this request now, or why the request names none. */
export function verifyAccountSignature(req: Request, market: MarketIdentity, nowMs: number): AccountSignature {
  const account = req.get(ACCOUNT_HEADER);
  const timestamp = req.get(ACCOUNT_TIMESTAMP_HEADER);
  const signature = req.get(ACCOUNT_SIGNATURE_HEADER);
  if (!account || !/^0x[0-9a-fA-F]{40}$/.test(account) || !timestamp || !/^\d{1,16}$/.test(timestamp) || !signature) {
    return { refused: `the request must carry ${ACCOUNT_HEADER}, ${ACCOUNT_TIMESTAMP_HEADER} and ${ACCOUNT_SIGNATURE_HEADER}` };
  }
  const timestampMs = Number(timestamp);
  if (Math.abs(nowMs - timestampMs) > ACCOUNT_SIGNATURE_WINDOW_MS) {
    return { refused: `the request's timestamp is more than ${ACCOUNT_SIGNATURE_WINDOW_MS / 1_000} s from the market's clock` };
  }
  const digest = accountRequestDigest(market, account, { method: req.method, path: req.originalUrl, timestampMs });
  const signer = recoverSigner(getBytes(digest), signature);
  if (signer === undefined || signer.toLowerCase() !== account.toLowerCase()) {
    return { refused: "the signature is not the named account's over this market, method, path and timestamp" };
  }
  return { account: signer.toLowerCase() };
}
