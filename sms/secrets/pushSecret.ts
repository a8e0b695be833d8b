// Stores a secret pushed by its on-chain owner: the EIP-712 SecretPush signature, its expiry,
// ownership read from the registries, then a create (version 1) or an update (exactly version
// n + 1), sealed under envelope encryption. Every outcome is written to the audit log.
import type { TypedDataDomain } from "ethers";
import { getAddress } from "ethers";
import type { DealReader } from "../../src/chain/dealReader.ts";
import { DATASET_KEY_BYTES } from "../../src/crypto/index.ts";
import type { Logger } from "../../src/core/logger.ts";
import type { AuditRepository } from "../persistence/AuditRepository.ts";
import type { SecretRepository, SecretWriteResult } from "../persistence/SecretRepository.ts";
import { SmsError } from "../SmsError.ts";
import { sealSecret } from "./envelopeEncryption.ts";
import type { MasterKey } from "./MasterKey.ts";
import { SECRET_KIND_NUMBER, secretIdentity, secretReference, type SecretIdentity, type SecretKind, type SecretReference } from "../../src/wire/smsApi/secretKinds.ts";
import { recoverSecretPushSigner, secretHashOf } from "../../src/wire/eip712/smsMessages.ts";

export type PushContext = {
  chain: Pick<DealReader, "datasetOwner" | "appOwner">;
  secrets: SecretRepository;
  audit: AuditRepository;
  masterKey: MasterKey;
  domain: TypedDataDomain;
  clock: () => Date;
  logger: Logger;
};

/** A push after its shape was validated (see http/secretRoutes.ts). */
export type SecretPushRequest = {
  kind: SecretKind;
  asset: bigint;
  owner: string;
  name: string;
  version: number;
  expiry: bigint;
  value: Uint8Array;
  signature: string;
};

export type PushedSecret = { created: boolean; secret: SecretReference & { updatedAt: string } };

export async function pushSecret(context: PushContext, request: SecretPushRequest): Promise<PushedSecret> {
  const identity = secretIdentity(request.kind, request.asset, request.owner, request.name);
  const signer = recoverSigner(context.domain, request);
  const refuse = async (error: SmsError): Promise<never> => {
    await context.audit.append(auditEntry(identity, signer, request.version, { reason: error.code, detail: error.message }));
    context.logger.warn({ kind: identity.kind, asset: identity.asset.toString(), reason: error.code }, "secret push refused");
    throw error;
  };

  if (signer === undefined || signer !== getAddress(request.owner)) {
    return refuse(new SmsError("INVALID_SIGNATURE", "the signature does not recover to the push's owner"));
  }
  if (request.expiry < BigInt(Math.floor(context.clock().getTime() / 1000))) {
    return refuse(new SmsError("REQUEST_EXPIRED", `the signed push expired at ${request.expiry}`));
  }
  const ownership = await ownershipRefusal(context, identity, signer);
  if (ownership) return refuse(ownership);
  if (identity.kind === "dataset" && request.value.length !== DATASET_KEY_BYTES) {
    return refuse(new SmsError("INVALID_SECRET", `a dataset key is ${DATASET_KEY_BYTES} bytes`, { length: request.value.length }));
  }

  const write = {
    identity,
    version: request.version,
    sealed: sealSecret(context.masterKey, identity, request.version, request.value),
    updatedBy: signer,
  };
  const result = request.version === 1 ? await context.secrets.create(write) : await context.secrets.update(write);
  if (!result.written) return refuse(writeRefusal(result, request.version));
  await context.audit.append(auditEntry(identity, signer, request.version, { stored: true }));
  context.logger.info({ kind: identity.kind, asset: identity.asset.toString(), version: request.version }, "secret stored");
  return {
    created: request.version === 1,
    secret: { ...secretReference(identity, request.version), updatedAt: result.secret.updatedAt.toISOString() },
  };
}

function recoverSigner(domain: TypedDataDomain, request: SecretPushRequest): string | undefined {
  try {
    const message = {
      kind: SECRET_KIND_NUMBER[request.kind],
      asset: request.asset,
      owner: request.owner,
      name: request.name,
      secretHash: secretHashOf(request.value),
      version: BigInt(request.version),
      expiry: request.expiry,
    };
    return getAddress(recoverSecretPushSigner(domain, message, request.signature));
  } catch {
    return undefined;
  }
}

async function ownershipRefusal(context: PushContext, identity: SecretIdentity, signer: string): Promise<SmsError | undefined> {
  if (identity.kind === "requester") return undefined;
  const owner = identity.kind === "dataset"
    ? await context.chain.datasetOwner(identity.asset)
    : await context.chain.appOwner(identity.asset);
  if (owner === undefined) {
    return new SmsError("ASSET_NOT_FOUND", `${identity.kind} ${identity.asset} is not registered on-chain`);
  }
  if (owner !== signer) {
    return new SmsError("NOT_ASSET_OWNER", `${signer} does not own ${identity.kind} ${identity.asset} on-chain`, {
      owner,
    });
  }
  return undefined;
}

function writeRefusal(result: Extract<SecretWriteResult, { written: false }>, version: number): SmsError {
  if (result.reason === "EXISTS") {
    return new SmsError("SECRET_EXISTS", "the secret exists; replace it with a signed update at the next version", {
      currentVersion: result.currentVersion,
    });
  }
  if (result.reason === "NOT_FOUND") {
    return new SmsError("SECRET_NOT_FOUND", `there is no secret to update to version ${version}; push version 1 first`);
  }
  return new SmsError("VERSION_CONFLICT", `an update must be exactly version ${(result.currentVersion ?? 0) + 1}`, {
    currentVersion: result.currentVersion,
  });
}

function auditEntry(
  identity: SecretIdentity,
  signer: string | undefined,
  version: number,
  decision: { reason: string; detail: string } | { stored: true },
) {
  return {
    action: "push" as const,
    outcome: "stored" in decision ? ("stored" as const) : ("refused" as const),
    reason: "reason" in decision ? decision.reason : null,
    detail: "detail" in decision ? decision.detail : "",
    actor: signer?.toLowerCase() ?? null,
    dealId: null,
    taskIndex: null,
    taskId: null,
    enclave: null,
    measurement: null,
    app: identity.kind === "app" ? identity.asset : null,
    dataset: identity.kind === "dataset" ? identity.asset : null,
    requester: identity.kind === "requester" ? identity.requester : null,
    secrets: [secretReference(identity, version)],
  };
}
