// The OpenAPI 3.1 description of the scheduler's worker API, served at GET /openapi.json: each
// route's body (derived from the very zod schemas that validate it), the signed-request headers, and every error code.
import { z } from "zod";
import { ERROR_SCHEMA, errorResponse } from "../../src/http/openApiErrors.ts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, WORKER_HEADER } from "../../src/wire/workerApi/workerRequestSignature.ts";
import type { SchedulerErrorCode } from "../SchedulerError.ts";
import { TASK_STATES } from "../tasks/taskStates.ts";
import { authorizationBody, failureBody, progressBody, registrationBody, resultBody } from "./requestBodies.ts";
import { BODY_ERRORS, SCHEDULER_ERROR_STATUS } from "./schedulerErrors.ts";

type ErrorCode = SchedulerErrorCode | "INVALID_JSON" | "BODY_TOO_LARGE" | "INTERNAL";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const bodySchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  return rest;
};

const BODY_CODES: readonly ErrorCode[] = ["INVALID_JSON", "BODY_TOO_LARGE", "INVALID_REQUEST"];
const SIGNED_CODES: readonly ErrorCode[] = ["BAD_SIGNATURE", "STALE_REQUEST"];
const REGISTERED_CODES: readonly ErrorCode[] = [...SIGNED_CODES, "WORKER_NOT_FOUND"];
const HELD_TASK_CODES: readonly ErrorCode[] = [...REGISTERED_CODES, "TASK_NOT_FOUND", "NOT_ASSIGNED"];

function statusOf(code: ErrorCode): number {
  if (code === "INTERNAL") return 500;
  const body = Object.values(BODY_ERRORS).find((entry) => entry.code === code);
  if (body) return body.status;
  const status = SCHEDULER_ERROR_STATUS[code as SchedulerErrorCode];
  if (status === undefined) throw new Error(`scheduler error ${code} has no HTTP status`);
  return status;
}

/** The error responses of one operation: its codes grouped by status, each listed in the description. */
export function errorResponses(codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...new Set<ErrorCode>([...codes, "INTERNAL"])]) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, listed]) => [
      String(status),
      { ...errorResponse(`error.code is one of: ${listed.join(", ")}`), "x-error-codes": listed },
    ]),
  );
}

const SIGNED_HEADERS = [
  { $ref: "#/components/parameters/WorkerAddress" },
  { $ref: "#/components/parameters/WorkerTimestamp" },
  { $ref: "#/components/parameters/WorkerSignature" },
];
const workerAddressParameter = {
  name: "address",
  in: "path",
  required: true,
  description: "the worker's address; must be the one that signed the request",
  schema: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
};
const taskIdParameter = {
  name: "taskId",
  in: "path",
  required: true,
  description: "keccak256(abi.encode(dealId, taskIndex)), as in the assignment",
  schema: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" },
};

const taskState = {
  type: "object",
  required: ["taskId", "state"],
  properties: { taskId: { type: "string" }, state: { enum: [...TASK_STATES] } },
};

const signedTaskPost = (summary: string, body: z.ZodType, extraCodes: readonly ErrorCode[], ok: unknown) => ({
  summary,
  parameters: [taskIdParameter, ...SIGNED_HEADERS],
  requestBody: { required: true, content: json(bodySchema(body)) },
  responses: { 200: { description: "done", content: json(ok) }, ...errorResponses([...BODY_CODES, ...HELD_TASK_CODES, ...extraCodes]) },
});

const SIGNED_MESSAGE = [
  "Continuum worker request",
  "scheduler: <workerpool owner, checksummed>",
  "workerpool: <workerpool id, decimal>",
  "worker: <worker address, checksummed>",
  "method: <upper-case HTTP method>",
  "path: <request path with query string>",
  "timestamp: <the x-continuum-timestamp value>",
  "body-sha256: <hex sha256 of the raw body bytes, of nothing when there is no body>",
].join("\n");

export const SCHEDULER_OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Continuum workerpool scheduler",
    version: "1.0.0",
    description:
      "What a worker of one workerpool uses: register with its capabilities, heartbeat, poll for a task, obtain the " +
      "workerpool owner's authorization of its enclave, report progress, then a result or a failure. Every route " +
      `under /v1 except GET /v1/info is signed: the worker sends ${WORKER_HEADER}, ${TIMESTAMP_HEADER} (unix ms, ` +
      `within the scheduler's window of now) and ${SIGNATURE_HEADER}, an EIP-191 personal signature by the worker's ` +
      `key of these lines joined by "\\n":\n\n\`\`\`\n${SIGNED_MESSAGE}\n\`\`\`\n\n` +
      "A worker acts only for itself. Every error is `{ error: { code, message, details } }`; an unknown route " +
      "answers 404 ROUTE_NOT_FOUND.",
  },
  paths: {
    "/v1/info": {
      get: {
        summary:
          "Which workerpool, chain and contract this scheduler serves, the heartbeat interval, and the app runtimes its live " +
          "workers offer (with their runtime profiles, for developers to measure apps against)",
        responses: { 200: { description: "the scheduler's identity", content: json(ref("Info")) }, ...errorResponses([]) },
      },
    },
    "/v1/workers": {
      post: {
        summary: "Register the signing worker (or update its capabilities)",
        parameters: SIGNED_HEADERS,
        requestBody: { required: true, content: json(bodySchema(registrationBody)) },
        responses: {
          201: { description: "registered", content: json(ref("Registration")) },
          ...errorResponses([...BODY_CODES, ...SIGNED_CODES]),
        },
      },
    },
    "/v1/workers/{address}/heartbeat": {
      post: {
        summary: "Tell the scheduler the worker is alive; a worker silent for too long loses its task",
        parameters: [workerAddressParameter, ...SIGNED_HEADERS],
        responses: {
          200: {
            description: "the heartbeat was recorded",
            content: json({
              type: "object",
              required: ["address", "lastHeartbeat"],
              properties: { address: { type: "string" }, lastHeartbeat: { type: "string", format: "date-time" } },
            }),
          },
          ...errorResponses(["INVALID_JSON", "BODY_TOO_LARGE", "INVALID_REQUEST", ...REGISTERED_CODES]),
        },
      },
    },
    "/v1/workers/{address}/next-task": {
      get: {
        summary: "The task this worker holds, or the next one it can run (long poll)",
        parameters: [
          workerAddressParameter,
          {
            name: "waitMs",
            in: "query",
            required: false,
            description: "wait up to this long for a task (capped by the scheduler; default 0)",
            schema: { type: "string", pattern: "^\\d{1,7}$" },
          },
          ...SIGNED_HEADERS,
        ],
        responses: {
          200: {
            description: "an assignment",
            content: json({ type: "object", required: ["assignment"], properties: { assignment: ref("Assignment") } }),
          },
          204: { description: "no task before waitMs ran out, or the scheduler is closing" },
          ...errorResponses(["INVALID_REQUEST", ...REGISTERED_CODES]),
        },
      },
    },
    "/v1/tasks/{taskId}/authorization": {
      post: signedTaskPost(
        "The workerpool owner's EIP-712 Authorization(worker, taskId, enclave) for this attempt's enclave",
        authorizationBody,
        ["ENCLAVE_ALREADY_AUTHORIZED"],
        {
          type: "object",
          required: ["authorization", "enclave"],
          properties: { authorization: { type: "string" }, enclave: { type: "string" } },
        },
      ),
    },
    "/v1/tasks/{taskId}/progress": {
      post: signedTaskPost("A progress note; the first moves the task from assigned to running", progressBody, ["TRANSITION_CONFLICT"], taskState),
    },
    "/v1/tasks/{taskId}/result": {
      post: signedTaskPost(
        "The result, signed by the authorized enclave (TEE tasks); the scheduler pushes it on-chain",
        resultBody,
        ["BAD_RESULT", "TRANSITION_CONFLICT"],
        taskState,
      ),
    },
    "/v1/tasks/{taskId}/failure": {
      post: signedTaskPost(
        "The worker gives up on its task: it is reassigned while attempts and the deadline allow",
        failureBody,
        ["TRANSITION_CONFLICT"],
        taskState,
      ),
    },
    "/openapi.json": {
      get: { summary: "This document", responses: { 200: { description: "OpenAPI 3.1" } } },
    },
  },
  components: {
    parameters: {
      WorkerAddress: { name: WORKER_HEADER, in: "header", required: true, schema: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } },
      WorkerTimestamp: {
        name: TIMESTAMP_HEADER,
        in: "header",
        required: true,
        description: "unix time in milliseconds",
        schema: { type: "string", pattern: "^\\d{1,16}$" },
      },
      WorkerSignature: {
        name: SIGNATURE_HEADER,
        in: "header",
        required: true,
        description: "EIP-191 signature of the signed message (see the description above)",
        schema: { type: "string" },
      },
    },
    schemas: {
      Error: ERROR_SCHEMA,
      Info: {
        type: "object",
        required: ["workerpool", "workerpoolOwner", "chainId", "continuum", "heartbeatIntervalMs"],
        properties: {
          workerpool: { type: "string" },
          workerpoolOwner: { type: "string" },
          chainId: { type: "string" },
          continuum: { type: "string" },
          heartbeatIntervalMs: { type: "integer" },
          runtimes: bodySchema(registrationBody.shape.capabilities.shape.runtimes.unwrap()),
        },
      },
      Registration: {
        type: "object",
        required: ["address", "capabilities", "heartbeatIntervalMs"],
        properties: {
          address: { type: "string" },
          capabilities: bodySchema(registrationBody.shape.capabilities),
          heartbeatIntervalMs: { type: "integer" },
        },
      },
      Assignment: {
        type: "object",
        required: ["taskId", "dealId", "taskIndex", "attempt", "deal", "params", "app", "dataset", "maxRunTimeSeconds", "tee"],
        properties: {
          taskId: { type: "string" },
          dealId: { type: "string" },
          taskIndex: { type: "string" },
          attempt: { type: "integer" },
          deal: { type: "object", additionalProperties: { type: "string" }, description: "the deal as emitted in DealCreated" },
          params: { type: "string" },
          app: { type: "object", required: ["bundleCid", "measurement"], properties: { bundleCid: { type: "string" }, measurement: { type: "string" } } },
          dataset: {
            oneOf: [
              { type: "object", required: ["cid", "checksum"], properties: { cid: { type: "string" }, checksum: { type: "string" } } },
              { type: "null" },
            ],
          },
          maxRunTimeSeconds: { type: "integer" },
          tee: { type: "boolean" },
        },
      },
    },
  },
} as const;
