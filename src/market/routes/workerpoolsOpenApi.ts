// OpenAPI documentation of GET /v1/workerpools/{workerpool} and of the owner's signed
// PUT /v1/workerpools/{workerpool}/scheduler (src/wire/marketApi/workerpoolScheduler.ts).
import { jsonResponse } from "../../http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";
import {
  ACCOUNT_HEADER,
  ACCOUNT_SIGNATURE_HEADER,
  ACCOUNT_TIMESTAMP_HEADER,
} from "../../wire/marketApi/accountRequestSignature.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const WORKERPOOL_PARAMETER = {
  name: "workerpool",
  in: "path",
  required: true,
  description: "The workerpool's id (decimal)",
  schema: { type: "string", pattern: "^[0-9]{1,78}$" },
};
const header = (name: string, description: string, pattern: string) => ({ name, in: "header", required: true, description, schema: { type: "string", pattern } });

const OFFERED_RUNTIME = {
  type: "object",
  required: ["runtime", "profile", "interpreter", "packages"],
  properties: {
    runtime: { type: "string", description: "node, python, wasi, …" },
    profile: { type: ["string", "null"], description: "The runtime profile's digest apps are measured under; null for node" },
    interpreter: { type: ["string", "null"], description: "e.g. CPython 3.11.2" },
    packages: {
      type: "array",
      description: "The native packages the workers declare, which apps may import",
      items: { type: "object", required: ["name", "version"], properties: { name: { type: "string" }, version: { type: "string" } } },
    },
  },
};

const WORKERPOOL_SCHEDULER = {
  type: "object",
  required: ["url", "announcedBy", "announcedAt", "status", "checkedAt", "runtimes", "problem"],
  properties: {
    url: { type: "string", format: "uri" },
    announcedBy: { type: "string", pattern: "^0x[0-9a-f]{40}$", description: "The owner that announced it" },
    announcedAt: { type: "string", format: "date-time" },
    status: {
      type: "string",
      enum: ["pending", "reachable", "unreachable", "mismatch"],
      description:
        "reachable: its GET /v1/info answered at the last read; unreachable: it did not (runtimes unknown); pending: not read yet; " +
        "mismatch: it serves another workerpool. The market reads it every market.schedulerCheckIntervalMs",
    },
    checkedAt: { type: ["string", "null"], format: "date-time" },
    runtimes: { type: ["array", "null"], items: ref("OfferedRuntime"), description: "What its live workers offer; null when unknown" },
    problem: { type: ["string", "null"], description: "Why the last read failed" },
  },
};

export const WORKERPOOL_SCHEMAS: Record<string, unknown> = {
  OfferedRuntime: OFFERED_RUNTIME,
  WorkerpoolScheduler: WORKERPOOL_SCHEDULER,
  Workerpool: {
    type: "object",
    required: ["workerpool", "owner", "description", "scheduler"],
    properties: {
      workerpool: { type: "string", pattern: "^[0-9]{1,78}$" },
      owner: { type: ["string", "null"], description: "Owner at registration, as the ledger indexed it" },
      description: { type: ["string", "null"] },
      scheduler: { oneOf: [ref("WorkerpoolScheduler"), { type: "null" }], description: "Null until its owner announces one" },
    },
  },
};

export const WORKERPOOL_PATHS: OpenApiPaths = {
  "/v1/workerpools/{workerpool}": {
    get: {
      summary: "A workerpool: its registration and its announced scheduler with the runtimes its workers offer",
      operationId: "getWorkerpool",
      parameters: [WORKERPOOL_PARAMETER],
      responses: { "200": jsonResponse("The workerpool", ref("Workerpool")) },
      errors: ["INVALID_ASSET_ID", "WORKERPOOL_NOT_FOUND"],
    },
  },
  "/v1/workerpools/{workerpool}/scheduler": {
    put: {
      summary: "Announce the workerpool's scheduler URL (its on-chain owner only); the market reads its GET /v1/info at once and then periodically",
      description:
        "Signed like any account request (src/wire/marketApi/accountRequestSignature.ts): the owner's EIP-191 signature over the " +
        "market, PUT, the path with its query (so the URL is signed) and a timestamp within 60 s. `continuum workerpool announce` sends it.",
      operationId: "announceWorkerpoolScheduler",
      parameters: [
        WORKERPOOL_PARAMETER,
        { name: "url", in: "query", required: true, description: "The scheduler's base URL (http or https), e.g. http://pool.example:8070", schema: { type: "string", maxLength: 2048 } },
        header(ACCOUNT_HEADER, "The workerpool owner's address", "^0x[0-9a-fA-F]{40}$"),
        header(ACCOUNT_TIMESTAMP_HEADER, "Milliseconds since the epoch, within 60 s of the market's clock", "^[0-9]{1,16}$"),
        header(ACCOUNT_SIGNATURE_HEADER, "EIP-191 signature of the account request message", "^0x[0-9a-fA-F]+$"),
      ],
      responses: { "200": jsonResponse("The announced scheduler, after the market's first read of it", ref("WorkerpoolScheduler")) },
      errors: ["INVALID_ASSET_ID", "ACCOUNT_SIGNATURE_REQUIRED", "INVALID_SCHEDULER_URL", "WORKERPOOL_NOT_FOUND", "NOT_WORKERPOOL_OWNER", "CHAIN_UNAVAILABLE"],
    },
  },
};
