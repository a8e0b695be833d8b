// Lets the owner of a secret read the audit entries that concern it: an EIP-712 AuditQuery signed
// by the reader, short-lived, for a dataset or app the reader owns on-chain, or for the reader's
// own requester secrets.
import { getAddress, type TypedDataDomain } from "ethers";
import type { DealReader } from "../../src/chain/dealReader.ts";
import { toPage, type Page } from "../../src/http/pagination.ts";
import type { AuditRepository, AuditScope } from "../persistence/AuditRepository.ts";
import type { AuditRow } from "../persistence/smsEntities.ts";
import { SmsError } from "../SmsError.ts";
import { SECRET_KIND_NUMBER, type SecretKind, type SecretReference } from "../../src/wire/smsApi/secretKinds.ts";
import { recoverAuditQuerySigner } from "../../src/wire/eip712/smsMessages.ts";

/** A signed query stays usable at most this long, so a leaked one soon stops working. */
export const MAX_AUDIT_QUERY_LIFETIME_SECONDS = 86_400;

export type AuditContext = {
  chain: Pick<DealReader, "datasetOwner" | "appOwner">;
  audit: AuditRepository;
  domain: TypedDataDomain;
  clock: () => Date;
};

/** A query after its shape was validated (see http/auditRoutes.ts), with the page asked for: entries after `afterId`. */
export type AuditQueryRequest = {
  reader: string;
  kind: SecretKind;
  asset: bigint;
  expiry: bigint;
  signature: string;
  afterId: number;
  limit: number;
};

export type AuditEntryView = {
  id: number;
  at: string;
  action: AuditRow["action"];
  outcome: AuditRow["outcome"];
  reason: string | null;
  detail: string;
  actor: string | null;
  dealId: string | null;
  taskIndex: string | null;
  taskId: string | null;
  enclave: string | null;
  measurement: string | null;
  app: string | null;
  dataset: string | null;
  requester: string | null;
  secrets: SecretReference[];
};

/** Oldest first; the cursor carries the last entry's id. */
export type AuditPage = Page<AuditEntryView>;

export async function readAudit(context: AuditContext, query: AuditQueryRequest): Promise<AuditPage> {
  const reader = authenticate(context, query);
  const scope = await scopeOf(context, query, reader);
  const rows = await context.audit.list(scope, { afterId: query.afterId, limit: query.limit + 1 });
  return toPage(rows.map(toView), query.limit, (entry) => [entry.id]);
}

function authenticate(context: AuditContext, query: AuditQueryRequest): string {
  let signer: string | undefined;
  try {
    const message = { reader: query.reader, kind: SECRET_KIND_NUMBER[query.kind], asset: query.asset, expiry: query.expiry };
    signer = getAddress(recoverAuditQuerySigner(context.domain, message, query.signature));
  } catch {
    signer = undefined;
  }
  if (signer !== getAddress(query.reader)) {
    throw new SmsError("INVALID_SIGNATURE", "the signature does not recover to the query's reader");
  }
  const now = BigInt(Math.floor(context.clock().getTime() / 1000));
  if (query.expiry < now) throw new SmsError("REQUEST_EXPIRED", `the signed query expired at ${query.expiry}`);
  if (query.expiry > now + BigInt(MAX_AUDIT_QUERY_LIFETIME_SECONDS)) {
    throw new SmsError("EXPIRY_TOO_FAR", `a signed audit query may be valid for at most ${MAX_AUDIT_QUERY_LIFETIME_SECONDS}s`);
  }
  return signer;
}

async function scopeOf(context: AuditContext, query: AuditQueryRequest, reader: string): Promise<AuditScope> {
  if (query.kind === "requester") return { requester: reader };
  const owner = query.kind === "dataset"
    ? await context.chain.datasetOwner(query.asset)
    : await context.chain.appOwner(query.asset);
  if (owner === undefined) throw new SmsError("ASSET_NOT_FOUND", `${query.kind} ${query.asset} is not registered on-chain`);
  if (owner !== reader) {
    throw new SmsError("NOT_ASSET_OWNER", `${reader} does not own ${query.kind} ${query.asset} on-chain`, { owner });
  }
  return query.kind === "dataset" ? { dataset: query.asset } : { app: query.asset };
}

function toView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    reason: row.reason,
    detail: row.detail,
    actor: row.actor,
    dealId: row.dealId,
    taskIndex: row.taskIndex?.toString() ?? null,
    taskId: row.taskId,
    enclave: row.enclave,
    measurement: row.measurement,
    app: row.app?.toString() ?? null,
    dataset: row.dataset?.toString() ?? null,
    requester: row.requester,
    secrets: row.secrets,
  };
}
