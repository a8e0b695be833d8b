// A devnet platform's quoting enclave: it holds the platform's attestation key, certified once
// by the PCK key through the QE report, and turns an enclave's or TD's identity and 64 bytes of
// report data into a real-format DCAP quote (SGX v3 or v4, TDX v4).
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes } from "@noble/hashes/utils.js";
import type { QuoteBody, SgxReportBody, TdReportBody } from "../quoteLayout.ts";
import { DEVNET_QUOTING_ENCLAVES, type DevnetTee } from "./collateralDocuments.ts";
import { DEVNET_TEE_TCB_SVN } from "./devnetTcb.ts";
import { DevnetDcapError } from "./DevnetDcapError.ts";
import { rawPublicKey, signRaw, type P256KeyPair } from "./p256Keys.ts";
import { encodeQuote, encodeSgxReportBody, type QeReportCertification } from "./quoteEncoder.ts";
import { cpuSvnBytes, type PlatformTcb } from "./sgxExtensionEncoding.ts";

/** SGX ATTRIBUTES.FLAGS bits. */
export const SGX_FLAGS = { INIT: 0x01n, DEBUG: 0x02n, MODE64BIT: 0x04n, PROVISIONKEY: 0x10n } as const;
/** TD_ATTRIBUTES bits: TUD.DEBUG (bit 0) and SEC.SEPT_VE_DISABLE (bit 28). */
export const TD_ATTRIBUTES = { DEBUG: 1n << 0n, SEPT_VE_DISABLE: 1n << 28n } as const;

export interface SgxEnclaveIdentity {
  /** 32 bytes. */
  mrEnclave: Uint8Array;
  /** 32 bytes. */
  mrSigner: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  /** Sets ATTRIBUTES.FLAGS.DEBUG. */
  debug: boolean;
  /** ATTRIBUTES.FLAGS besides DEBUG; INIT | MODE64BIT unless given. */
  flags?: bigint;
  /** ATTRIBUTES.XFRM; x87 | SSE (0x3) unless given. */
  xfrm?: bigint;
  miscSelect?: number;
}

export interface TdIdentity {
  /** 48 bytes each. */
  mrTd: Uint8Array;
  rtmr: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  mrConfigId?: Uint8Array;
  mrOwner?: Uint8Array;
  mrOwnerConfig?: Uint8Array;
  /** Sets TD_ATTRIBUTES.TUD.DEBUG. */
  debug: boolean;
  /** TD_ATTRIBUTES besides DEBUG; SEPT_VE_DISABLE unless given. */
  tdAttributes?: bigint;
  /** XFAM; 0x602e7 (x87, SSE, AVX, AVX-512 and more) unless given. */
  xfam?: bigint;
}

/** Everything a provisioned platform's quoting enclave works with. */
export interface QuotingEnclaveSetup {
  tee: DevnetTee;
  /** 16 bytes, the header's QE ID. */
  qeId: Uint8Array;
  /** The TCB of the platform: the quote's and QE report's CPUSVN, the header's PCESVN. */
  tcb: PlatformTcb;
  /** The QE's ISVSVN. */
  qeSvn: number;
  pckKey: P256KeyPair;
  /** PEM: PCK leaf, Platform CA, root. */
  pckChainPem: string;
  attestationKey: P256KeyPair;
  /** TDX only: the TDX module's measurement, 48 bytes. */
  mrSeam?: Uint8Array;
}

/** The QE's authentication data: 32 bytes, 0 to 31, as Intel's quoting enclave uses. */
const QE_AUTH_DATA = Uint8Array.from({ length: 32 }, (_, index) => index);
const QE_FLAGS = SGX_FLAGS.INIT | SGX_FLAGS.MODE64BIT | SGX_FLAGS.PROVISIONKEY;
const QE_XFRM = 0xe7n;

export class SimulatedQuotingEnclave {
  readonly tee: DevnetTee;
  readonly #setup: QuotingEnclaveSetup;
  readonly #certification: QeReportCertification;

  constructor(setup: QuotingEnclaveSetup) {
    if (setup.tee === "tdx" && setup.mrSeam?.length !== 48) {
      throw new DevnetDcapError("INVALID_INPUT", "a TDX platform needs its 48-byte MRSEAM");
    }
    this.tee = setup.tee;
    this.#setup = setup;
    this.#certification = certifyAttestationKey(setup);
  }

  /** The raw x ‖ y attestation public key every quote of this platform is signed with. */
  get attestationPublicKey(): Uint8Array {
    return rawPublicKey(this.#setup.attestationKey.publicKey);
  }

  /** A quote of an SGX enclave: version 3 (Intel's SGX default) or 4. */
  sgxQuote(identity: SgxEnclaveIdentity, reportData: Uint8Array, options: { version?: 3 | 4 } = {}): Uint8Array {
    this.#expectTee("sgx");
    const report: SgxReportBody = {
      cpuSvn: cpuSvnBytes(this.#setup.tcb),
      miscSelect: identity.miscSelect ?? 0,
      attributes: sgxAttributes((identity.flags ?? SGX_FLAGS.INIT | SGX_FLAGS.MODE64BIT) | (identity.debug ? SGX_FLAGS.DEBUG : 0n), identity.xfrm ?? 0x3n),
      mrEnclave: exact(identity.mrEnclave, 32, "mrEnclave"),
      mrSigner: exact(identity.mrSigner, 32, "mrSigner"),
      isvProdId: identity.isvProdId,
      isvSvn: identity.isvSvn,
      reportData: exact(reportData, 64, "reportData"),
    };
    return this.#quote({ teeType: "SGX", report }, options.version ?? 3);
  }

  /** A quote of a trust domain: version 4, TEE type 0x81, TD report 1.0. */
  tdxQuote(identity: TdIdentity, reportData: Uint8Array): Uint8Array {
    this.#expectTee("tdx");
    const zero48 = new Uint8Array(48);
    const report: TdReportBody = {
      tdReportVersion: "1.0",
      teeTcbSvn: Uint8Array.from(DEVNET_TEE_TCB_SVN),
      mrSeam: this.#setup.mrSeam!,
      mrSignerSeam: zero48,
      seamAttributes: new Uint8Array(8),
      tdAttributes: u64((identity.tdAttributes ?? TD_ATTRIBUTES.SEPT_VE_DISABLE) | (identity.debug ? TD_ATTRIBUTES.DEBUG : 0n)),
      xfam: u64(identity.xfam ?? 0x602e7n),
      mrTd: exact(identity.mrTd, 48, "mrTd"),
      mrConfigId: exact(identity.mrConfigId ?? zero48, 48, "mrConfigId"),
      mrOwner: exact(identity.mrOwner ?? zero48, 48, "mrOwner"),
      mrOwnerConfig: exact(identity.mrOwnerConfig ?? zero48, 48, "mrOwnerConfig"),
      rtmr: [
        exact(identity.rtmr[0], 48, "rtmr0"),
        exact(identity.rtmr[1], 48, "rtmr1"),
        exact(identity.rtmr[2], 48, "rtmr2"),
        exact(identity.rtmr[3], 48, "rtmr3"),
      ],
      reportData: exact(reportData, 64, "reportData"),
    };
    return this.#quote({ teeType: "TDX", report }, 4);
  }

  #quote(body: QuoteBody, version: 3 | 4): Uint8Array {
    return encodeQuote({
      header: { version, qeSvn: this.#setup.qeSvn, pceSvn: this.#setup.tcb.pceSvn, qeId: this.#setup.qeId },
      body,
      attestationKey: this.#setup.attestationKey,
      qe: this.#certification,
    });
  }

  #expectTee(tee: DevnetTee): void {
    if (this.tee !== tee) {
      throw new DevnetDcapError("INVALID_INPUT", `this platform is ${this.tee.toUpperCase()}, it cannot quote for ${tee.toUpperCase()}`);
    }
  }
}

/**
 * The QE report binding the attestation key: report data = sha256(key ‖ auth data) ‖ zeros,
 * signed by the PCK key. Real platforms do this once, when the quoting enclave creates its key.
 */
function certifyAttestationKey(setup: QuotingEnclaveSetup): QeReportCertification {
  const enclave = DEVNET_QUOTING_ENCLAVES[setup.tee];
  const keyHash = sha256(concatBytes(rawPublicKey(setup.attestationKey.publicKey), QE_AUTH_DATA));
  const qeReportBytes = encodeSgxReportBody({
    cpuSvn: cpuSvnBytes(setup.tcb),
    miscSelect: 0,
    attributes: sgxAttributes(QE_FLAGS, QE_XFRM),
    mrEnclave: enclave.mrEnclave,
    mrSigner: enclave.mrSigner,
    isvProdId: enclave.isvProdId,
    isvSvn: setup.qeSvn,
    reportData: concatBytes(keyHash, new Uint8Array(32)),
  });
  return {
    qeReportBytes,
    qeReportSignature: signRaw(setup.pckKey.privateKey, qeReportBytes),
    qeAuthData: QE_AUTH_DATA,
    pckChainPem: setup.pckChainPem,
  };
}

/** ATTRIBUTES: FLAGS (u64 LE) ‖ XFRM (u64 LE). */
function sgxAttributes(flags: bigint, xfrm: bigint): Uint8Array {
  return concatBytes(u64(flags), u64(xfrm));
}

function u64(value: bigint): Uint8Array {
  if (value < 0n || value > 0xffffffffffffffffn) throw new DevnetDcapError("INVALID_INPUT", `${value} is not a u64`);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
}

function exact(bytes: Uint8Array, length: number, field: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new DevnetDcapError("INVALID_INPUT", `${field} must be ${length} bytes`, { field });
  }
  return bytes;
}
