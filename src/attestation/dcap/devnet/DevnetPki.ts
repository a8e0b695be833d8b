// The devnet's DCAP certificate hierarchy, shaped like Intel's: a self-signed SGX root CA, a PCK
// Platform CA issuing PCK certificates with the SGX extension, a TCB signing certificate for TCB
// info and QE identity, and the root and PCK CRLs; certificates and CRLs built by @peculiar/x509.
import { randomBytes } from "node:crypto";
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
  X509CrlGenerator,
  X509CrlReason,
  NODE_WEBCRYPTO,
} from "../x509.ts";
import { derInteger } from "./derWriter.ts";
import { DevnetDcapError } from "./DevnetDcapError.ts";
import {
  exportPkcs8,
  generateP256KeyPair,
  importPkcs8,
  signRaw,
  toWebCryptoPair,
  type P256KeyPair,
} from "./p256Keys.ts";
import { encodeSgxPckExtension, SGX_EXTENSION_OID, type SgxPckExtensionFields } from "./sgxExtensionEncoding.ts";

const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" } as const;
const CRL_NUMBER_OID = "2.5.29.20";
const SERIAL_LENGTH = 20;
const YEAR_MS = 365 * 24 * 3600 * 1000;

const NAME_SUFFIX = "O=Continuum Devnet, L=Devnet, ST=Devnet, C=ZZ";
export const DEVNET_NAMES = {
  root: `CN=Continuum Devnet SGX Root CA, ${NAME_SUFFIX}`,
  platformCa: `CN=Continuum Devnet SGX PCK Platform CA, ${NAME_SUFFIX}`,
  tcbSigning: `CN=Continuum Devnet SGX TCB Signing, ${NAME_SUFFIX}`,
  pck: `CN=Continuum Devnet SGX PCK Certificate, ${NAME_SUFFIX}`,
} as const;

/** Where the devnet's certificates say their CRLs are (a collateral server's base URL). */
export const DEFAULT_COLLATERAL_BASE_URL = "https://pccs.continuum-devnet.invalid";

export interface CertifiedKey {
  keys: P256KeyPair;
  certificate: X509Certificate;
}

/** The PKI's secret and public state, as stored (PKCS#8 DER keys, PEM certificates). */
export interface StoredPki {
  collateralBaseUrl: string;
  root: StoredCertifiedKey;
  platformCa: StoredCertifiedKey;
  tcbSigning: StoredCertifiedKey;
}
export interface StoredCertifiedKey {
  pkcs8: Uint8Array;
  certificatePem: string;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export interface CrlRequest {
  thisUpdate: Date;
  nextUpdate: Date;
  /** Hex serial numbers of revoked certificates. */
  revokedSerials?: readonly string[];
}

export class DevnetPki {
  readonly collateralBaseUrl: string;
  readonly root: CertifiedKey;
  readonly platformCa: CertifiedKey;
  readonly tcbSigning: CertifiedKey;

  private constructor(collateralBaseUrl: string, root: CertifiedKey, platformCa: CertifiedKey, tcbSigning: CertifiedKey) {
    this.collateralBaseUrl = collateralBaseUrl;
    this.root = root;
    this.platformCa = platformCa;
    this.tcbSigning = tcbSigning;
  }

  /** A new hierarchy whose certificates start at `issuedAt` (root 30 years, CAs 15, TCB signer 7). */
  static async create(options: { issuedAt: Date; collateralBaseUrl?: string }): Promise<DevnetPki> {
    const baseUrl = options.collateralBaseUrl ?? DEFAULT_COLLATERAL_BASE_URL;
    const start = options.issuedAt;
    const rootCrlUrl = `${baseUrl}/sgx/certification/v4/rootcacrl?encoding=der`;
    const rootKeys = generateP256KeyPair();
    const rootWeb = toWebCryptoPair(rootKeys);
    const root: CertifiedKey = {
      keys: rootKeys,
      certificate: await X509CertificateGenerator.create({
        serialNumber: newSerialNumber(),
        subject: DEVNET_NAMES.root,
        issuer: DEVNET_NAMES.root,
        notBefore: start,
        notAfter: yearsAfter(start, 30),
        publicKey: rootWeb.publicKey,
        signingKey: rootWeb.privateKey,
        signingAlgorithm: SIGNING_ALGORITHM,
        extensions: [
          await AuthorityKeyIdentifierExtension.create(rootWeb.publicKey, false, NODE_WEBCRYPTO),
          new CRLDistributionPointsExtension([rootCrlUrl]),
          await SubjectKeyIdentifierExtension.create(rootWeb.publicKey, false, NODE_WEBCRYPTO),
          new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
          new BasicConstraintsExtension(true, 1, true),
        ],
      }, NODE_WEBCRYPTO),
    };
    const issue = (name: string, years: number, usage: "ca" | "signer"): Promise<CertifiedKey> =>
      issueUnderRoot(root, name, { notBefore: start, notAfter: yearsAfter(start, years) }, rootCrlUrl, usage);
    const platformCa = await issue(DEVNET_NAMES.platformCa, 15, "ca");
    const tcbSigning = await issue(DEVNET_NAMES.tcbSigning, 7, "signer");
    return new DevnetPki(baseUrl, root, platformCa, tcbSigning);
  }

  /**
   * The hierarchy from its stored form. Throws DevnetDcapError("INVALID_STATE_FILE") unless each
   * key matches its certificate and each certificate is signed by its issuer.
   */
  static async restore(stored: StoredPki): Promise<DevnetPki> {
    const root = restoreCertifiedKey(stored.root, "root");
    const platformCa = restoreCertifiedKey(stored.platformCa, "platformCa");
    const tcbSigning = restoreCertifiedKey(stored.tcbSigning, "tcbSigning");
    for (const [name, certified] of [["root", root], ["platformCa", platformCa], ["tcbSigning", tcbSigning]] as const) {
      const signed = await certified.certificate.verify({ publicKey: root.certificate.publicKey, signatureOnly: true }, NODE_WEBCRYPTO);
      if (!signed) throw new DevnetDcapError("INVALID_STATE_FILE", `${name} certificate is not signed by the stored root`);
    }
    return new DevnetPki(stored.collateralBaseUrl, root, platformCa, tcbSigning);
  }

  toStored(): StoredPki {
    const store = (certified: CertifiedKey): StoredCertifiedKey => ({
      pkcs8: exportPkcs8(certified.keys.privateKey),
      certificatePem: certified.certificate.toString("pem"),
    });
    return {
      collateralBaseUrl: this.collateralBaseUrl,
      root: store(this.root),
      platformCa: store(this.platformCa),
      tcbSigning: store(this.tcbSigning),
    };
  }

  /** The root certificate (DER): what verifiers of devnet quotes are configured to trust. */
  get rootCertificateDer(): Uint8Array {
    return new Uint8Array(this.root.certificate.rawData);
  }

  /** PEM: Platform CA then root, as Intel sends with the PCK CRL. */
  get pckCrlIssuerChain(): string {
    return pemChain(this.platformCa.certificate, this.root.certificate);
  }

  /** PEM: TCB signing certificate then root, as Intel sends with TCB info and QE identity. */
  get tcbIssuerChain(): string {
    return pemChain(this.tcbSigning.certificate, this.root.certificate);
  }

  /** PEM: PCK leaf, Platform CA, root; the chain a quote's type-5 certification data carries. */
  pckChain(pckCertificate: X509Certificate): string {
    return pemChain(pckCertificate, this.platformCa.certificate, this.root.certificate);
  }

  /** A PCK certificate for `subjectKey`, issued by the Platform CA, carrying the SGX extension. */
  async issuePckCertificate(subjectKey: P256KeyPair, fields: SgxPckExtensionFields, validity: Validity): Promise<X509Certificate> {
    const issuerWeb = toWebCryptoPair(this.platformCa.keys);
    const subjectWeb = toWebCryptoPair(subjectKey);
    return X509CertificateGenerator.create({
      serialNumber: newSerialNumber(),
      subject: DEVNET_NAMES.pck,
      issuer: this.platformCa.certificate.subject,
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      publicKey: subjectWeb.publicKey,
      signingKey: issuerWeb.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        await AuthorityKeyIdentifierExtension.create(issuerWeb.publicKey, false, NODE_WEBCRYPTO),
        new CRLDistributionPointsExtension([`${this.collateralBaseUrl}/sgx/certification/v4/pckcrl?ca=platform&encoding=der`]),
        await SubjectKeyIdentifierExtension.create(subjectWeb.publicKey, false, NODE_WEBCRYPTO),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true),
        new BasicConstraintsExtension(false, undefined, true),
        new Extension(SGX_EXTENSION_OID, false, encodeSgxPckExtension(fields)),
      ],
    }, NODE_WEBCRYPTO);
  }

  /** The root CA's CRL (DER), which revokes intermediate certificates. */
  rootCaCrl(request: CrlRequest): Promise<Uint8Array> {
    return signCrl(this.root, request);
  }

  /** The PCK Platform CA's CRL (DER), which revokes PCK certificates. */
  pckCrl(request: CrlRequest): Promise<Uint8Array> {
    return signCrl(this.platformCa, request);
  }

  /** Signs a TCB info or QE identity JSON text as Intel does: ECDSA P-256 over its bytes, r ‖ s hex. */
  signCollateralDocument(text: string): string {
    return Buffer.from(signRaw(this.tcbSigning.keys.privateKey, Buffer.from(text, "utf8"))).toString("hex");
  }
}

async function issueUnderRoot(
  root: CertifiedKey,
  subject: string,
  validity: Validity,
  rootCrlUrl: string,
  usage: "ca" | "signer",
): Promise<CertifiedKey> {
  const keys = generateP256KeyPair();
  const subjectWeb = toWebCryptoPair(keys);
  const rootWeb = toWebCryptoPair(root.keys);
  const certificate = await X509CertificateGenerator.create({
    serialNumber: newSerialNumber(),
    subject,
    issuer: root.certificate.subject,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    publicKey: subjectWeb.publicKey,
    signingKey: rootWeb.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      await AuthorityKeyIdentifierExtension.create(rootWeb.publicKey, false, NODE_WEBCRYPTO),
      new CRLDistributionPointsExtension([rootCrlUrl]),
      await SubjectKeyIdentifierExtension.create(subjectWeb.publicKey, false, NODE_WEBCRYPTO),
      usage === "ca"
        ? new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)
        : new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true),
      usage === "ca" ? new BasicConstraintsExtension(true, 0, true) : new BasicConstraintsExtension(false, undefined, true),
    ],
  }, NODE_WEBCRYPTO);
  return { keys, certificate };
}

async function signCrl(issuer: CertifiedKey, request: CrlRequest): Promise<Uint8Array> {
  const issuerWeb = toWebCryptoPair(issuer.keys);
  const crl = await X509CrlGenerator.create({
    issuer: issuer.certificate.subject,
    thisUpdate: request.thisUpdate,
    nextUpdate: request.nextUpdate,
    signingKey: issuerWeb.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    entries: [...new Set(request.revokedSerials ?? [])].map((serialNumber) => ({
      serialNumber,
      revocationDate: request.thisUpdate,
      reason: X509CrlReason.keyCompromise,
    })),
    extensions: [
      new Extension(CRL_NUMBER_OID, false, derInteger(1)),
      await AuthorityKeyIdentifierExtension.create(issuerWeb.publicKey, false, NODE_WEBCRYPTO),
    ],
  }, NODE_WEBCRYPTO);
  return new Uint8Array(crl.rawData);
}

function restoreCertifiedKey(stored: StoredCertifiedKey, name: string): CertifiedKey {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(stored.certificatePem);
  } catch (error) {
    throw new DevnetDcapError("INVALID_STATE_FILE", `${name} certificate does not parse`, { name }, { cause: error });
  }
  const keys = importPkcs8(stored.pkcs8);
  const storedSpki = Buffer.from(certificate.publicKey.rawData);
  const keySpki = keys.publicKey.export({ format: "der", type: "spki" });
  if (!storedSpki.equals(keySpki)) {
    throw new DevnetDcapError("INVALID_STATE_FILE", `${name} key does not match its certificate`, { name });
  }
  return { keys, certificate };
}


function pemChain(...certificates: X509Certificate[]): string {
  return certificates.map((certificate) => `${certificate.toString("pem")}\n`).join("");
}

/** 20 random bytes, a positive DER integer without a leading zero byte, as Intel's serials are. */
function newSerialNumber(): string {
  const serial = randomBytes(SERIAL_LENGTH);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial.toString("hex");
}

function yearsAfter(start: Date, years: number): Date {
  return new Date(start.getTime() + years * YEAR_MS);
}
