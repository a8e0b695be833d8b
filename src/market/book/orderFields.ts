// zod validators for the JSON spelling of Solidity values: uint256 as a decimal or 0x-hex string
// (or a safe integer), bytes32 and addresses as 0x hex. Each message says what a valid value is.
import { z } from "zod";
import { checksummedAddress } from "../../wire/eip712/checksummedAddress.ts";

const MAX_UINT256 = (1n << 256n) - 1n;
const UINT_TEXT = /^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/;
const UINT_ERROR = "must be a uint256: a decimal string such as \"1000\" or a 0x-prefixed hex string";

export function uint256() {
  return z
    .union([z.string(), z.number()], { error: UINT_ERROR })
    .transform((value, context) => {
      if (typeof value === "number") {
        if (Number.isSafeInteger(value) && value >= 0) return BigInt(value);
        context.addIssue({ code: "custom", message: `${UINT_ERROR} (numbers must be safe integers; use a string)` });
        return z.NEVER;
      }
      if (!UINT_TEXT.test(value)) {
        context.addIssue({ code: "custom", message: UINT_ERROR });
        return z.NEVER;
      }
      const parsed = BigInt(value);
      if (parsed > MAX_UINT256) {
        context.addIssue({ code: "custom", message: "is larger than the largest uint256" });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description: "uint256 as a decimal string, a 0x-prefixed hex string, or a safe integer", pattern: UINT_TEXT.source });
}

export function bytes32() {
  const error = "must be 32 bytes as 0x followed by 64 hex characters";
  return z
    .string({ error })
    .regex(/^0x[0-9a-fA-F]{64}$/, { error })
    .transform((value) => value.toLowerCase())
    .meta({ description: "32 bytes as 0x followed by 64 hex characters" });
}

/** An address, normalized to its checksum spelling; a mixed-case address with a wrong checksum is refused. */
export function address() {
  const error = "must be an address: 0x followed by 40 hex characters";
  return z
    .string({ error })
    .regex(/^0x[0-9a-fA-F]{40}$/, { error })
    .transform((value, context) => {
      const checksummed = checksummedAddress(value);
      if (checksummed === undefined) {
        context.addIssue({ code: "custom", message: "has a wrong EIP-55 checksum; check the address or send it in lower case" });
        return z.NEVER;
      }
      return checksummed;
    })
    .meta({ description: "An address: 0x followed by 40 hex characters, with a valid EIP-55 checksum if mixed case" });
}

/** A 65-byte signature as 0x hex, or exactly "0x" for an order approved on-chain instead of signed. */
export function orderSignature() {
  const error = "must be a 65-byte signature as 0x followed by 130 hex characters, or \"0x\" for an order approved on-chain";
  return z
    .string({ error })
    .regex(/^0x([0-9a-fA-F]{130})?$/, { error })
    .transform((value) => value.toLowerCase())
    .meta({ description: "65-byte EIP-712 signature, or \"0x\" for an order approved on-chain" });
}

/** A 65-byte signature as 0x hex (messages that cannot be approved on-chain). */
export function signature65() {
  const error = "must be a 65-byte signature as 0x followed by 130 hex characters";
  return z
    .string({ error })
    .regex(/^0x[0-9a-fA-F]{130}$/, { error })
    .transform((value) => value.toLowerCase())
    .meta({ description: "65-byte EIP-712 signature: 0x followed by 130 hex characters" });
}
