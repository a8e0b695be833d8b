// The on-chain measurement of an app packaged as a hardware TEE image (manifest field
// confidentialImage), read from the file in the bundle that fixes it:
//   sgx-mrenclave  the MRENCLAVE itself: ENCLAVEHASH, 32 bytes at offset 960 of the SIGSTRUCT that
//                  gramine-sgx-sign writes; an SGX quote's MRENCLAVE must equal it byte for byte;
//   tdx-td         the sha256 of the TD's measurement document (src/attestation/policy): the canonical
//                  JSON of MRTD and RTMR0..3, which the enclave shows the SMS with its session; a TD
//                  quote matches when its registers equal the document's.
import { BundleError } from "../BundleError.ts";
import { MEASUREMENT_DOCUMENT_FORMAT, measurementOfDocument, type TdxMeasurementDocument } from "../../attestation/policy/index.ts";
import type { Bytes32Hex } from "./sha256Hex.ts";

export type TeeMeasurementKind = "sgx-mrenclave" | "tdx-td";

export const TDX_REGISTERS = ["mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"] as const;
export type TdxRegisters = Record<(typeof TDX_REGISTERS)[number], Uint8Array>;

const SIGSTRUCT_BYTES = 1808;
const SIGSTRUCT_HEADER = Buffer.from("06000000e10000000000010000000000", "hex");
const SIGSTRUCT_HEADER2 = Buffer.from("01010000600000006000000001000000", "hex");
const ENCLAVEHASH_OFFSET = 960;

/** MRENCLAVE of a SIGSTRUCT file, checked for the SIGSTRUCT's fixed headers and size. */
export function sgxMrenclaveOf(sigstruct: Uint8Array): Bytes32Hex {
  const bytes = Buffer.from(sigstruct.buffer, sigstruct.byteOffset, sigstruct.byteLength);
  if (bytes.length !== SIGSTRUCT_BYTES || !bytes.subarray(0, 16).equals(SIGSTRUCT_HEADER) || !bytes.subarray(24, 40).equals(SIGSTRUCT_HEADER2)) {
    throw new BundleError("BAD_MANIFEST", "confidentialImage.sigstruct is not an SGX SIGSTRUCT (1808 bytes with its fixed headers).");
  }
  return `0x${bytes.subarray(ENCLAVEHASH_OFFSET, ENCLAVEHASH_OFFSET + 32).toString("hex")}`;
}

/** The measurement document of a TD from its five measurement registers. */
export function tdxMeasurementDocument(registers: TdxRegisters): TdxMeasurementDocument {
  for (const name of TDX_REGISTERS) {
    if (registers[name].byteLength !== 48) throw new RangeError(`${name} must be 48 bytes`);
  }
  const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex")}` as const;
  return {
    format: MEASUREMENT_DOCUMENT_FORMAT,
    tee: "tdx",
    mrTd: hex(registers.mrtd),
    rtmr0: hex(registers.rtmr0),
    rtmr1: hex(registers.rtmr1),
    rtmr2: hex(registers.rtmr2),
    rtmr3: hex(registers.rtmr3),
  };
}

/** The registered value of a TD from its five measurement registers: its measurement document's hash. */
export function tdxTdMeasurement(registers: TdxRegisters): Bytes32Hex {
  return measurementOfDocument(tdxMeasurementDocument(registers));
}

/** Parses the reference values file of a tdx-td image: {"mrtd": "<96 hex>", "rtmr0": ..., "rtmr3": ...}. */
export function tdxRegistersFromJson(source: Uint8Array): TdxRegisters {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(Buffer.from(source).toString("utf8")) as Record<string, unknown>;
  } catch (cause) {
    throw new BundleError("BAD_MANIFEST", "confidentialImage.measurements is not valid JSON.", undefined, { cause });
  }
  const registers = {} as TdxRegisters;
  for (const name of TDX_REGISTERS) {
    const value = json?.[name];
    if (typeof value !== "string" || !/^(0x)?[0-9a-fA-F]{96}$/.test(value)) {
      throw new BundleError("BAD_MANIFEST", `confidentialImage.measurements needs ${name} as 48 bytes of hex.`, { register: name });
    }
    registers[name] = Buffer.from(value.replace(/^0x/, ""), "hex");
  }
  return registers;
}
