// The JSON shape of each order kind as clients post it, checked with zod and turned into the
// typed orders of src/orders (uint256 fields become bigint), plus the publish body around it.
import { z } from "zod";
import { isUsableResultPublicKey } from "../../crypto/result/resultKeys.ts";
import { TAG_TEE, ZERO_ADDRESS, type OrderKind, type OrderOf } from "../../wire/eip712/index.ts";
import { readRequestParams } from "../../wire/requestParams.ts";
import { MarketError } from "../MarketError.ts";
import { address, bytes32, orderSignature, uint256 } from "./orderFields.ts";

/** Longest `params` string of a request order (the app's arguments). */
export const MAX_PARAMS_LENGTH = 8_192;

const positive = (what: string) => uint256().refine((value) => value > 0n, { message: `${what} must be at least 1` });

const appOrderSchema = z.strictObject({
  app: positive("app id"),
  price: uint256(),
  volume: positive("volume"),
  tag: bytes32(),
  datasetRestrict: uint256(),
  workerpoolRestrict: uint256(),
  requesterRestrict: address(),
  assetEpoch: uint256(),
  salt: bytes32(),
  expiry: uint256(),
});

const datasetOrderSchema = z.strictObject({
  dataset: positive("dataset id"),
  price: uint256(),
  volume: positive("volume"),
  tag: bytes32(),
  appRestrict: uint256(),
  workerpoolRestrict: uint256(),
  requesterRestrict: address(),
  assetEpoch: uint256(),
  salt: bytes32(),
  expiry: uint256(),
});

const workerpoolOrderSchema = z.strictObject({
  workerpool: positive("workerpool id"),
  price: uint256(),
  volume: positive("volume"),
  tag: bytes32(),
  category: positive("category"),
  appRestrict: uint256(),
  datasetRestrict: uint256(),
  requesterRestrict: address(),
  assetEpoch: uint256(),
  salt: bytes32(),
  expiry: uint256(),
});

const notZeroAddress = (what: string) =>
  address().refine((value) => value !== ZERO_ADDRESS, { message: `${what} must not be the zero address` });

const requestOrderSchema = z
  .strictObject({
    app: positive("app id"),
    appMaxPrice: uint256(),
    dataset: uint256(),
    datasetMaxPrice: uint256(),
    workerpool: uint256(),
    workerpoolMaxPrice: uint256(),
    requester: notZeroAddress("requester"),
    volume: positive("volume"),
    tag: bytes32(),
    category: positive("category"),
    trust: uint256(),
    beneficiary: notZeroAddress("beneficiary"),
    resultPublicKey: bytes32(),
    params: z.string({ error: "must be a string" }).max(MAX_PARAMS_LENGTH, { error: `must be at most ${MAX_PARAMS_LENGTH} characters` }),
    salt: bytes32(),
    expiry: uint256(),
  })
  .superRefine((order, context) => {
    // A TEE task's result is encrypted to this key inside the enclave; a small-order key (the zero
    // key among them) would make every run fail, and the failure would be the requester's doing.
    if ((BigInt(order.tag) & TAG_TEE) !== 0n && !isUsableResultPublicKey(order.resultPublicKey)) {
      context.addIssue({ code: "custom", path: ["resultPublicKey"], message: "is not a usable X25519 public key (zero or of small order)" });
    }
    const params = readRequestParams(order.params);
    if (!params.ok) context.addIssue({ code: "custom", path: ["params"], message: params.problem });
  });

export const ORDER_SCHEMAS = {
  app: appOrderSchema,
  dataset: datasetOrderSchema,
  workerpool: workerpoolOrderSchema,
  request: requestOrderSchema,
} as const;

function publishBodySchema<K extends OrderKind>(kind: K) {
  return z.strictObject({
    order: ORDER_SCHEMAS[kind] as unknown as z.ZodType<OrderOf<K>>,
    signature: orderSignature(),
    /** Optional: who the client believes signed, to tell a wrong domain apart from a wrong owner. */
    signer: address().meta({ description: "Optional: the address you signed with, for a precise BAD_SIGNATURE message" }).optional(),
  });
}

export const PUBLISH_BODY_SCHEMAS = {
  app: publishBodySchema("app"),
  dataset: publishBodySchema("dataset"),
  workerpool: publishBodySchema("workerpool"),
  request: publishBodySchema("request"),
};

export type PublishBody<K extends OrderKind = OrderKind> = { order: OrderOf<K>; signature: string; signer?: string };

/** Every problem zod found, as `{ path, message }` with a dotted path such as "order.price". */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)",
    message: issue.message,
  }));
}

/** Validates a publish body of `kind`; throws INVALID_ORDER listing every problem. */
export function parsePublishBody<K extends OrderKind>(kind: K, body: unknown): PublishBody<K> {
  const parsed = PUBLISH_BODY_SCHEMAS[kind].safeParse(body);
  if (parsed.success) return parsed.data as PublishBody<K>;
  const issues = describeIssues(parsed.error);
  const first = issues[0];
  throw new MarketError(
    "INVALID_ORDER",
    `the ${kind} order is malformed: ${first.path} ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
    { issues },
  );
}
