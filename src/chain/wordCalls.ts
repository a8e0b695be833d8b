// Calldata and return values of view functions that take and return single 32-byte words
// (uint256, bytes32, address, bool), encoded by hand: the hot per-order and per-session reads
// skip the ABI coder's per-call setup, which costs more than the call on an in-process chain.
import { getAddress, type Interface } from "ethers";
import { abiWord } from "../wire/eip712/abiWord.ts";

const HEX_WORD = /^0x[0-9a-fA-F]{64}$/;

/** The 4-byte selector of `name` in `iface`, as 0x hex. */
export function selectorOf(iface: Interface, name: string): string {
  const fragment = iface.getFunction(name);
  if (!fragment) throw new TypeError(`no function ${name} in the interface`);
  return fragment.selector;
}

/** Calldata for `selector` applied to word-sized arguments. */
export function wordCallData(selector: string, ...args: (bigint | string)[]): string {
  return selector + args.map(abiWord).join("");
}

function single(result: string): string {
  if (!HEX_WORD.test(result)) throw new TypeError(`expected one 32-byte word, got ${result.slice(0, 80)}`);
  return result;
}

export function decodeUint(result: string): bigint {
  return BigInt(single(result));
}

export function decodeAddress(result: string): string {
  const hex = single(result);
  if (!/^0x0{24}/.test(hex)) throw new TypeError("the word is not an address");
  return getAddress(`0x${hex.slice(26)}`);
}

export function decodeBool(result: string): boolean {
  const value = decodeUint(result);
  if (value > 1n) throw new TypeError("the word is not a bool");
  return value === 1n;
}
