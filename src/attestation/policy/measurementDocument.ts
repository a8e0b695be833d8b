// What an app's on-chain `measurement` (bytes32) stands for. Either an SGX enclave's MRENCLAVE
// itself (the common case), or the sha256 of a measurement document: a small canonical JSON that
// can say more than one register holds, e.g. an SGX enclave by its signer and product id with a
// minimum ISV SVN, or a TDX TD by MRTD and RTMR0..3. The enclave shows the document with its
// session; the SMS and `result verify` hash it, compare with the chain, and judge the quote by it.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Hex } from "../../crypto/hex.ts";
import { AttestationError } from "../AttestationError.ts";

export const MEASUREMENT_DOCUMENT_FORMAT = "continuum-measurement/1";

const register = (bytes: number) =>
  z
    .string()
    .regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `must be ${bytes} bytes of 0x-hex`)
    .transform((value) => value.toLowerCase() as Hex);
const u16 = z.int().min(0).max(0xffff);

const sgxDocument = z
  .strictObject({
    format: z.literal(MEASUREMENT_DOCUMENT_FORMAT),
    tee: z.literal("sgx"),
    /** MRENCLAVE: exactly this enclave build. */
    mrEnclave: register(32).optional(),
    /** MRSIGNER and ISVPRODID: any build of this product by this signer. */
    mrSigner: register(32).optional(),
    isvProdId: u16.optional(),
    /** Lowest ISV SVN accepted: older, unpatched builds are refused. */
    minIsvSvn: u16.optional(),
  })
  .refine((document) => document.mrEnclave !== undefined || (document.mrSigner !== undefined && document.isvProdId !== undefined), {
    message: "an SGX document names mrEnclave, or mrSigner with isvProdId",
  });

const tdxDocument = z.strictObject({
  format: z.literal(MEASUREMENT_DOCUMENT_FORMAT),
  tee: z.literal("tdx"),
  /** MRTD: the TD's initial contents (firmware). */
  mrTd: register(48),
  /** RTMR0..3: firmware configuration, kernel, kernel command line and initrd, and the application. */
  rtmr0: register(48),
  rtmr1: register(48),
  rtmr2: register(48),
  rtmr3: register(48),
});

const measurementDocumentSchema = z.discriminatedUnion("tee", [sgxDocument, tdxDocument]);

export type MeasurementDocument = z.output<typeof measurementDocumentSchema>;
export type SgxMeasurementDocument = Extract<MeasurementDocument, { tee: "sgx" }>;
export type TdxMeasurementDocument = Extract<MeasurementDocument, { tee: "tdx" }>;

/** Parses a document (text or object); throws AttestationError("INVALID_MEASUREMENT_DOCUMENT") naming the problem. */
export function parseMeasurementDocument(source: string | unknown): MeasurementDocument {
  let json: unknown = source;
  if (typeof source === "string") {
    try {
      json = JSON.parse(source);
    } catch (cause) {
      throw new AttestationError("INVALID_MEASUREMENT_DOCUMENT", "the measurement document is not JSON", undefined, { cause });
    }
  }
  const parsed = measurementDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AttestationError("INVALID_MEASUREMENT_DOCUMENT", `the measurement document is invalid: ${issue.path.join(".") || "(document)"} ${issue.message}`);
  }
  return parsed.data;
}

/** The one text of a document: its fields in a fixed order, registers lowercase, no spaces. */
export function canonicalMeasurementDocument(document: MeasurementDocument): string {
  const parsed = parseMeasurementDocument(document);
  const order =
    parsed.tee === "sgx"
      ? (["format", "tee", "mrEnclave", "mrSigner", "isvProdId", "minIsvSvn"] as const)
      : (["format", "tee", "mrTd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"] as const);
  const fields = order.flatMap((key) => {
    const value = (parsed as Record<string, unknown>)[key];
    return value === undefined ? [] : [[key, value] as const];
  });
  return JSON.stringify(Object.fromEntries(fields));
}

/** The bytes32 to register on-chain for a document: sha256 of its canonical text. */
export function measurementOfDocument(document: MeasurementDocument): Hex {
  return `0x${createHash("sha256").update(canonicalMeasurementDocument(document), "utf8").digest("hex")}`;
}
