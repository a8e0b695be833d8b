// The three kinds of secret the SMS keeps, who may push each, and how a secret is identified:
// a dataset's key (dataset owner), an app's named secrets (app owner), a requester's named secrets.
import { ZERO_ADDRESS } from "../eip712/types.ts";

export const SECRET_KINDS = ["dataset", "app", "requester"] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** The `uint8 kind` of the signed messages and the `kind` column. */
export const SECRET_KIND_NUMBER: Readonly<Record<SecretKind, number>> = { dataset: 0, app: 1, requester: 2 };

export function secretKindOfNumber(kind: number): SecretKind {
  const found = SECRET_KINDS[kind];
  if (found === undefined) throw new RangeError(`unknown secret kind ${kind}`);
  return found;
}

/**
 * What names one secret. A dataset has exactly one secret, its key, with the empty name; app
 * secrets are scoped by app id; requester secrets by the requester's address (asset is 0).
 */
export type SecretIdentity = {
  kind: SecretKind;
  asset: bigint;
  /** Lowercase address for requester secrets, the zero address otherwise. */
  requester: string;
  name: string;
};

export const DATASET_KEY_NAME = "";
/** Names of app and requester secrets: what an environment variable or file name can hold. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function secretIdentity(kind: SecretKind, asset: bigint, owner: string, name: string): SecretIdentity {
  return {
    kind,
    asset: kind === "requester" ? 0n : asset,
    requester: kind === "requester" ? owner.toLowerCase() : ZERO_ADDRESS,
    name,
  };
}

/**
 * A released or stored secret as audit entries and responses describe it: never its value. A
 * pipeline's intermediate key (kind "intermediate") is named by its stage, with its pipeline's id.
 */
export type SecretReference = { kind: SecretKind | "intermediate"; asset: string; requester?: string; pipeline?: string; name: string; version: number };

/** The audit's name for the intermediate key of `stage` in pipeline `pipelineId` (made once: version 1). */
export function intermediateKeyReference(pipelineId: string, stage: string): SecretReference {
  return { kind: "intermediate", asset: "0", pipeline: pipelineId.toLowerCase(), name: stage, version: 1 };
}

export function secretReference(identity: SecretIdentity, version: number): SecretReference {
  return {
    kind: identity.kind,
    asset: identity.asset.toString(),
    ...(identity.kind === "requester" ? { requester: identity.requester } : {}),
    name: identity.name,
    version,
  };
}
