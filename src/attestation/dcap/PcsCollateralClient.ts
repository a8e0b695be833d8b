// A collateral source over Intel's PCS v4 HTTP API, or a PCCS serving the same routes: TCB info
// and QE identity per TEE (issuer chains in URL-encoded response headers), the PCK CRL of the
// platform's CA, and the root CA CRL (a PCCS route, or Intel's published file).
//
//   GET {base}/{sgx|tdx}/certification/v4/tcb?fmspc=…     {"tcbInfo":…,"signature":…}   TCB-Info-Issuer-Chain
//   GET {base}/{sgx|tdx}/certification/v4/qe/identity     {"enclaveIdentity":…,…}       SGX-Enclave-Identity-Issuer-Chain
//   GET {base}/sgx/certification/v4/pckcrl?ca=…&encoding=der                            SGX-PCK-CRL-Issuer-Chain
//   GET {rootCaCrlUrl}   default {base}/sgx/certification/v4/rootcacrl (a PCCS answers hex; DER and PEM are read too)
import type { CollateralRequest, CollateralSource, DcapCollateral } from "./collateral.ts";
import { DcapError } from "./DcapError.ts";
import { expectCollateralFor } from "./describeCollateral.ts";
import { signedDocumentText } from "./signedResponseBody.ts";

export const INTEL_PCS_BASE_URL = "https://api.trustedservices.intel.com";
/** Intel publishes the SGX Root CA's CRL here (DER); its PCS has no route for it. */
export const INTEL_ROOT_CA_CRL_URL = "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";

export const ISSUER_CHAIN_HEADERS = {
  tcbInfo: ["TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"],
  qeIdentity: ["SGX-Enclave-Identity-Issuer-Chain"],
  pckCrl: ["SGX-PCK-CRL-Issuer-Chain"],
} as const;

export interface PcsCollateralClientOptions {
  /** Intel's PCS (INTEL_PCS_BASE_URL) or a PCCS, without the /sgx/certification/v4 path. */
  baseUrl: string;
  /** Where the root CA CRL is; the PCCS route under `baseUrl` unless given (INTEL_ROOT_CA_CRL_URL for Intel's PCS). */
  rootCaCrlUrl?: string;
  /** Per request; 10 s unless given. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Collateral responses are tens of kilobytes; a CRL of a large CA a few hundred. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const HEX_TEXT = /^\s*((?:[0-9a-fA-F]{2})+)\s*$/;

export class PcsCollateralClient implements CollateralSource {
  readonly #baseUrl: string;
  readonly #rootCaCrlUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: PcsCollateralClientOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch (error) {
      throw new DcapError("INVALID_CONFIGURATION", "the collateral service URL is not a URL", { baseUrl: options.baseUrl }, { cause: error });
    }
    this.#baseUrl = base.href.replace(/\/+$/, "");
    this.#rootCaCrlUrl = options.rootCaCrlUrl ?? `${this.#baseUrl}/sgx/certification/v4/rootcacrl`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
  }

  async getCollateral(request: CollateralRequest): Promise<DcapCollateral> {
    const tee = request.teeType === "TDX" ? "tdx" : "sgx";
    if (!/^[0-9a-f]{12}$/i.test(request.fmspc)) throw new DcapError("INVALID_CONFIGURATION", "fmspc must be 6 bytes of hex");
    const [tcbInfo, qeIdentity, pckCrl, rootCaCrl] = await Promise.all([
      this.#signedDocument(`/${tee}/certification/v4/tcb?fmspc=${request.fmspc.toUpperCase()}`, "tcbInfo", ISSUER_CHAIN_HEADERS.tcbInfo),
      this.#signedDocument(`/${tee}/certification/v4/qe/identity`, "enclaveIdentity", ISSUER_CHAIN_HEADERS.qeIdentity),
      this.#get(`${this.#baseUrl}/sgx/certification/v4/pckcrl?ca=${request.ca}&encoding=der`),
      this.#get(this.#rootCaCrlUrl),
    ]);
    const collateral: DcapCollateral = Object.freeze({
      pck_crl_issuer_chain: issuerChain(pckCrl.headers, ISSUER_CHAIN_HEADERS.pckCrl),
      root_ca_crl: crlHex(rootCaCrl.body, "root CA CRL"),
      pck_crl: crlHex(pckCrl.body, "PCK CRL"),
      tcb_info_issuer_chain: tcbInfo.issuerChain,
      tcb_info: tcbInfo.text,
      tcb_info_signature: tcbInfo.signatureHex,
      qe_identity_issuer_chain: qeIdentity.issuerChain,
      qe_identity: qeIdentity.text,
      qe_identity_signature: qeIdentity.signatureHex,
    });
    expectCollateralFor(request, collateral);
    return collateral;
  }

  async #signedDocument(
    path: string,
    member: "tcbInfo" | "enclaveIdentity",
    headers: readonly string[],
  ): Promise<{ text: string; signatureHex: string; issuerChain: string }> {
    const response = await this.#get(`${this.#baseUrl}${path}`);
    const body = new TextDecoder("utf-8", { fatal: true });
    let text: string;
    try {
      text = body.decode(response.body);
    } catch (error) {
      throw new DcapError("MALFORMED_COLLATERAL", `the ${member} response is not UTF-8`, {}, { cause: error });
    }
    return { ...signedDocumentText(text, member), issuerChain: issuerChain(response.headers, headers) };
  }

  async #get(url: string): Promise<{ body: Uint8Array; headers: Headers }> {
    let response: Response;
    try {
      response = await this.#fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      throw new DcapError("COLLATERAL_UNAVAILABLE", `the collateral service did not answer ${url}`, { url }, { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DcapError("COLLATERAL_UNAVAILABLE", `the collateral service answered ${response.status} to ${url}`, { url, status: response.status });
    }
    return { body: await boundedBody(response, url), headers: response.headers };
  }
}

async function boundedBody(response: Response, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new DcapError("MALFORMED_COLLATERAL", `the answer to ${url} is too large`, { url });
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of response.body ?? []) {
      length += chunk.length;
      if (length > MAX_RESPONSE_BYTES) throw new DcapError("MALFORMED_COLLATERAL", `the answer to ${url} is too large`, { url });
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof DcapError) throw error;
    throw new DcapError("COLLATERAL_UNAVAILABLE", `the answer to ${url} was cut off`, { url }, { cause: error });
  }
  return Buffer.concat(chunks);
}

/** The URL-encoded PEM chain of the first of `names` present. */
function issuerChain(headers: Headers, names: readonly string[]): string {
  for (const name of names) {
    const value = headers.get(name);
    if (value === null) continue;
    try {
      return decodeURIComponent(value);
    } catch (error) {
      throw new DcapError("MALFORMED_COLLATERAL", `the ${name} header is not URL-encoded`, { header: name }, { cause: error });
    }
  }
  throw new DcapError("MALFORMED_COLLATERAL", `the response has no ${names[0]} header`, { header: names[0] });
}

/** A CRL body as DER, PEM or hex text (a PCCS answers the root CA CRL in hex), returned as hex. */
function crlHex(body: Uint8Array, what: string): string {
  const text = Buffer.from(body).toString("latin1");
  const hex = HEX_TEXT.exec(text);
  if (hex) return hex[1]!.toLowerCase();
  const pem = /-----BEGIN X509 CRL-----([A-Za-z0-9+/=\s]+)-----END X509 CRL-----/.exec(text);
  if (pem) return Buffer.from(pem[1]!.replace(/\s/g, ""), "base64").toString("hex");
  if (body[0] === 0x30) return Buffer.from(body).toString("hex");
  throw new DcapError("MALFORMED_COLLATERAL", `the ${what} is neither DER, PEM nor hex`);
}
