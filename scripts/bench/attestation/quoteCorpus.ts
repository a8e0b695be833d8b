// The quotes the attestation benchmark verifies: Intel's two recorded quotes (as of a time inside
// their collateral) and devnet SGX v3 and TDX v4 quotes from platforms in every accepted TCB state,
// plus quotes both verifiers must refuse, each with its collateral, trusted root and time.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { collateralFromJson, INTEL_SGX_ROOT_CA_PEM, pemCertificates, type DcapCollateral } from "../../../src/attestation/dcap/index.ts";
import { DevnetDcap } from "../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import type { DevnetTcbState } from "../../../src/attestation/dcap/devnet/devnetTcb.ts";
import type { SimulatedQuotingEnclave } from "../../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";

export interface CorpusQuote {
  label: string;
  quote: Uint8Array;
  collateral: DcapCollateral;
  now: Date;
  /** Which trusted root judges it: Intel's or the devnet's. */
  root: "intel" | "devnet";
}

export interface QuoteCorpus {
  roots: Record<CorpusQuote["root"], { pem: string; der: Uint8Array }>;
  /** Quotes both verifiers accept: the throughput corpus. */
  accepted: CorpusQuote[];
  /** Quotes both verifiers must refuse: only compared, not timed. */
  refused: CorpusQuote[];
}

/** Inside every validity window of Intel's recorded collateral (mid-2025). */
const VECTOR_TIME = new Date("2025-07-01T00:00:00Z");
const DEVNET_ISSUED_AT = new Date("2026-01-01T00:00:00Z");
const DEVNET_NOW = new Date("2026-02-20T00:00:00Z");
const ACCEPTED_STATES: readonly DevnetTcbState[] = [
  "UpToDate",
  "SWHardeningNeeded",
  "ConfigurationNeeded",
  "ConfigurationAndSWHardeningNeeded",
  "OutOfDate",
  "OutOfDateConfigurationNeeded",
];

export async function buildQuoteCorpus(options: { quotesPerDevnetPlatform: number }): Promise<QuoteCorpus> {
  const devnet = await DevnetDcap.create({ issuedAt: DEVNET_ISSUED_AT });
  const collateral = { sgx: await devnet.collateral("sgx", { now: DEVNET_NOW }), tdx: await devnet.collateral("tdx", { now: DEVNET_NOW }) };
  const accepted: CorpusQuote[] = intelVectors(VECTOR_TIME);
  const refused: CorpusQuote[] = intelVectors(new Date()).map((vector) => ({ ...vector, label: `${vector.label} at today's date` }));
  for (const tee of ["sgx", "tdx"] as const) {
    for (const tcbState of [...ACCEPTED_STATES, "Revoked", "BelowAllLevels"] as const) {
      const name = `${tee}-${tcbState.toLowerCase()}`;
      const enclave = await devnet.provisionPlatform({ name, tee, tcbState }, DEVNET_ISSUED_AT);
      const count = ACCEPTED_STATES.includes(tcbState) ? options.quotesPerDevnetPlatform : 1;
      const quotes = Array.from({ length: count }, (_, index) => ({
        label: `devnet ${name} #${index}`,
        quote: devnetQuote(enclave, index),
        collateral: collateral[tee],
        now: DEVNET_NOW,
        root: "devnet" as const,
      }));
      (ACCEPTED_STATES.includes(tcbState) ? accepted : refused).push(...quotes);
    }
  }
  const revoked = await devnet.provisionPlatform({ name: "sgx-pck-revoked", tee: "sgx" }, DEVNET_ISSUED_AT);
  await devnet.revokePck("sgx-pck-revoked");
  const afterRevocation = await devnet.collateral("sgx", { now: DEVNET_NOW });
  refused.push({ label: "devnet sgx PCK revoked", quote: devnetQuote(revoked, 0), collateral: afterRevocation, now: DEVNET_NOW, root: "devnet" });
  const expired = await devnet.collateral("tdx", { now: DEVNET_NOW, expired: ["tcbInfo"] });
  const tdxQuote = accepted.find((entry) => entry.label.startsWith("devnet tdx-uptodate"))!;
  refused.push({ ...tdxQuote, label: "devnet tdx with expired TCB info", collateral: expired });
  return {
    roots: {
      intel: { pem: INTEL_SGX_ROOT_CA_PEM, der: pemCertificates(INTEL_SGX_ROOT_CA_PEM, 1, "Intel root")[0]! },
      devnet: { pem: devnet.rootCertificatePem, der: devnet.rootCertificateDer },
    },
    accepted,
    refused,
  };
}

/** A quote with report data of its own: platforms sign a new quote for every enclave key. */
function devnetQuote(enclave: SimulatedQuotingEnclave, index: number): Uint8Array {
  const reportData = new Uint8Array(64);
  new DataView(reportData.buffer).setUint32(0, index);
  reportData.fill(0xab, 4);
  if (enclave.tee === "sgx") {
    return enclave.sgxQuote({ mrEnclave: new Uint8Array(32).fill(0xe1), mrSigner: new Uint8Array(32).fill(0x51), isvProdId: 7, isvSvn: 3, debug: false }, reportData);
  }
  const rtmr = [1, 2, 3, 4].map((value) => new Uint8Array(48).fill(value)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return enclave.tdxQuote({ mrTd: new Uint8Array(48).fill(0x7d), rtmr, debug: false }, reportData);
}

function intelVectors(now: Date): CorpusQuote[] {
  const directory = vectorsDirectory();
  return (["sgx", "tdx"] as const).map((name) => ({
    label: `Intel ${name} vector`,
    quote: new Uint8Array(readFileSync(join(directory, `${name}_quote`))),
    collateral: collateralFromJson(JSON.parse(readFileSync(join(directory, `${name}_quote_collateral.json`), "utf8"))),
    now,
    root: "intel" as const,
  }));
}

/** Intel's recorded vectors, kept in the repository with their source and licence. */
function vectorsDirectory(): string {
  return join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "dcap-vectors");
}
