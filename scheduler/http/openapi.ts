// The OpenAPI 3.1 description of the scheduler's worker API, served at GET /openapi.json: each
// route's body (generated from the very zod schemas that validate it), the signed-request headers,
// and the codes each route answers; the shell adds their statuses from the scheduler's table.
import type { z } from "zod";
import { jsonSchemaOf } from "../../src/http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../src/http/routeModule.ts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, WORKER_HEADER } from "../../src/wire/workerApi/workerRequestSignature.ts";
import type { SchedulerErrorCode } from "../SchedulerError.ts";
import { TASK_STATES } from "../tasks/taskStates.ts";
import { queueSnapshotSchema } from "../../src/wire/workerApi/queueSnapshot.ts";
import { authorizationBody, failureBody, progressBody, registrationBody, resultBody } from "./requestBodies.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

const SIGNED_CODES: readonly SchedulerErrorCode[] = ["BAD_SIGNATURE", "STALE_REQUEST"];
const REGISTERED_CODES: readonly SchedulerErrorCode[] = [...SIGNED_CODES, "WORKER_NOT_FOUND"];
const HELD_TASK_CODES: readonly SchedulerErrorCode[] = [...REGISTERED_CODES, "TASK_NOT_FOUND", "NOT_ASSIGNED"];
/** A task report that moves the task: the move may not be in the table, or another one may have won the race. */
const TRANSITION_CODES: readonly SchedulerErrorCode[] = ["INVALID_TRANSITION", "TRANSITION_CONFLICT"];

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

const signedTaskPost = (summary: string, body: z.ZodType, extraCodes: readonly SchedulerErrorCode[], ok: unknown) => ({
  summary,
  parameters: [taskIdParameter, ...SIGNED_HEADERS],
  requestBody: { required: true, content: json(jsonSchemaOf(body)) },
  responses: { 200: { description: "done", content: json(ok) } },
  errors: ["INVALID_REQUEST", ...HELD_TASK_CODES, ...extraCodes],
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

const DESCRIPTION =
  "What a worker of one workerpool uses: register with its capabilities, heartbeat, poll for a task, obtain the " +
  "workerpool owner's authorization of its enclave, report progress, then a result or a failure. Every route " +
  `under /v1 except GET /v1/info and GET /v1/queue is signed: the worker sends ${WORKER_HEADER}, ${TIMESTAMP_HEADER} (unix ms, ` +
  `within the scheduler's window of now) and ${SIGNATURE_HEADER}, an EIP-191 personal signature by the worker's ` +
  `key of these lines joined by "\\n":\n\n\`\`\`\n${SIGNED_MESSAGE}\n\`\`\`\n\n` +
  "A worker acts only for itself.";

const PATHS: OpenApiPaths = {
  "/v1/info": {
    get: {
      summary:
        "Which workerpool, chain and contract this scheduler serves, the heartbeat interval, and the app runtimes its live " +
        "workers offer (with their runtime profiles, for developers to measure apps against)",
      responses: { 200: { description: "the scheduler's identity", content: json(ref("Info")) } },
    },
  },
  "/v1/queue": {
    get: {
      summary:
        "The queue's depth, unsigned like /v1/info: waiting tasks per category and per priority class, tasks held by " +
        "workers, live workers, and the deadline slack of the longest-waiting and of the least-slack waiting task " +
        "(the signal `continuum workerpool autoscale` scales on)",
      responses: { 200: { description: "the queue now", content: json(ref("QueueSnapshot")) } },
    },
  },
  "/v1/workers": {
    post: {
      summary: "Register the signing worker (or update its capabilities)",
      parameters: SIGNED_HEADERS,
      requestBody: { required: true, content: json(jsonSchemaOf(registrationBody)) },
      responses: { 201: { description: "registered", content: json(ref("Registration")) } },
      errors: ["INVALID_REQUEST", ...SIGNED_CODES],
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
      },
      errors: ["INVALID_REQUEST", ...REGISTERED_CODES],
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
      },
      errors: ["INVALID_REQUEST", ...REGISTERED_CODES],
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
    post: signedTaskPost("A progress note; the first moves the task from assigned to running", progressBody, TRANSITION_CODES, taskState),
  },
  "/v1/tasks/{taskId}/result": {
    post: signedTaskPost(
      "The result, signed by the authorized enclave (TEE tasks); the scheduler pushes it on-chain",
      resultBody,
      ["BAD_RESULT", ...TRANSITION_CODES],
      taskState,
    ),
  },
  "/v1/tasks/{taskId}/failure": {
    post: signedTaskPost(
      "The worker gives up on its task: it is reassigned while attempts and the deadline allow",
      failureBody,
      TRANSITION_CODES,
      taskState,
    ),
  },
};

/** The signed-request headers every route under /v1 but GET /v1/info and GET /v1/queue carries. */
export const SCHEDULER_OPENAPI_COMPONENTS = {
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
};

const SCHEMAS = {
  QueueSnapshot: jsonSchemaOf(queueSnapshotSchema),
  Info: {
    type: "object",
    required: ["workerpool", "workerpoolOwner", "chainId", "continuum", "heartbeatIntervalMs"],
    properties: {
      workerpool: { type: "string" },
      workerpoolOwner: { type: "string" },
      chainId: { type: "string" },
      continuum: { type: "string" },
      heartbeatIntervalMs: { type: "integer" },
      runtimes: jsonSchemaOf(registrationBody.shape.capabilities.shape.runtimes.unwrap()),
    },
  },
  Registration: {
    type: "object",
    required: ["address", "capabilities", "heartbeatIntervalMs"],
    properties: {
      address: { type: "string" },
      capabilities: jsonSchemaOf(registrationBody.shape.capabilities),
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
      app: { type: "object", required: ["bundleCid", "measurement"], properties: { bundleCid: { type: "string" }, measurement: { type: "string" }, checksum: { type: "string", description: "the registered bundle checksum, when the scheduler knows it" } } },
      dataset: {
        oneOf: [
          { type: "object", required: ["cid", "checksum"], properties: { cid: { type: "string" }, checksum: { type: "string" } } },
          { type: "null" },
        ],
      },
      maxRunTimeSeconds: { type: "integer" },
      tee: { type: "boolean" },
      stageOutputs: {
        type: "array",
        description:
          "for a pipeline stage (params name a pipeline): where its pipeline's completed stages' outputs are, from the chain's " +
          "results; the enclave opens each only under the intermediate key the SMS released for that stage",
        items: { type: "object", required: ["stage", "resultCid"], properties: { stage: { type: "string" }, resultCid: { type: "string" } } },
      },
    },
  },
};

/** The worker API: its description, paths and schemas, mounted as one module of the shared shell. */
export const SCHEDULER_OPENAPI = { description: DESCRIPTION, paths: PATHS, schemas: SCHEMAS };
