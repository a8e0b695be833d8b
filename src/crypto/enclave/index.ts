// Public API of sealing secrets to an attested enclave: the SMS seals with sealToEnclave, the
// enclave runtime opens with openAsEnclave; key parsing and the enclave address they share.
export { EnclaveCryptoError, type EnclaveCryptoErrorCode } from "./EnclaveCryptoError.ts";
export {
  enclaveAddressOf,
  enclavePublicKeyForms,
  enclavePublicKeyOf,
  enclavePublicKeyToHex,
  parseEnclavePrivateKey,
  parseEnclavePublicKey,
  ENCLAVE_PUBLIC_KEY_BYTES,
  ENCLAVE_SECRET_KEY_BYTES,
  type KeyInput,
} from "./enclaveKeys.ts";
export {
  agreeWithEnclave,
  createEnclaveSealer,
  openAsEnclave,
  sealToEnclave,
  type EnclaveSealer,
  type SealAgreement,
} from "./sealToEnclave.ts";
export { parseSealedEnvelope, SEALED_FORMAT_VERSION, SEALED_HEADER_BYTES, SEALED_OVERHEAD_BYTES } from "./sealedEnvelope.ts";
