// The devnet's stand-in for Intel: a DCAP PKI under a devnet root, platforms provisioned in any
// TCB state (each with a PCK certificate and a simulated quoting enclave), PCK revocation, and
// signed collateral (TCB info, QE identity, CRLs) issued for any time, fresh or expired.
import { randomBytes } from "node:crypto";
import { sha384 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import type { DcapCollateral } from "../collateral.ts";
import { X509Certificate } from "../x509.ts";
import { DEVNET_FMSPC, DEVNET_PCE_ID, qeIdentityJson, tcbInfoJson, type DevnetTee, type DocumentWindow } from "./collateralDocuments.ts";
import { DevnetDcapError } from "./DevnetDcapError.ts";
import {
  hasStoredPki,
  loadPki,
  loadPlatforms,
  loadRevocations,
  PLATFORM_NAME,
  savePki,
  savePlatform,
  saveRevocations,
  type StoredPlatform,
} from "./devnetDcapStore.ts";
import { DevnetPki, type Validity } from "./DevnetPki.ts";
import { DEVNET_QE_LEVELS, platformTcb, type DevnetTcbState } from "./devnetTcb.ts";
import { exportPkcs8, generateP256KeyPair, importPkcs8 } from "./p256Keys.ts";
import { SGX_TYPE } from "./sgxExtensionEncoding.ts";
import { SimulatedQuotingEnclave } from "./SimulatedQuotingEnclave.ts";

/** The TDX module's measurement on devnet platforms (MRSEAM, 48 bytes). */
export const DEVNET_MR_SEAM = sha384(utf8ToBytes("continuum/devnet/dcap/tdx-module"));
const DAY_MS = 86_400_000;
const PCK_LIFETIME_MS = 7 * 365 * DAY_MS;
/** Intel issues TCB info, QE identity and CRLs for 30 days. */
const COLLATERAL_LIFETIME_MS = 30 * DAY_MS;

export interface ProvisionRequest {
  /** Lowercase letters, digits and dashes; names the platform's state file. */
  name: string;
  tee: DevnetTee;
  /** The TCB status the devnet's TCB info gives this platform; UpToDate unless given. */
  tcbState?: DevnetTcbState;
  /** The quoting enclave's ISVSVN; the newest level of the QE identity unless given. */
  qeSvn?: number;
  /** The PCK certificate's validity; from `now` for 7 years unless given. */
  pckValidity?: Validity;
}

export interface DevnetPlatformInfo {
  name: string;
  tee: DevnetTee;
  tcbState: DevnetTcbState;
  qeSvn: number;
  pckRevoked: boolean;
  /** Hex serial of the PCK certificate, as CRLs list it. */
  pckSerialNumber: string;
  pckCertificate: X509Certificate;
}

export type CollateralDocumentKind = "tcbInfo" | "qeIdentity" | "pckCrl" | "rootCaCrl";

export interface CollateralRequest {
  /** Documents are issued at `now` for 30 days. */
  now: Date;
  /** Documents to issue already expired instead: valid for 30 days, ending one day before `now`. */
  expired?: readonly CollateralDocumentKind[];
}

interface Platform {
  stored: StoredPlatform;
  pckCertificate: X509Certificate;
  quotingEnclave: SimulatedQuotingEnclave;
}

export class DevnetDcap {
  readonly #pki: DevnetPki;
  readonly #directory: string | undefined;
  readonly #platforms = new Map<string, Platform>();
  readonly #revoked = new Set<string>();

  private constructor(pki: DevnetPki, directory: string | undefined) {
    this.#pki = pki;
    this.#directory = directory;
  }

  /** Where the devnet is stored (what a simulated quote provider's `devnetDirectory` names); undefined in memory. */
  get directory(): string | undefined {
    return this.#directory;
  }

  /**
   * A new devnet PKI whose certificates start at `issuedAt`; kept under `directory` when given
   * (throws DevnetDcapError("STATE_EXISTS") rather than replace one), in memory otherwise.
   */
  static async create(options: { issuedAt: Date; directory?: string; collateralBaseUrl?: string }): Promise<DevnetDcap> {
    if (options.directory !== undefined && hasStoredPki(options.directory)) {
      throw new DevnetDcapError("STATE_EXISTS", "devnet DCAP state already exists", { directory: options.directory });
    }
    const pki = await DevnetPki.create(options);
    if (options.directory !== undefined) await savePki(options.directory, pki.toStored());
    return new DevnetDcap(pki, options.directory);
  }

  /** The devnet stored under `directory`, with its platforms and revocations. */
  static async load(directory: string): Promise<DevnetDcap> {
    const devnet = new DevnetDcap(await DevnetPki.restore(await loadPki(directory)), directory);
    for (const stored of await loadPlatforms(directory)) devnet.#addPlatform(stored);
    for (const name of await loadRevocations(directory)) {
      if (!devnet.#platforms.has(name)) {
        throw new DevnetDcapError("INVALID_STATE_FILE", `revocations name an unknown platform "${name}"`, { directory });
      }
      devnet.#revoked.add(name);
    }
    return devnet;
  }

  /** Loads the devnet under `directory`, or creates it there on first start. */
  static async open(options: { issuedAt: Date; directory: string; collateralBaseUrl?: string }): Promise<DevnetDcap> {
    return hasStoredPki(options.directory) ? DevnetDcap.load(options.directory) : DevnetDcap.create(options);
  }

  /** The devnet root certificate (DER), the trusted root of verifiers of devnet quotes. */
  get rootCertificateDer(): Uint8Array {
    return this.#pki.rootCertificateDer;
  }

  get rootCertificatePem(): string {
    return this.#pki.root.certificate.toString("pem");
  }

  /** Provisions a platform: PCK key and certificate for its TCB state, attestation key, QE. */
  async provisionPlatform(request: ProvisionRequest, now: Date): Promise<SimulatedQuotingEnclave> {
    if (!PLATFORM_NAME.test(request.name)) {
      throw new DevnetDcapError("INVALID_INPUT", "platform names are lowercase letters, digits and dashes", { name: request.name });
    }
    if (this.#platforms.has(request.name)) {
      throw new DevnetDcapError("PLATFORM_EXISTS", `platform "${request.name}" is already provisioned`, { name: request.name });
    }
    const tcbState = request.tcbState ?? "UpToDate";
    const pckKey = generateP256KeyPair();
    const pckCertificate = await this.#pki.issuePckCertificate(
      pckKey,
      {
        ppid: randomBytes(16),
        tcb: platformTcb(tcbState),
        pceId: Buffer.from(DEVNET_PCE_ID, "hex"),
        fmspc: Buffer.from(DEVNET_FMSPC[request.tee], "hex"),
        sgxType: SGX_TYPE.SCALABLE,
        platformInstanceId: randomBytes(16),
        configuration: { dynamicPlatform: true, cachedKeys: true, smtEnabled: true },
      },
      request.pckValidity ?? { notBefore: now, notAfter: new Date(now.getTime() + PCK_LIFETIME_MS) },
    );
    const stored: StoredPlatform = {
      name: request.name,
      tee: request.tee,
      tcbState,
      qeSvn: request.qeSvn ?? DEVNET_QE_LEVELS[request.tee][0].isvsvn,
      pckKey: exportPkcs8(pckKey.privateKey),
      pckCertificatePem: pckCertificate.toString("pem"),
      attestationKey: exportPkcs8(generateP256KeyPair().privateKey),
      qeId: randomBytes(16),
    };
    if (this.#directory !== undefined) await savePlatform(this.#directory, stored);
    return this.#addPlatform(stored).quotingEnclave;
  }

  quotingEnclave(name: string): SimulatedQuotingEnclave {
    return this.#platform(name).quotingEnclave;
  }

  platform(name: string): DevnetPlatformInfo {
    const { stored, pckCertificate } = this.#platform(name);
    return {
      name,
      tee: stored.tee,
      tcbState: stored.tcbState,
      qeSvn: stored.qeSvn,
      pckRevoked: this.#revoked.has(name),
      pckSerialNumber: pckCertificate.serialNumber,
      pckCertificate,
    };
  }

  platforms(): DevnetPlatformInfo[] {
    return [...this.#platforms.keys()].map((name) => this.platform(name));
  }

  /** Lists the platform's PCK certificate in the PCK CRLs issued from now on. */
  async revokePck(name: string): Promise<void> {
    this.#platform(name);
    this.#revoked.add(name);
    if (this.#directory !== undefined) await saveRevocations(this.#directory, [...this.#revoked]);
  }

  /** The collateral for `tee` quotes of devnet platforms, issued as `request` says. */
  async collateral(tee: DevnetTee, request: CollateralRequest): Promise<DcapCollateral> {
    return this.#assembleCollateral(tee, request, await this.#signCrls(request));
  }

  /** The collateral of both TEEs, sharing one signing of each CRL, as a collateral server serves them. */
  async collateralSets(request: CollateralRequest): Promise<DcapCollateral[]> {
    const crls = await this.#signCrls(request);
    return [this.#assembleCollateral("sgx", request, crls), this.#assembleCollateral("tdx", request, crls)];
  }

  async #signCrls(request: CollateralRequest): Promise<{ pckCrl: string; rootCaCrl: string }> {
    const revokedSerials = [...this.#revoked].map((name) => this.#platform(name).pckCertificate.serialNumber);
    const pckCrl = await this.#pki.pckCrl({ ...crlDates(documentWindow(request, "pckCrl")), revokedSerials });
    const rootCaCrl = await this.#pki.rootCaCrl(crlDates(documentWindow(request, "rootCaCrl")));
    return { pckCrl: Buffer.from(pckCrl).toString("hex"), rootCaCrl: Buffer.from(rootCaCrl).toString("hex") };
  }

  #assembleCollateral(tee: DevnetTee, request: CollateralRequest, crls: { pckCrl: string; rootCaCrl: string }): DcapCollateral {
    const tcbInfo = tcbInfoJson(tee, documentWindow(request, "tcbInfo"));
    const qeIdentity = qeIdentityJson(tee, documentWindow(request, "qeIdentity"));
    return {
      pck_crl_issuer_chain: this.#pki.pckCrlIssuerChain,
      root_ca_crl: crls.rootCaCrl,
      pck_crl: crls.pckCrl,
      tcb_info_issuer_chain: this.#pki.tcbIssuerChain,
      tcb_info: tcbInfo,
      tcb_info_signature: this.#pki.signCollateralDocument(tcbInfo),
      qe_identity_issuer_chain: this.#pki.tcbIssuerChain,
      qe_identity: qeIdentity,
      qe_identity_signature: this.#pki.signCollateralDocument(qeIdentity),
    };
  }

  #platform(name: string): Platform {
    const platform = this.#platforms.get(name);
    if (!platform) throw new DevnetDcapError("UNKNOWN_PLATFORM", `no platform "${name}" is provisioned`, { name });
    return platform;
  }

  #addPlatform(stored: StoredPlatform): Platform {
    const pckKey = importPkcs8(stored.pckKey);
    const pckCertificate = new X509Certificate(stored.pckCertificatePem);
    const storedSpki = Buffer.from(pckCertificate.publicKey.rawData);
    if (!storedSpki.equals(pckKey.publicKey.export({ format: "der", type: "spki" }))) {
      throw new DevnetDcapError("INVALID_STATE_FILE", `platform "${stored.name}" PCK key does not match its certificate`);
    }
    const quotingEnclave = new SimulatedQuotingEnclave({
      tee: stored.tee,
      qeId: stored.qeId,
      tcb: platformTcb(stored.tcbState),
      qeSvn: stored.qeSvn,
      pckKey,
      pckChainPem: this.#pki.pckChain(pckCertificate),
      attestationKey: importPkcs8(stored.attestationKey),
      ...(stored.tee === "tdx" ? { mrSeam: DEVNET_MR_SEAM } : {}),
    });
    const platform = { stored, pckCertificate, quotingEnclave };
    this.#platforms.set(stored.name, platform);
    return platform;
  }
}

function documentWindow(request: CollateralRequest, kind: CollateralDocumentKind): DocumentWindow {
  const now = request.now.getTime();
  if (request.expired?.includes(kind)) {
    const nextUpdate = now - DAY_MS;
    return { issueDate: new Date(nextUpdate - COLLATERAL_LIFETIME_MS), nextUpdate: new Date(nextUpdate) };
  }
  return { issueDate: new Date(now), nextUpdate: new Date(now + COLLATERAL_LIFETIME_MS) };
}

function crlDates(window: DocumentWindow): { thisUpdate: Date; nextUpdate: Date } {
  return { thisUpdate: window.issueDate, nextUpdate: window.nextUpdate };
}
