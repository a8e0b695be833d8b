// The world of the differential test: a devnet with platforms in every TCB state, the keys it
// stored (so mutated quotes and collateral can be signed again, as a dishonest platform or a
// compromised signer could), mutations of quotes, collateral and time, and both verifiers'
// verdicts reduced to what must agree: accepted or refused, TCB status and advisories.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DcapCollateral } from "../../../../src/attestation/dcap/collateral.ts";
import { DcapVerifier } from "../../../../src/attestation/dcap/DcapVerifier.ts";
import type { DevnetTee } from "../../../../src/attestation/dcap/devnet/collateralDocuments.ts";
import { DevnetDcap } from "../../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import { loadPki, loadPlatforms } from "../../../../src/attestation/dcap/devnet/devnetDcapStore.ts";
import { DevnetPki } from "../../../../src/attestation/dcap/devnet/DevnetPki.ts";
import type { DevnetTcbState } from "../../../../src/attestation/dcap/devnet/devnetTcb.ts";
import { importPkcs8, signRaw, type P256KeyPair } from "../../../../src/attestation/dcap/devnet/p256Keys.ts";
import { ISSUED_AT, NOW, REPORT_DATA, referenceVerdict, sgxEnclave, trustDomain, type ReferenceVerdict } from "./devnetFixture.ts";

export interface WorldPlatform {
  name: string;
  tee: DevnetTee;
  tcbState: DevnetTcbState;
  attestationKey: P256KeyPair;
  pckKey: P256KeyPair;
}

export interface World {
  directory: string;
  devnet: DevnetDcap;
  /** The devnet's PKI restored from its files: it signs mutated collateral as the devnet would. */
  pki: DevnetPki;
  rootDer: Uint8Array;
  platforms: WorldPlatform[];
  collateral: Record<DevnetTee, DcapCollateral>;
  ours: DcapVerifier;
}

const PLATFORMS: readonly { name: string; tee: DevnetTee; tcbState: DevnetTcbState; qeSvn?: number; revoked?: boolean }[] = [
  ...(["sgx", "tdx"] as const).flatMap((tee) =>
    (
      [
        "UpToDate",
        "SWHardeningNeeded",
        "ConfigurationNeeded",
        "ConfigurationAndSWHardeningNeeded",
        "OutOfDate",
        "OutOfDateConfigurationNeeded",
        "Revoked",
        "BelowAllLevels",
      ] as const
    ).map((tcbState) => ({ name: `${tee}-${tcbState.toLowerCase()}`, tee, tcbState })),
  ),
  { name: "sgx-old-qe", tee: "sgx", tcbState: "UpToDate", qeSvn: 6 },
  { name: "sgx-ancient-qe", tee: "sgx", tcbState: "UpToDate", qeSvn: 5 },
  { name: "sgx-pck-revoked", tee: "sgx", tcbState: "UpToDate", revoked: true },
  { name: "tdx-pck-revoked", tee: "tdx", tcbState: "UpToDate", revoked: true },
];

export async function createWorld(): Promise<World> {
  const directory = await mkdtemp(join(tmpdir(), "continuum-dcap-differential-"));
  const devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT, directory });
  for (const platform of PLATFORMS) {
    await devnet.provisionPlatform({ name: platform.name, tee: platform.tee, tcbState: platform.tcbState, qeSvn: platform.qeSvn }, ISSUED_AT);
    if (platform.revoked) await devnet.revokePck(platform.name);
  }
  const stored = await loadPlatforms(directory);
  const platforms = stored.map((platform) => ({
    name: platform.name,
    tee: platform.tee,
    tcbState: platform.tcbState,
    attestationKey: importPkcs8(platform.attestationKey),
    pckKey: importPkcs8(platform.pckKey),
  }));
  const [sgx, tdx] = await devnet.collateralSets({ now: NOW });
  return {
    directory,
    devnet,
    pki: await DevnetPki.restore(await loadPki(directory)),
    rootDer: devnet.rootCertificateDer,
    platforms,
    collateral: { sgx: sgx!, tdx: tdx! },
    ours: new DcapVerifier({ trustedRoot: devnet.rootCertificateDer }),
  };
}

export async function destroyWorld(world: World | undefined): Promise<void> {
  if (world) await rm(world.directory, { recursive: true, force: true });
}

export function honestQuote(world: World, platform: WorldPlatform, debug: boolean): Uint8Array {
  const enclave = world.devnet.quotingEnclave(platform.name);
  return platform.tee === "sgx"
    ? enclave.sgxQuote(sgxEnclave({ debug }), REPORT_DATA)
    : enclave.tdxQuote(trustDomain({ debug }), REPORT_DATA);
}

/** Where each part of a v3 or v4 quote lies, [start, end). */
export interface QuoteRegions {
  header: [number, number];
  body: [number, number];
  signatureDataLength: [number, number];
  signature: [number, number];
  attestationKey: [number, number];
  /** v4 only: the type-6 certification data's type and size. */
  outerCertificationHeader: [number, number];
  qeReport: [number, number];
  qeReportSignature: [number, number];
  qeAuthDataLength: [number, number];
  qeAuthData: [number, number];
  pckCertificationHeader: [number, number];
  pckChain: [number, number];
}
export type QuoteRegion = keyof QuoteRegions;

/** Regions of a well-formed quote (one the devnet produced), from its lengths. */
export function quoteRegions(quote: Uint8Array): QuoteRegions {
  const view = new DataView(quote.buffer, quote.byteOffset, quote.byteLength);
  const version = view.getUint16(0, true);
  const bodyEnd = 48 + (view.getUint32(4, true) === 0x81 ? 584 : 384);
  const data = bodyEnd + 4;
  const qeStart = version === 3 ? data + 128 : data + 134;
  const authLengthAt = qeStart + 448;
  const authEnd = authLengthAt + 2 + view.getUint16(authLengthAt, true);
  return {
    header: [0, 48],
    body: [48, bodyEnd],
    signatureDataLength: [bodyEnd, data],
    signature: [data, data + 64],
    attestationKey: [data + 64, data + 128],
    outerCertificationHeader: version === 3 ? [data + 128, data + 128] : [data + 128, data + 134],
    qeReport: [qeStart, qeStart + 384],
    qeReportSignature: [qeStart + 384, qeStart + 448],
    qeAuthDataLength: [authLengthAt, authLengthAt + 2],
    qeAuthData: [authLengthAt + 2, authEnd],
    pckCertificationHeader: [authEnd, authEnd + 6],
    pckChain: [authEnd + 6, quote.length],
  };
}

/** Signs the quote's header and body again with the platform's attestation key, in place. */
export function resignQuote(quote: Uint8Array, platform: WorldPlatform): void {
  const regions = quoteRegions(quote);
  quote.set(signRaw(platform.attestationKey.privateKey, quote.subarray(0, regions.body[1])), regions.signature[0]);
}

/** Signs the QE report again with the platform's PCK key, in place. */
export function resignQeReport(quote: Uint8Array, platform: WorldPlatform): void {
  const regions = quoteRegions(quote);
  const report = quote.subarray(...regions.qeReport);
  quote.set(signRaw(platform.pckKey.privateKey, report), regions.qeReportSignature[0]);
}

export type Verdict = { ok: true; status: string; advisoryIds: string[] } | { ok: false; check: string; reason: string };

/** Our verifier's verdict, reduced to what the reference reports. A throw counts as a refusal named THREW. */
export function ourVerdict(world: World, quote: Uint8Array, collateral: DcapCollateral, now: Date): Verdict {
  try {
    const verdict = world.ours.verify(quote, collateral, now);
    if (verdict.ok) return { ok: true, status: verdict.status, advisoryIds: [...verdict.advisoryIds].sort() };
    return { ok: false, check: verdict.check, reason: verdict.detail };
  } catch (error) {
    return { ok: false, check: "THREW", reason: `${(error as { code?: string }).code ?? ""} ${(error as Error).message}` };
  }
}

export function theirVerdict(world: World, quote: Uint8Array, collateral: DcapCollateral, now: Date): ReferenceVerdict {
  return referenceVerdict(world.rootDer, quote, collateral, now);
}

/** The part of two verdicts that must agree: acceptance, and when accepted, status and advisories. */
export function agreement(verdict: Verdict | ReferenceVerdict): { ok: boolean; status?: string; advisoryIds?: string[] } {
  return verdict.ok ? { ok: true, status: verdict.status, advisoryIds: verdict.advisoryIds } : { ok: false };
}
