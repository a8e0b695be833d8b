// Public API of the crypto module: dataset encryption, result encryption to a requester's key,
// and password-protected key files. Other modules import from here, never from the files behind it.
export { CryptoError, type CryptoErrorCode } from "./errors.ts";
export { toHex, parseFixedHex, type Hex } from "./hex.ts";

export {
  DATASET_FORMAT_VERSION,
  DATASET_KEY_BYTES,
  DATASET_MAX_PLAINTEXT_BYTES,
} from "./dataset/datasetFormat.ts";
export { encryptDataset, decryptDataset, type EncryptedDataset } from "./dataset/datasetBuffer.ts";
export { encryptDatasetFile, decryptDatasetFile, type EncryptedDatasetFile } from "./dataset/datasetFile.ts";
export { encryptDatasetStream, decryptDatasetStream, type ByteTransform } from "./dataset/datasetStreams.ts";
export { sha256File, sha256Hex } from "./dataset/datasetChecksum.ts";

export {
  generateResultKeyPair,
  isUsableResultPublicKey,
  parseResultPublicKey,
  resultPublicKeyFromPrivate,
  resultPublicKeyToHex,
  RESULT_KEY_BYTES,
  type ResultKeyPair,
} from "./result/resultKeys.ts";
export { encryptResult, decryptResult } from "./result/resultEncryption.ts";
export { ATTESTED_RESULT_FORMAT_VERSION, MAX_RESULT_HEADER_BYTES, RESULT_FORMAT_VERSION, parseResultHeader } from "./result/resultEnvelope.ts";

export {
  DEFAULT_SCRYPT_COST,
  type KeyFilePublicInfo,
  type KeyKind,
  type ScryptCost,
} from "./keyfile/keyFileFormat.ts";
export type { KeyFileOptions } from "./keyfile/keyFileAccess.ts";
export { readKeyFilePublicInfo } from "./keyfile/keyFileStore.ts";
export {
  createEthereumKeyFile,
  loadEthereumKeyFile,
  type EthereumKeyFileOptions,
  type EthereumKeyInfo,
} from "./keyfile/ethereumKeyFile.ts";
export { createResultKeyFile, loadResultKeyFile, type ResultKeyInfo } from "./keyfile/resultKeyFile.ts";
