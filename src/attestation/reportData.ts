// Continuum's use of the quote's 64-byte report data: 32 bytes committing to the enclave's
// secp256k1 identity (its Ethereum address) followed by a 32-byte freshness nonce.
//
//   reportData = keccak256("continuum/attestation/enclave-address/v1" || address (20 bytes)) || nonce
//
// keccak256 lets a contract recompute the commitment with abi.encodePacked(tag, address).
import { equalBytes } from "@noble/curves/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { getAddress } from "ethers";
import { AttestationError } from "./AttestationError.ts";
import { parseHex, toFixedBytes, type BytesInput } from "./hexBytes.ts";

export const NONCE_LENGTH = 32;
const ENCLAVE_ADDRESS_DOMAIN = utf8ToBytes("continuum/attestation/enclave-address/v1");

/** The 32-byte commitment to an enclave's Ethereum address that opens its report data. */
export function commitEnclaveAddress(enclaveAddress: string): Uint8Array {
  return keccak_256(concatBytes(ENCLAVE_ADDRESS_DOMAIN, addressBytes(enclaveAddress)));
}

export function buildReportData(enclaveAddress: string, nonce: BytesInput): Uint8Array {
  return concatBytes(commitEnclaveAddress(enclaveAddress), toFixedBytes(nonce, NONCE_LENGTH, "nonce"));
}

/** The freshness nonce carried in the second half of the report data. */
export function reportDataNonce(reportData: Uint8Array): Uint8Array {
  return reportData.slice(NONCE_LENGTH);
}

export function bindsEnclaveAddress(reportData: Uint8Array, enclaveAddress: string): boolean {
  return equalBytes(reportData.subarray(0, NONCE_LENGTH), commitEnclaveAddress(enclaveAddress));
}

function addressBytes(enclaveAddress: string): Uint8Array {
  try {
    return parseHex(getAddress(enclaveAddress), "enclaveAddress");
  } catch (error) {
    throw new AttestationError("INVALID_ATTESTATION_INPUT", "enclaveAddress is not a valid Ethereum address", {
      enclaveAddress,
    }, { cause: error });
  }
}
