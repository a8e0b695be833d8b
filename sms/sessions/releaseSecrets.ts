// Gathers what a checked session may receive: the deal's dataset key, the app's secrets, the
// requester secrets named in the deal's params (src/wire/requestParams.ts) and, for a pipeline
// stage, the intermediate keys it reads and writes (pipelines/stageKeys.ts), each opened from rest
// and sealed to the enclave. The rows are read and the key agreement made while the session's last
// check is decided; nothing is opened before it passes.
import { createEnclaveSealer, enclavePublicKeyForms, type EnclaveSealer, type SealAgreement } from "../../src/crypto/enclave/index.ts";
import { toHex, type Hex } from "../../src/crypto/hex.ts";
import { isUsableResultPublicKey } from "../../src/crypto/result/resultKeys.ts";
import type { ChainDeal } from "../../src/chain/dealReader.ts";
import { openSecret } from "../secrets/envelopeEncryption.ts";
import type { MasterKey } from "../secrets/MasterKey.ts";
import { intermediateKeyReference, secretReference, type SecretReference } from "../../src/wire/smsApi/secretKinds.ts";
import type { SecretRepository, StoredSecret } from "../persistence/SecretRepository.ts";
import { readRequestParams } from "../../src/wire/requestParams.ts";
import type { SessionRefusalReason } from "./sessionRefusals.ts";
import type { PipelineRepository } from "../persistence/PipelineRepository.ts";
import { stageKeysFor, type StageKey, type StageKeys } from "../pipelines/stageKeys.ts";
import { openIntermediateKey } from "../pipelines/intermediateKeys.ts";

export type SealedNamedSecret = { name: string; version: number; sealed: Hex };

/** A stage's intermediate key (AES-256), sealed to the enclave key. */
export type SealedStageKey = { stage: string; sealedKey: Hex };

/** The intermediate keys of a pipeline stage's session: those of the stages it reads, and its own output's unless it is final. */
export type ReleasedStageKeys = { id: string; stage: string; inputs: SealedStageKey[]; output: SealedStageKey | null };

/** The secrets of one session, each sealed to the enclave key (openAsEnclave opens them). */
export type ReleasedSecrets = {
  dataset: { id: string; version: number; sealedKey: Hex } | null;
  app: SealedNamedSecret[];
  requester: SealedNamedSecret[];
  /** Present only for a deal whose params name a pipeline stage. */
  pipeline?: ReleasedStageKeys;
};

export type Release =
  | { ok: true; secrets: ReleasedSecrets; released: SecretReference[] }
  | { ok: false; reason: SessionRefusalReason; detail: string };

/** Makes the seal agreement with a (compressed) enclave key elsewhere, e.g. Secp256k1Pool.agree. */
export type SealAgreementMaker = (recipient: Uint8Array) => Promise<SealAgreement>;

export type ReleaseStores = { secrets: SecretRepository; pipelines: PipelineRepository; masterKey: MasterKey };

/**
 * A release under way: the deal's rules are checked, the sealed rows are being read and the key
 * agreement made, and nothing is opened. `complete` opens and seals the secrets: call it only once
 * the session may receive them. `discard` lets go of it instead, wiping the agreement.
 */
export type PendingRelease = {
  complete(): Promise<Release>;
  discard(): void;
};

/**
 * Starts gathering what the session may receive, so the database reads and the key agreement run
 * while the caller decides the last check (the enclave's binding to the attempt).
 */
export function prepareRelease(
  stores: ReleaseStores,
  chainDeal: ChainDeal,
  enclavePublicKey: Uint8Array,
  agree?: SealAgreementMaker,
): PendingRelease {
  const { secrets, masterKey } = stores;
  const { deal } = chainDeal;
  // The deal may have been matched on-chain without the market: its params get the market's rule here.
  const params = readRequestParams(chainDeal.params);
  if (!params.ok) return refused({ ok: false, reason: "INVALID_REQUEST_PARAMS", detail: params.problem });
  // No enclave can encrypt the result to a key that is not one: the task could never deliver.
  if (!isUsableResultPublicKey(deal.resultPublicKey)) {
    return refused({ ok: false, reason: "INVALID_RESULT_KEY", detail: "the deal's resultPublicKey is not an X25519 public key a result can be encrypted to" });
  }
  const names = params.requesterSecrets;
  const stageKeysReading = params.pipeline === undefined ? undefined : stageKeysFor(stores.pipelines, deal, params.pipeline);
  stageKeysReading?.catch(() => undefined);
  // The key agreement, when made elsewhere, runs while the secrets are read.
  const agreement = agree?.(enclavePublicKeyForms(enclavePublicKey).compressed);
  agreement?.catch(() => undefined);
  const reading = secrets.findReleasable({ dataset: deal.dataset, app: deal.app, requester: deal.requester, requesterNames: names });
  reading.catch(() => undefined);
  const discard = () => void agreement?.then(wipeAgreement, () => undefined);
  return {
    complete: async () => {
      const stageKeys = await stageKeysReading;
      if (stageKeys !== undefined && !stageKeys.ok) {
        discard();
        return stageKeys;
      }
      const stored = await reading;
      const refusal = missingSecret(stored, deal.dataset, names);
      if (refusal !== undefined) {
        discard();
        return refusal;
      }
      return sealAll(stored, stageKeys, masterKey, chainDeal, createEnclaveSealer(enclavePublicKey, agreement && (await agreement)));
    },
    discard,
  };
}

/** Every check, read and seal at once: the pending release completed straight away. */
export function releaseSecrets(
  stores: ReleaseStores,
  chainDeal: ChainDeal,
  enclavePublicKey: Uint8Array,
  agree?: SealAgreementMaker,
): Promise<Release> {
  return prepareRelease(stores, chainDeal, enclavePublicKey, agree).complete();
}

function refused(refusal: Extract<Release, { ok: false }>): PendingRelease {
  return { complete: async () => refusal, discard: () => undefined };
}

/** The refusal when the deal's dataset key or a requester secret its params name is not stored. */
function missingSecret(stored: readonly StoredSecret[], dataset: bigint, names: readonly string[]): Extract<Release, { ok: false }> | undefined {
  if (dataset !== 0n && !stored.some((secret) => secret.identity.kind === "dataset")) {
    return { ok: false, reason: "DATASET_KEY_MISSING", detail: `no key is stored for dataset ${dataset}` };
  }
  const missing = names.filter((name) => !stored.some((secret) => secret.identity.kind === "requester" && secret.identity.name === name));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: "REQUESTER_SECRET_MISSING",
      detail: `requester secrets named in the deal's params are not stored: ${missing.slice(0, 8).join(", ")}`,
    };
  }
  return undefined;
}

/** Opens each stored secret and seals it with `sealer`: one key agreement serves every secret of the session. */
function sealAll(
  stored: readonly StoredSecret[],
  stageKeys: Extract<StageKeys, { ok: true }> | undefined,
  masterKey: MasterKey,
  chainDeal: ChainDeal,
  sealer: EnclaveSealer,
): Release {
  const { deal } = chainDeal;
  try {
    const seal = (secret: StoredSecret): Hex => {
      const value = openSecret(masterKey, secret.identity, secret.version, secret.sealed);
      try {
        return toHex(sealer.seal(value));
      } finally {
        value.fill(0);
      }
    };
    const named = (secret: StoredSecret): SealedNamedSecret => ({ name: secret.identity.name, version: secret.version, sealed: seal(secret) });
    const datasetKey = stored.find((secret) => secret.identity.kind === "dataset");
    const released = stored.map((secret) => secretReference(secret.identity, secret.version));
    let pipeline: ReleasedStageKeys | undefined;
    if (stageKeys !== undefined) {
      const sealStageKey = (key: StageKey): SealedStageKey => {
        const value = openIntermediateKey(masterKey, stageKeys.pipeline, key.stage, key.sealed);
        try {
          return { stage: key.stage, sealedKey: toHex(sealer.seal(value)) };
        } finally {
          value.fill(0);
        }
      };
      pipeline = {
        id: stageKeys.pipeline,
        stage: stageKeys.stage,
        inputs: stageKeys.inputs.map(sealStageKey),
        output: stageKeys.output === null ? null : sealStageKey(stageKeys.output),
      };
      const keys = [...stageKeys.inputs, ...(stageKeys.output === null ? [] : [stageKeys.output])];
      released.push(...keys.map((key) => intermediateKeyReference(stageKeys.pipeline, key.stage)));
    }
    return {
      ok: true,
      secrets: {
        dataset: datasetKey ? { id: deal.dataset.toString(), version: datasetKey.version, sealedKey: seal(datasetKey) } : null,
        app: stored.filter((secret) => secret.identity.kind === "app").map(named),
        requester: stored.filter((secret) => secret.identity.kind === "requester").map(named),
        ...(pipeline === undefined ? {} : { pipeline }),
      },
      released,
    };
  } finally {
    sealer.dispose();
  }
}

function wipeAgreement(agreement: SealAgreement): void {
  agreement.sharedX.fill(0);
}
