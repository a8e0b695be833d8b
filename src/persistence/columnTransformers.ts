// How big integers cross the database boundary. uint256 values live in numeric(78,0) columns and
// are always returned as bigint; int8 counters (block numbers, ids) are returned as JS numbers.
import type { ValueTransformer } from "typeorm";
import { PersistenceError } from "./PersistenceError.ts";

const MAX_UINT256 = (1n << 256n) - 1n;

/** numeric(78,0) <-> bigint. Writes outside 0..2^256-1 are refused before reaching SQL. */
export const uint256Transformer: ValueTransformer = {
  to(value: bigint | null | undefined) {
    if (value === null || value === undefined) return value;
    if (value < 0n || value > MAX_UINT256) {
      throw new PersistenceError("VALUE_OUT_OF_RANGE", `value ${value} is not a uint256`);
    }
    return value.toString();
  },
  from(value: string | null) {
    return value === null ? null : BigInt(value);
  },
};

/** int8 <-> number; the driver hands int8 over as a string, which is parsed and range-checked. */
export const int8Transformer: ValueTransformer = {
  to(value: number | null | undefined) {
    return value;
  },
  from(value: string | null) {
    if (value === null) return null;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) {
      throw new PersistenceError("VALUE_OUT_OF_RANGE", `int8 value ${value} does not fit a JS number`);
    }
    return parsed;
  },
};
