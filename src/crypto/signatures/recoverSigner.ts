// Who signed a 32-byte digest, judged as the contracts judge it (OpenZeppelin ECDSA.tryRecover):
// a 65-byte r‖s‖v signature, v 27 or 28, s in the lower half of the curve order, r and s nonzero.
// Recovery runs in libsecp256k1 (see secp256k1/libsecp256k1.ts), ten to a hundred times faster
// than the JavaScript curve ethers uses; the answer is the address ethers.recoverAddress gives.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { getAddress } from "ethers";
import { libsecp256k1 } from "../secp256k1/libsecp256k1.ts";

/** Half the order of secp256k1's group: larger s values are the malleable twin of a signature. */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/**
 * The checksummed address whose key signed `digest`, or undefined for any signature the contracts
 * would refuse (wrong length, v other than 27/28, high s, zero r or s, r not on the curve).
 */
export function recoverSigner(digest: Uint8Array, signature: string): string | undefined {
  if (digest.length !== 32 || !SIGNATURE.test(signature)) return undefined;
  const r = BigInt(`0x${signature.slice(2, 66)}`);
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130), 16);
  if (r === 0n || s === 0n || s > HALF_ORDER || (v !== 27 && v !== 28)) return undefined;
  try {
    const publicKey = libsecp256k1.recover(digest, hexToBytes(signature.slice(2, 130)), (v - 27) as 0 | 1);
    return getAddress(`0x${bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))}`);
  } catch {
    // r is not the x coordinate of a curve point, or r ≥ the field size: no key signed this.
    return undefined;
  }
}
