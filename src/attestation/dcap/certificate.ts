// One parsed X.509 certificate of a DCAP chain: names, validity window, serial and its P-256
// key, with issuer checks by Node's OpenSSL binding (synchronous, native ECDSA).
import { X509Certificate as NodeX509Certificate, type KeyObject } from "node:crypto";
import { BoundedMap } from "../../core/bounded.ts";
import { DER_TAG, DerReader } from "./der.ts";
import { DcapError } from "./DcapError.ts";
import { X509Certificate } from "./x509.ts";

export interface DcapCertificate {
  der: Uint8Array;
  subject: string;
  issuer: string;
  /** Lowercase hex without leading zeros, as CRL entries are compared. */
  serial: string;
  notBefore: number;
  notAfter: number;
  publicKey: KeyObject;
  /** Extensions as @peculiar/x509 gives them (type = OID, value = DER); read on first use, may throw DcapError. */
  readonly extensions: readonly { type: string; value: ArrayBuffer }[];
  isCa: boolean;
  /** Node's view of the same bytes, for signature checks. */
  native: NodeX509Certificate;
}

/** Parses a DER certificate whose key must be ECDSA P-256; throws DcapError("MALFORMED_CERTIFICATE"). */
export function parseCertificate(der: Uint8Array, what: string): DcapCertificate {
  expectSingleDerElement(der, what);
  let certificate: DcapCertificate;
  try {
    // Both libraries decode lazily in places (names, key): every read happens inside this try.
    const parsed = new X509Certificate(der);
    const native = new NodeX509Certificate(der);
    certificate = {
      der,
      subject: parsed.subject,
      issuer: parsed.issuer,
      serial: normalisedSerial(parsed.serialNumber),
      notBefore: parsed.notBefore.getTime(),
      notAfter: parsed.notAfter.getTime(),
      publicKey: native.publicKey,
      // Only PCK leaves need their extensions, and reading them costs as much as the rest of the parse.
      get extensions() {
        return readExtensions(parsed, what);
      },
      isCa: native.ca,
      native,
    };
  } catch (error) {
    throw new DcapError("MALFORMED_CERTIFICATE", `${what} is not an X.509 certificate`, { what }, { cause: error });
  }
  const { publicKey } = certificate;
  if (publicKey.asymmetricKeyType !== "ec" || publicKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new DcapError("MALFORMED_CERTIFICATE", `${what} does not hold an ECDSA P-256 key`, { what });
  }
  if (!Number.isFinite(certificate.notBefore) || !Number.isFinite(certificate.notAfter)) {
    throw new DcapError("MALFORMED_CERTIFICATE", `${what} has an invalid validity window`, { what });
  }
  return certificate;
}

/**
 * Both X.509 libraries ignore bytes after the certificate's outer SEQUENCE; such bytes make one
 * certificate have many encodings, so they are refused here.
 */
function expectSingleDerElement(der: Uint8Array, what: string): void {
  const reader = new DerReader(der, "MALFORMED_CERTIFICATE", what);
  const outer = reader.expectTag(reader.element(0), DER_TAG.SEQUENCE, what);
  if (outer.end !== der.length) reader.fail(`${der.length - outer.end} bytes after the certificate`);
}

function readExtensions(parsed: X509Certificate, what: string): { type: string; value: ArrayBuffer }[] {
  try {
    return parsed.extensions.map((extension) => ({ type: extension.type, value: extension.value }));
  } catch (error) {
    throw new DcapError("MALFORMED_CERTIFICATE", `${what} has malformed extensions`, { what }, { cause: error });
  }
}

/**
 * Parsed certificates by their DER bytes: a PCK CA certifies many platforms and the root ends
 * every chain, so each is parsed once. Failures are kept too, as the same bytes fail the same way.
 */
export class CertificateCache {
  readonly #parsed: BoundedMap<string, DcapCertificate | DcapError>;

  constructor(capacity: number, seed: readonly DcapCertificate[] = []) {
    this.#parsed = new BoundedMap(capacity);
    for (const certificate of seed) this.#parsed.set(keyOf(certificate.der), certificate);
  }

  parse(der: Uint8Array, what: string): DcapCertificate {
    const key = keyOf(der);
    let parsed = this.#parsed.get(key);
    if (parsed === undefined) {
      try {
        parsed = parseCertificate(der, what);
      } catch (error) {
        if (!(error instanceof DcapError)) throw error;
        parsed = error;
      }
      this.#parsed.set(key, parsed);
    }
    if (parsed instanceof DcapError) throw parsed;
    return parsed;
  }
}

function keyOf(der: Uint8Array): string {
  return Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("latin1");
}

/** Whether `issuer` issued `certificate`: names chain and the signature verifies with the issuer's key. */
export function isIssuedBy(certificate: DcapCertificate, issuer: DcapCertificate): boolean {
  if (certificate.issuer !== issuer.subject) return false;
  try {
    return certificate.native.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Whether `at` (ms since the epoch) lies inside the certificate's validity window. */
export function isWithinValidity(certificate: Pick<DcapCertificate, "notBefore" | "notAfter">, at: number): boolean {
  return at >= certificate.notBefore && at <= certificate.notAfter;
}

/** The subject's common name (CN), or "" when it has none. */
export function commonName(certificate: Pick<DcapCertificate, "subject">): string {
  return /(?:^|,\s*)CN=([^,]*)/.exec(certificate.subject)?.[1] ?? "";
}

export function normalisedSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, "");
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * The common-name phrases by which Intel's QVL tells the certificates' roles apart, so that a
 * certificate of one role (a PCK CA) cannot stand in for another (the TCB signer). The devnet
 * PKI names its certificates the same way.
 */
export const CN_PHRASE = { root: "SGX Root CA", ca: "CA", pck: "SGX PCK Certificate", tcbSigning: "SGX TCB Signing" } as const;
