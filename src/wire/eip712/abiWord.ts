// One ABI word as 64 hex digits: an integer below 2^256, or hex of at most 32 bytes left-padded
// (an address, a bytes32). Calldata of one-word views and the contracts' id hashes use it.
export function abiWord(value: bigint | string): string {
  if (typeof value === "bigint") {
    if (value < 0n || value >= 1n << 256n) throw new RangeError(`${value} does not fit in a word`);
    return value.toString(16).padStart(64, "0");
  }
  if (!/^0x[0-9a-fA-F]{0,64}$/.test(value)) throw new TypeError(`${value} is not hex of at most 32 bytes`);
  return value.slice(2).toLowerCase().padStart(64, "0");
}
