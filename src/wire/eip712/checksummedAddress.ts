// An address as ethers checksums it, or undefined for text that is not one (bad length, not hex,
// or mixed case with a wrong checksum): one keccak both judges and converts.
import { getAddress } from "ethers";

export function checksummedAddress(value: string): string | undefined {
  try {
    return getAddress(value);
  } catch {
    return undefined;
  }
}
