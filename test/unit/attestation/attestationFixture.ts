// Shared setup for the attestation tests: a devnet authority, a certified simulated platform,
// an enclave identity, and helpers that build quotes and policies around them.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { Wallet } from "ethers";
import {
  AttestationAuthority,
  buildReportData,
  createTimestampedNonce,
  ReplayWindow,
  SimulatedPlatform,
  SimulatedTrustedRoot,
  type QuotePolicy,
  type QuoteRequest,
} from "../../../src/attestation/index.ts";

export const NOW = new Date("2030-01-01T00:00:00Z");
export const ONE_YEAR_SECONDS = 365 * 24 * 3600;
export const MEASUREMENT = sha256(utf8ToBytes("continuum test app bundle"));
export const SIGNER_MEASUREMENT = sha256(utf8ToBytes("continuum test app signer"));
/** Offsets in an encoded quote, from the layout documented in src/attestation/quoteCodec.ts. */
export const MEASUREMENT_OFFSET = 112;
export const SIGNATURE_OFFSET = 436;

export interface Devnet {
  authority: AttestationAuthority;
  platform: SimulatedPlatform;
  trustedRoot: SimulatedTrustedRoot;
}

export function createDevnet(platformLifetimeSeconds = ONE_YEAR_SECONDS): Devnet {
  const authority = AttestationAuthority.create({ now: NOW, lifetimeSeconds: 10 * ONE_YEAR_SECONDS });
  const platformKey = authority.issuePlatformKey({ now: NOW, lifetimeSeconds: platformLifetimeSeconds });
  return {
    authority,
    platform: new SimulatedPlatform(platformKey),
    trustedRoot: SimulatedTrustedRoot.fromHex(authority.trustedRootHex),
  };
}

export function createEnclaveAddress(): string {
  return Wallet.createRandom().address;
}

/** A request for a production enclave at security version 3 bound to `enclaveAddress` and `nonce`. */
export function quoteRequest(
  enclaveAddress: string,
  nonce: Uint8Array,
  overrides: Partial<QuoteRequest> = {},
): QuoteRequest {
  return {
    measurement: MEASUREMENT,
    signerMeasurement: SIGNER_MEASUREMENT,
    productId: 7,
    securityVersion: 3,
    debug: false,
    reportData: buildReportData(enclaveAddress, nonce),
    ...overrides,
  };
}

/** A quote from `platform` with a timestamped nonce made at NOW. */
export function freshQuote(platform: SimulatedPlatform, enclaveAddress: string, overrides: Partial<QuoteRequest> = {}) {
  const nonce = createTimestampedNonce(NOW);
  return { nonce, quote: platform.createQuote(quoteRequest(enclaveAddress, nonce, overrides)) };
}

/** The production policy at NOW: no debug, security version at least 3, a five-minute replay window. */
export function strictPolicy(
  devnet: Pick<Devnet, "trustedRoot">,
  enclaveAddress: string,
  overrides: Partial<QuotePolicy> = {},
): QuotePolicy {
  return {
    trustedRoot: devnet.trustedRoot,
    allowDebug: false,
    minSecurityVersion: 3,
    enclaveAddress,
    freshness: new ReplayWindow({ maxAgeSeconds: 300, maxClockSkewSeconds: 30 }),
    now: NOW,
    ...overrides,
  };
}
