// Typed errors of sealing secrets to an enclave key: a key that is not a usable secp256k1 key,
// bytes that are not a sealed envelope, or an envelope that does not open under the given key.
import { ContinuumError } from "../../core/ContinuumError.ts";

export type EnclaveCryptoErrorCode = "BAD_ENCLAVE_KEY" | "BAD_SEALED_FORMAT" | "SEALED_OPEN_FAILED";

export class EnclaveCryptoError extends ContinuumError<EnclaveCryptoErrorCode> {}
