// Parsers for the terms people type into order commands (tag, volume, lifetime) and the pieces
// every signed order needs: the deployment's EIP-712 domain, a fresh salt and an expiry in chain time.
import { randomBytes } from "node:crypto";
import { InvalidArgumentError, Option, type Command } from "commander";
import { hexlify } from "ethers";
import { TAG_TEE, ZERO_BYTES32, continuumDomain, type OrderKind } from "../wire/eip712/index.ts";
import type { ChainSession } from "./chain.ts";

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** "tee" (run in an attested enclave, bit 0), "none", or a raw bytes32 tag. */
export function parseTag(value: string): string {
  const text = value.trim().toLowerCase();
  if (text === "tee") return `0x${TAG_TEE.toString(16).padStart(64, "0")}`;
  if (text === "none") return ZERO_BYTES32;
  if (/^0x[0-9a-f]{64}$/.test(text)) return text;
  throw new InvalidArgumentError('must be "tee", "none" or 0x followed by 64 hex digits');
}

/** A whole number from 1 (an order's volume, a task count). */
export function parseVolume(value: string): bigint {
  if (!/^[0-9]+$/.test(value) || BigInt(value) === 0n) throw new InvalidArgumentError("must be a whole number from 1");
  return BigInt(value);
}

/** A whole number from 0 (category, trust, an optional asset restriction where 0 means any). */
export function parseWholeNumber(value: string): bigint {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError("must be a whole number from 0");
  return BigInt(value);
}

/** A lifetime such as "90s", "30m", "12h" or "7d", in seconds. */
export function parseDuration(value: string): bigint {
  const match = /^([0-9]+)([smhd])$/.exec(value.trim());
  if (!match || Number(match[1]) === 0) throw new InvalidArgumentError('must be a positive duration such as 90s, 30m, 12h or 7d');
  return BigInt(match[1]!) * BigInt(DURATION_UNITS[match[2]!]!);
}

export const DEFAULT_ORDER_LIFETIME = "30d";

/** Adds --tag, --volume and --expires-in, the terms every kind of order has. */
export function withCommonTerms(command: Command): Command {
  return command
    .addOption(withDefault("--volume <n>", "how many tasks the order may serve", parseVolume, "1"))
    .addOption(withDefault("--tag <tag>", '"tee" (attested enclave), "none", or a bytes32 tag', parseTag, "tee"))
    .addOption(withDefault("--expires-in <duration>", "lifetime from now in chain time: 90s, 30m, 12h, 7d", parseDuration, DEFAULT_ORDER_LIFETIME));
}

/** An option whose default is written as the user would type it and parsed like a typed value. */
export function withDefault<T>(flags: string, description: string, parse: (value: string) => T, typed: string): Option {
  return new Option(flags, description).argParser(parse).default(parse(typed), typed);
}

export function domainOf(chain: ChainSession) {
  return continuumDomain(BigInt(chain.deployment.chainId), chain.deployment.continuum);
}

export function freshSalt(): string {
  return hexlify(randomBytes(32));
}

/** The latest block's timestamp: expiries are checked against chain time, not the local clock. */
export async function chainTime(chain: ChainSession): Promise<bigint> {
  const block = await chain.read(() => chain.provider.getBlock("latest"));
  return BigInt(block!.timestamp);
}

export const ORDER_CANCEL_FUNCTION: Record<OrderKind, string> = {
  app: "cancelAppOrder",
  dataset: "cancelDatasetOrder",
  workerpool: "cancelWorkerpoolOrder",
  request: "cancelRequestOrder",
};
