// Parsers for command-line values (ids, token amounts, addresses, digests, scrypt cost): each
// rejects a malformed value with commander's InvalidArgumentError, so the user sees a usage error.
import { InvalidArgumentError } from "commander";
import { getAddress, isAddress } from "ethers";
import { CID } from "multiformats/cid";

/** An asset id: a whole number from 1. */
export function parseAssetId(value: string): bigint {
  if (!/^[0-9]+$/.test(value) || BigInt(value) === 0n) {
    throw new InvalidArgumentError("must be a whole number from 1, e.g. 3");
  }
  return BigInt(value);
}

/** A token amount as typed by a person: "12", "12.5", ".5"; converted with the token's decimals later. */
export function parseAmountText(value: string): string {
  const normalized = value.trim().startsWith(".") ? `0${value.trim()}` : value.trim();
  if (!/^[0-9]+(\.[0-9]+)?$/.test(normalized)) {
    throw new InvalidArgumentError("must be a positive decimal number of tokens, e.g. 12.5");
  }
  if (/^[0.]+$/.test(normalized)) throw new InvalidArgumentError("must be more than zero");
  return normalized;
}

export function parseAddress(value: string): string {
  if (!isAddress(value)) throw new InvalidArgumentError("must be a 0x-prefixed 20-byte address");
  return getAddress(value);
}

/** A sha256 digest as 0x + 64 hex digits, normalized to lower case. */
export function parseBytes32(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError("must be 0x followed by 64 hex digits");
  return value.toLowerCase();
}

export function parseNonEmptyText(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("must not be empty");
  return value;
}

/** log2 of scrypt's N for new key files; the key file format accepts 10 to 18. */
export function parseScryptLogN(value: string): number {
  const logN = Number(value);
  if (!Number.isInteger(logN) || logN < 10 || logN > 18) {
    throw new InvalidArgumentError("must be a whole number from 10 to 18");
  }
  return logN;
}

/** An IPFS CID (v0 or v1), normalized to its canonical string form. */
export function parseCidText(value: string): string {
  try {
    return CID.parse(value).toString();
  } catch {
    throw new InvalidArgumentError("must be an IPFS CID, e.g. bafkrei…");
  }
}

/** A TCP port from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new InvalidArgumentError("must be a port number from 0 to 65535");
  }
  return Number(value);
}

/** A whole number from `min`, e.g. a count or a duration in milliseconds. */
export function wholeNumberFrom(min: number): (value: string) => number {
  return (value) => {
    const parsed = /^[0-9]{1,15}$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= min)) throw new InvalidArgumentError(`must be a whole number from ${min}`);
    return parsed;
  };
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A duration such as "5m", "30s", "1500ms" or "1h" (a bare number is seconds), in milliseconds. */
export function parseDurationMs(value: string): number {
  const match = /^([0-9]{1,9}(?:\.[0-9]{1,3})?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('must be a duration such as 5m, 30s, 1500ms or 1h');
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] ?? "s"]!);
}

/** A decimal number from `min` to `max`, e.g. a ratio. */
export function decimalBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = /^[0-9]{1,9}(\.[0-9]{1,9})?$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!(parsed >= min && parsed <= max)) throw new InvalidArgumentError(`must be a number from ${min} to ${max}`);
    return parsed;
  };
}

/** A time as ISO 8601, e.g. 2025-07-01T00:00:00Z. */
export function parseIsoTime(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError("must be an ISO 8601 time, e.g. 2025-07-01T00:00:00Z");
  }
  return at;
}
