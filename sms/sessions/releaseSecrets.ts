// Gathers what a checked session may receive: the deal's dataset key, the app's secrets and the
// requester secrets named in the deal's params (src/wire/requestParams.ts), each opened from rest
// and sealed to the enclave. The rows are read and the key agreement made while the session's
// last check is decided; nothing is opened before it passes.
import { createEnclaveSealer, enclavePublicKeyForms, type EnclaveSealer, type SealAgreement } from "../../src/crypto/enclave/index.ts";
import { toHex, type Hex } from "../../src/crypto/hex.ts";
import { isUsableResultPublicKey } from "../../src/crypto/result/resultKeys.ts";
import type { ChainDeal } from "../../src/chain/dealReader.ts";
import { openSecret } from "../secrets/envelopeEncryption.ts";
import type { MasterKey } from "../secrets/MasterKey.ts";
import { secretReference, type SecretReference } from "../../src/wire/smsApi/secretKinds.ts";
import type { SecretRepository, StoredSecret } from "../persistence/SecretRepository.ts";
import { readRequestParams } from "../../src/wire/requestParams.ts";
import type { SessionRefusalReason } from "./sessionRefusals.ts";

export type SealedNamedSecret = { name: string; version: number; sealed: Hex };

/** The secrets of one session, each sealed to the enclave key (openAsEnclave opens them). */
export type ReleasedSecrets = {
  dataset: { id: string; version: number; sealedKey: Hex } | null;
  app: SealedNamedSecret[];
  requester: SealedNamedSecret[];
};

export type Release =
  | { ok: true; secrets: ReleasedSecrets; released: SecretReference[] }
  | { ok: false; reason: SessionRefusalReason; detail: string };

/** Makes the seal agreement with a (compressed) enclave key elsewhere, e.g. Secp256k1Pool.agree. */
export type SealAgreementMaker = (recipient: Uint8Array) => Promise<SealAgreement>;

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
 * Starts gathering what the session may receive, so the database read and the key agreement run
 * while the caller decides the last check (the enclave's binding to the attempt).
 */
export function prepareRelease(
  secrets: SecretRepository,
  masterKey: MasterKey,
  chainDeal: ChainDeal,
  enclavePublicKey: Uint8Array,
  agree?: SealAgreementMaker,
): PendingRelease {
  const { deal } = chainDeal;
  // The deal may have been matched on-chain without the market: its params get the market's rule here.
  const params = readRequestParams(chainDeal.params);
  if (!params.ok) return refused({ ok: false, reason: "INVALID_REQUEST_PARAMS", detail: params.problem });
  // No enclave can encrypt the result to a key that is not one: the task could never deliver.
  if (!isUsableResultPublicKey(deal.resultPublicKey)) {
    return refused({ ok: false, reason: "INVALID_RESULT_KEY", detail: "the deal's resultPublicKey is not an X25519 public key a result can be encrypted to" });
  }
  const names = params.requesterSecrets;
  // The key agreement, when made elsewhere, runs while the secrets are read.
  const agreement = agree?.(enclavePublicKeyForms(enclavePublicKey).compressed);
  agreement?.catch(() => undefined);
  const reading = secrets.findReleasable({ dataset: deal.dataset, app: deal.app, requester: deal.requester, requesterNames: names });
  reading.catch(() => undefined);
  const discard = () => void agreement?.then(wipeAgreement, () => undefined);
  return {
    complete: async () => {
      const stored = await reading;
      const refusal = missingSecret(stored, deal.dataset, names);
      if (refusal !== undefined) {
        discard();
        return refusal;
      }
      return sealAll(stored, masterKey, chainDeal, createEnclaveSealer(enclavePublicKey, agreement && (await agreement)));
    },
    discard,
  };
}

/** Every check, read and seal at once: the pending release completed straight away. */
export function releaseSecrets(
  secrets: SecretRepository,
  masterKey: MasterKey,
  chainDeal: ChainDeal,
  enclavePublicKey: Uint8Array,
  agree?: SealAgreementMaker,
): Promise<Release> {
  return prepareRelease(secrets, masterKey, chainDeal, enclavePublicKey, agree).complete();
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
function sealAll(stored: readonly StoredSecret[], masterKey: MasterKey, chainDeal: ChainDeal, sealer: EnclaveSealer): Release {
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
    return {
      ok: true,
      secrets: {
        dataset: datasetKey ? { id: deal.dataset.toString(), version: datasetKey.version, sealedKey: seal(datasetKey) } : null,
        app: stored.filter((secret) => secret.identity.kind === "app").map(named),
        requester: stored.filter((secret) => secret.identity.kind === "requester").map(named),
      },
      released: stored.map((secret) => secretReference(secret.identity, secret.version)),
    };
  } finally {
    sealer.dispose();
  }
}

function wipeAgreement(agreement: SealAgreement): void {
  agreement.sharedX.fill(0);
}
