// The enclave's view of the Secret Management Service: one session per task, in which the enclave
// shows its quote and the scheduler's authorization and receives the secrets it is entitled to.
import type { SigningKey } from "ethers";
import type { EnclaveVerdict } from "../src/wire/smsApi/sessionVerdicts.ts";

export interface SecretsSessionRequest {
  /** The encoded attestation quote; its report data commits to `enclaveAddress` and a fresh nonce. */
  quote: Uint8Array;
  /** The freshness nonce the quote commits to, when the SMS issued it: the session goes to the replica that did. */
  nonce?: Uint8Array;
  /** The enclave's secp256k1 public key, uncompressed 0x04-hex; the SMS seals secrets to it. */
  enclavePublicKey: string;
  enclaveAddress: string;
  worker: string;
  dealId: string;
  taskIndex: bigint;
  taskId: string;
  /** Which attempt of the task this is; the SMS serves one enclave per attempt. */
  attempt: number;
  /** The block of the deal's DealCreated log: the SMS reads that block only. */
  dealBlock: number;
  /** The workerpool owner's EIP-712 signature of Authorization(worker, taskId, enclave). */
  authorization: string;
  /** The worker's EIP-712 signature of SessionRequest(worker, taskId, attempt, enclave, keccak256(quote)). */
  workerSignature: string;
  /** The deal's dataset id, when it has one: the dataset whose key the enclave expects. */
  dataset: bigint | undefined;
  /**
   * The enclave key, so the client can open what the SMS sealed to it. It stays inside the enclave:
   * implementations use it to decrypt the reply and never send, store or log it.
   */
  enclaveKey: SigningKey;
  signal: AbortSignal;
}

/** Secrets released to the enclave, already opened. The runtime zeroes them once used. */
export interface ReleasedSecrets {
  /** The dataset's AES-256 key; present when the deal includes a dataset. */
  datasetKey?: Uint8Array;
  /** The app owner's secrets by name (names match SECRET_NAME). */
  appSecrets?: Record<string, Uint8Array>;
  /** The requester's secrets named in the deal's params, by name. */
  requesterSecrets?: Record<string, Uint8Array>;
  /** For a pipeline stage: the intermediate keys of the stages it reads, and its own output's unless it is final. */
  stageKeys?: StageKeys;
  /**
   * The SMS's verdict on this enclave, not a secret: its EnclaveAttested signature is the result's
   * smsAttestation. Absent from an SMS that signs no verdicts (the result then carries none).
   */
  attestation?: EnclaveVerdict;
}

/** A stage's 32-byte AES-256-GCM intermediate key. */
export interface StageKey {
  stage: string;
  key: Uint8Array;
}

export interface StageKeys {
  pipeline: string;
  stage: string;
  inputs: StageKey[];
  /** Null for a final stage: its output is sealed to the requester's result key. */
  output: StageKey | null;
}

export interface SecretsClient {
  /**
   * The 32-byte freshness nonce to put in the quote's report data, when the SMS issues challenges.
   * Without it the runtime dates its own nonce (createTimestampedNonce).
   */
  freshnessNonce?(signal: AbortSignal): Promise<Uint8Array>;
  /**
   * Opens a session. Throws EnclaveError("SMS_REFUSED", ..., { reason, failure? }) when the SMS
   * refuses, with the SMS's signed FailureVerdict when the refusal blames another party than the
   * workerpool; any other failure is reported by the runtime as SMS_UNAVAILABLE.
   */
  requestSession(request: SecretsSessionRequest): Promise<ReleasedSecrets>;
  /**
   * How many SMS replicas the client can turn to (1 when absent). After SMS_UNAVAILABLE in a
   * session the runtime starts the exchange again, from a new challenge, up to this many times:
   * a challenge is only good at the replica that issued it.
   */
  readonly replicas?: number;
}
