// How order terms read in human output: a tag by its meaning, a restriction as "any" or the id.
import { TAG_TEE, ZERO_BYTES32 } from "../wire/eip712/index.ts";

export function formatTag(tag: string): string {
  if (tag === ZERO_BYTES32) return "none";
  if (BigInt(tag) === TAG_TEE) return "tee (attested enclave)";
  return tag;
}

/** 0 means "any"; otherwise "only <kind> <id>". */
export function describeRestriction(id: bigint, kind: string): string {
  return id === 0n ? "any" : `only ${kind} ${id}`;
}
