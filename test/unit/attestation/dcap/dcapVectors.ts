// Intel's recorded DCAP quotes and collateral (test/fixtures/dcap-vectors) for the verifier's tests:
// where they are, the verdicts their README states, and the byte regions each signature covers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collateralFromJson, parseQuote, type DcapCollateral } from "../../../../src/attestation/dcap/index.ts";

/** Intel's recorded vectors, kept in the repository (test/fixtures/dcap-vectors, with their source and licence). */
export function vectorsDirectory(): string {
  return fileURLToPath(new URL("../../../fixtures/dcap-vectors/", import.meta.url));
}

/** Inside every validity window of the recorded collateral (mid-2025). */
export const VECTOR_TIME = new Date("2025-07-01T00:00:00Z");

export interface Vector {
  name: "sgx" | "tdx";
  quote: Uint8Array;
  /** The collateral file as JSON (hex strings), the reference verifier's input. */
  collateralJson: Record<string, string>;
  collateral: DcapCollateral;
  expected: { teeType: "SGX" | "TDX"; status: string; advisoryIds: string[] };
}

const EXPECTED = {
  sgx: { teeType: "SGX", status: "ConfigurationAndSWHardeningNeeded", advisoryIds: ["INTEL-SA-00289", "INTEL-SA-00615"] },
  tdx: { teeType: "TDX", status: "UpToDate", advisoryIds: [] },
} as const;

export function loadVector(name: "sgx" | "tdx"): Vector {
  const dir = vectorsDirectory();
  const collateralJson = JSON.parse(readFileSync(join(dir, `${name}_quote_collateral.json`), "utf8")) as Record<string, string>;
  return {
    name,
    quote: new Uint8Array(readFileSync(join(dir, `${name}_quote`))),
    collateralJson,
    collateral: collateralFromJson(collateralJson),
    expected: { ...EXPECTED[name], advisoryIds: [...EXPECTED[name].advisoryIds] },
  };
}

export interface Region {
  name: string;
  start: number;
  end: number;
}

/**
 * The byte regions of a quote that some signature covers: header and body (quote signature), the
 * attestation key and QE auth data (through the QE report data), the QE report (PCK signature),
 * and both signatures themselves. Found by locating each parsed field in the quote's bytes.
 */
export function signedRegions(quote: Uint8Array): Region[] {
  const parsed = parseQuote(quote);
  const bytes = Buffer.from(quote);
  const at = (field: Uint8Array, name: string): Region => {
    const start = bytes.indexOf(Buffer.from(field), parsed.signedBytes.length);
    if (start < 0) throw new Error(`${name} not found in the quote`);
    return { name, start, end: start + field.length };
  };
  return [
    { name: "header and body", start: 0, end: parsed.signedBytes.length },
    at(parsed.signature, "quote signature"),
    at(parsed.attestationKey, "attestation key"),
    at(parsed.qe.qeReportBytes, "QE report"),
    at(parsed.qe.qeReportSignature, "QE report signature"),
    at(parsed.qe.qeAuthData, "QE auth data"),
  ];
}

/** The quote's structure: every byte up to the end of the signature data (after it, only zero padding). */
export function structureLength(quote: Uint8Array): number {
  const view = Buffer.from(quote);
  const signedLength = parseQuote(quote).signedBytes.length;
  return signedLength + 4 + view.readUInt32LE(signedLength);
}

export function flipped(bytes: Uint8Array, offset: number, xor = 0x01): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[offset] ^= xor;
  return copy;
}
