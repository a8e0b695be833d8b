// Taking an order off the market's book at its signer's request: an EIP-712 `Unpublish { bytes32
// orderHash; uint256 expiry }` in the deployment's domain, signed by the order's signer. It only
// removes the order off-chain; to make it unusable on-chain, cancel it on the contract.
import { verifyTypedData, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

export const UNPUBLISH_TYPES: Record<string, TypedDataField[]> = {
  Unpublish: [
    { name: "orderHash", type: "bytes32" },
    { name: "expiry", type: "uint256" },
  ],
};

export type Unpublish = { orderHash: string; expiry: bigint };

export function signUnpublish(signer: Signer, domain: TypedDataDomain, message: Unpublish): Promise<string> {
  return signer.signTypedData(domain, UNPUBLISH_TYPES, message);
}

/** The address that signed the unpublish message; throws on a malformed signature. */
export function recoverUnpublishSigner(domain: TypedDataDomain, message: Unpublish, signature: string): string {
  return verifyTypedData(domain, UNPUBLISH_TYPES, message, signature);
}
