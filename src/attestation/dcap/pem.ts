// Splits PEM text into DER certificates, strictly: only CERTIFICATE blocks of canonical base64
// separated by whitespace (and the NUL terminators quoting enclaves append); anything else is refused.
import { DcapError } from "./DcapError.ts";

const BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\r\n]*)-----END CERTIFICATE-----/g;
const BETWEEN_BLOCKS = /^[\s\0]*$/;

/** The DER certificates in `text`, in order; throws DcapError("MALFORMED_PEM") for anything else. */
export function pemCertificates(text: string, maxCount: number, what: string): Uint8Array[] {
  const certificates: Uint8Array[] = [];
  let last = 0;
  for (const match of text.matchAll(BLOCK)) {
    if (!BETWEEN_BLOCKS.test(text.slice(last, match.index))) malformed(what, "text outside certificate blocks");
    if (certificates.length === maxCount) malformed(what, `more than ${maxCount} certificates`);
    certificates.push(base64Der(match[1]!, what));
    last = match.index + match[0].length;
  }
  if (!BETWEEN_BLOCKS.test(text.slice(last))) malformed(what, "text outside certificate blocks");
  if (certificates.length === 0) malformed(what, "no certificate");
  return certificates;
}

function base64Der(body: string, what: string): Uint8Array {
  const base64 = body.replace(/[\r\n]/g, "");
  const der = Buffer.from(base64, "base64");
  // Node's decoder skips what it cannot read; re-encoding tells whether every character counted.
  if (base64.length === 0 || der.toString("base64") !== base64) malformed(what, "invalid base64");
  return new Uint8Array(der.buffer, der.byteOffset, der.byteLength);
}

function malformed(what: string, reason: string): never {
  throw new DcapError("MALFORMED_PEM", `${what}: ${reason}`, { what });
}
