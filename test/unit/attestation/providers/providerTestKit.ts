// Shared setup of the quote provider tests: a devnet with an SGX and a TDX platform whose quotes
// stand in for what Gramine and the kernel return, our verifier under the devnet root, temp dirs.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DcapVerifier } from "../../../../src/attestation/dcap/DcapVerifier.ts";
import { DevnetDcap } from "../../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import { QuoteProviderError } from "../../../../src/attestation/providers/QuoteProviderError.ts";
import { ISSUED_AT, NOW, sgxEnclave, trustDomain } from "../dcap/devnetFixture.ts";

export interface ProviderWorld {
  devnet: DevnetDcap;
  sgxQuoteFor(reportData: Uint8Array): Uint8Array;
  tdxQuoteFor(reportData: Uint8Array): Uint8Array;
  /** The verdict of our verifier on `quote` under the devnet root, with the devnet's collateral. */
  verify(quote: Uint8Array, tee: "sgx" | "tdx"): Promise<{ ok: boolean; reportData?: string }>;
}

export async function createProviderWorld(): Promise<ProviderWorld> {
  const devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT });
  const sgx = await devnet.provisionPlatform({ name: "sgx", tee: "sgx" }, ISSUED_AT);
  const tdx = await devnet.provisionPlatform({ name: "tdx", tee: "tdx" }, ISSUED_AT);
  const verifier = new DcapVerifier({ trustedRoot: devnet.rootCertificateDer });
  return {
    devnet,
    sgxQuoteFor: (reportData) => sgx.sgxQuote(sgxEnclave(), reportData),
    tdxQuoteFor: (reportData) => tdx.tdxQuote(trustDomain(), reportData),
    verify: async (quote, tee) => {
      const verdict = verifier.verify(quote, await devnet.collateral(tee, { now: NOW }), NOW);
      return verdict.ok ? { ok: true, reportData: verdict.reportData } : { ok: false };
    },
  };
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "continuum-quote-provider-"));
}

export async function removeTempDir(directory: string | undefined): Promise<void> {
  if (directory) await rm(directory, { recursive: true, force: true });
}

export function reportDataOf(fill: number): Uint8Array {
  return Uint8Array.from({ length: 64 }, (_, index) => (fill + index) & 0xff);
}

export async function expectProviderError(promise: Promise<unknown>, code: string): Promise<QuoteProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(QuoteProviderError).with.property("code", code);
    return error as QuoteProviderError;
  }
  return expect.fail(`expected QuoteProviderError ${code}`);
}
