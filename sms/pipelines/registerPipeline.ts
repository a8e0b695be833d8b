// Registers a pipeline with the SMS: the document, its DAG and the requester's signature are
// checked (src/wire/pipelines), the intermediate keys are made and sealed, and the decision is
// audited. Registering the same signed pipeline again changes nothing. The answer never holds a key.
import type { TypedDataDomain } from "ethers";
import type { Logger } from "../../src/core/logger.ts";
import { PipelineError, verifySignedPipeline } from "../../src/wire/pipelines/index.ts";
import type { AuditRepository } from "../persistence/AuditRepository.ts";
import type { PipelineRepository } from "../persistence/PipelineRepository.ts";
import type { MasterKey } from "../secrets/MasterKey.ts";
import { makeIntermediateKeys } from "./intermediateKeys.ts";

export type PipelineRegistrationContext = {
  pipelines: PipelineRepository;
  audit: AuditRepository;
  masterKey: MasterKey;
  domain: TypedDataDomain;
  logger: Logger;
};

/** What the SMS says of a registered pipeline: which stages have an intermediate key, never the key. */
export type RegisteredPipeline = {
  created: boolean;
  pipeline: { id: string; requester: string; stages: string[]; finalStages: string[]; intermediateStages: string[] };
};

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export async function registerPipeline(context: PipelineRegistrationContext, body: unknown): Promise<RegisteredPipeline> {
  let verified;
  try {
    verified = verifySignedPipeline(context.domain, body);
  } catch (error) {
    if (error instanceof PipelineError) {
      const requester = (body as { requester?: unknown } | null)?.requester;
      await context.audit.append(auditEntry(typeof requester === "string" && ADDRESS.test(requester) ? requester : null, { reason: error.code, detail: error.message }));
      context.logger.warn({ reason: error.code }, "pipeline refused");
    }
    throw error;
  }
  const keys = makeIntermediateKeys(context.masterKey, verified.id, verified.graph);
  const { created } = await context.pipelines.register({ ...verified, keys });
  const intermediateStages = [...keys.keys()];
  if (created) {
    await context.audit.append(auditEntry(verified.requester, { detail: `pipeline ${verified.id}: ${intermediateStages.length} intermediate keys` }));
    context.logger.info({ pipeline: verified.id, stages: verified.graph.order.length }, "pipeline registered");
  }
  return {
    created,
    pipeline: { id: verified.id, requester: verified.requester, stages: verified.graph.order, finalStages: verified.graph.finals, intermediateStages },
  };
}

function auditEntry(requester: string | null, decision: { reason: string; detail: string } | { detail: string }) {
  return {
    action: "pipeline" as const,
    outcome: "reason" in decision ? ("refused" as const) : ("stored" as const),
    reason: "reason" in decision ? decision.reason : null,
    detail: decision.detail,
    actor: requester?.toLowerCase() ?? null,
    dealId: null,
    taskIndex: null,
    taskId: null,
    enclave: null,
    measurement: null,
    app: null,
    dataset: null,
    requester: requester?.toLowerCase() ?? null,
    secrets: [],
  };
}
