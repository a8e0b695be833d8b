// The compact attestation certificate: its fields, its canonical fixed-size binary encoding
// and a strict parser. Signing and chain checks live in certificateSigning.ts and the trusted root.
//
// Layout (163 bytes, integers little-endian like the quote):
//   offset size field
//        0    1 version            = 1
//        1    1 usage              1 = root (self-signed), 2 = platform attestation key
//        2   16 serial             random, chosen by the issuer
//       18   32 issuerId           sha256 of the issuer's compressed P-256 public key
//       50   33 subjectPublicKey   compressed SEC1 P-256 point
//       83    8 notBefore          unix seconds, u64
//       91    8 notAfter           unix seconds, u64, inclusive
//       99   64 signature          P-256 ECDSA r||s (low-s) by the issuer over
//                                  sha256("continuum/attestation/certificate/v1" || bytes 0..98)
// Every field has a fixed width and reserved values are refused, so each certificate has
// exactly one encoding and certificates compare by their bytes.
import { sha256 } from "@noble/hashes/sha2.js";
import { isP256Point } from "./attestationKeyEncoding.ts";
import { ByteReader } from "./byteReader.ts";
import { ByteWriter } from "./byteWriter.ts";

export type CertificateUsage = "root" | "platform";

export interface Certificate {
  usage: CertificateUsage;
  serial: Uint8Array;
  issuerId: Uint8Array;
  subjectPublicKey: Uint8Array;
  notBefore: number;
  notAfter: number;
  signature: Uint8Array;
}

export type UnsignedCertificate = Omit<Certificate, "signature">;

export const CERTIFICATE_VERSION = 1;
export const CERTIFICATE_LENGTH = 163;
export const SERIAL_LENGTH = 16;
export const KEY_ID_LENGTH = 32;
export const PUBLIC_KEY_LENGTH = 33;
export const SIGNATURE_LENGTH = 64;

const USAGE_CODES: Record<CertificateUsage, number> = { root: 1, platform: 2 };

/** The identifier of a P-256 public key, as certificates name their issuer. */
export function keyId(compressedPublicKey: Uint8Array): Uint8Array {
  return sha256(compressedPublicKey);
}

/** The bytes the issuer signs: every field except the signature. */
export function encodeCertificateBody(certificate: UnsignedCertificate): Uint8Array {
  return new ByteWriter()
    .u8(CERTIFICATE_VERSION, "version")
    .u8(USAGE_CODES[certificate.usage], "usage")
    .bytes(certificate.serial, SERIAL_LENGTH, "serial")
    .bytes(certificate.issuerId, KEY_ID_LENGTH, "issuerId")
    .bytes(certificate.subjectPublicKey, PUBLIC_KEY_LENGTH, "subjectPublicKey")
    .u64(certificate.notBefore, "notBefore")
    .u64(certificate.notAfter, "notAfter")
    .toBytes();
}

export function encodeCertificate(certificate: Certificate): Uint8Array {
  return new ByteWriter()
    .bytes(encodeCertificateBody(certificate), CERTIFICATE_LENGTH - SIGNATURE_LENGTH, "certificate body")
    .bytes(certificate.signature, SIGNATURE_LENGTH, "signature")
    .toBytes();
}

/** Parses exactly one certificate; throws AttestationError("MALFORMED_CERTIFICATE") otherwise. */
export function parseCertificate(bytes: Uint8Array): Certificate {
  const reader = new ByteReader(bytes, "MALFORMED_CERTIFICATE");
  const certificate = readCertificate(reader);
  reader.expectEnd();
  return certificate;
}

/** Reads one certificate at the reader's position; the reader decides which error code applies. */
export function readCertificate(reader: ByteReader): Certificate {
  const versionOffset = reader.offset;
  if (reader.u8("certificate version") !== CERTIFICATE_VERSION) {
    reader.fail("unsupported certificate version", versionOffset);
  }
  const usage = readUsage(reader);
  const serial = reader.bytes(SERIAL_LENGTH, "serial");
  const issuerId = reader.bytes(KEY_ID_LENGTH, "issuerId");
  const keyOffset = reader.offset;
  const subjectPublicKey = reader.bytes(PUBLIC_KEY_LENGTH, "subjectPublicKey");
  if (!isP256Point(subjectPublicKey, true)) {
    reader.fail("subjectPublicKey is not a compressed P-256 point", keyOffset);
  }
  const notBefore = readSeconds(reader, "notBefore");
  const notAfter = readSeconds(reader, "notAfter");
  const signature = reader.bytes(SIGNATURE_LENGTH, "signature");
  return { usage, serial, issuerId, subjectPublicKey, notBefore, notAfter, signature };
}

function readUsage(reader: ByteReader): CertificateUsage {
  const offset = reader.offset;
  const code = reader.u8("usage");
  const usage = (Object.keys(USAGE_CODES) as CertificateUsage[]).find((name) => USAGE_CODES[name] === code);
  return usage ?? reader.fail(`unknown certificate usage ${code}`, offset);
}

function readSeconds(reader: ByteReader, field: string): number {
  const offset = reader.offset;
  const seconds = reader.u64(field);
  if (seconds > BigInt(Number.MAX_SAFE_INTEGER)) reader.fail(`${field} is out of range`, offset);
  return Number(seconds);
}
