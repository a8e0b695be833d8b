// Specification of the devnet's DCAP platform: Intel's encodings reproduced byte for byte,
// quotes and collateral that Intel's formats' reference verifier (dcap-qvl) judges as the chosen
// TCB state says, refusals for revoked, expired and debug cases, and state that survives a restart.
import { Quote, utils as qvlUtils } from "@phala/dcap-qvl";
import { expect } from "chai";
import { createHash, verify as verifySignature, X509Certificate as NodeX509 } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DevnetDcap } from "../../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import { DevnetDcapError } from "../../../../src/attestation/dcap/devnet/DevnetDcapError.ts";
import type { DevnetTcbState } from "../../../../src/attestation/dcap/devnet/devnetTcb.ts";
import { generateP256KeyPair, rawPublicKey } from "../../../../src/attestation/dcap/devnet/p256Keys.ts";
import { encodeHeader, encodeQuote, encodeSgxReportBody, encodeTdReport10 } from "../../../../src/attestation/dcap/devnet/quoteEncoder.ts";
import { encodeSgxPckExtension, SGX_EXTENSION_OID } from "../../../../src/attestation/dcap/devnet/sgxExtensionEncoding.ts";
import { parseQuote } from "../../../../src/attestation/dcap/parseQuote.ts";
import { SGX_REPORT_BODY_LENGTH, TEE_TYPE } from "../../../../src/attestation/dcap/quoteLayout.ts";
import { BasicConstraintsExtension, X509Certificate } from "../../../../src/attestation/dcap/x509.ts";
import { ISSUED_AT, NOW, REPORT_DATA, referenceVerdict, sgxEnclave, trustDomain } from "./devnetFixture.ts";

const VECTORS = new URL("../../../fixtures/dcap-vectors/", import.meta.url);
const vector = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, VECTORS)));
const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "hex"));
const pemBlocks = (pem: string): string[] => pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];

async function expectDevnetError(action: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    expect(error).to.be.instanceOf(DevnetDcapError).with.property("code", code);
    return;
  }
  expect.fail(`expected DevnetDcapError ${code}`);
}

describe("devnet DCAP encodings against Intel's recorded quotes", function () {
  it("encodes the SGX extension of a real Platform CA PCK certificate byte for byte", function () {
    const chain = parseQuote(vector("tdx_quote")).qe.pckChainPem;
    const leaf = new X509Certificate(pemBlocks(chain)[0]!);
    const intelValue = new Uint8Array(leaf.getExtension(SGX_EXTENSION_OID)!.value);
    // The values that certificate certifies (read with openssl asn1parse).
    const encoded = encodeSgxPckExtension({
      ppid: hex("811dca2a26b952e85bb6448b097ba4fd"),
      tcb: { cpuSvnComponents: [3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0], pceSvn: 11 },
      pceId: hex("0000"),
      fmspc: hex("b0c06f000000"),
      sgxType: 1,
      platformInstanceId: hex("07828474603e7019dc930775ffe8cdd2"),
      configuration: { dynamicPlatform: true, cachedKeys: true, smtEnabled: true },
    });
    expect(Buffer.from(encoded).toString("hex")).to.equal(Buffer.from(intelValue).toString("hex"));
  });

  for (const name of ["sgx_quote", "tdx_quote"]) {
    it(`re-encodes ${name}'s header, body and certification data as Intel laid them out`, function () {
      const recorded = vector(name);
      const parsed = parseQuote(recorded);
      const teeType = parsed.body.teeType === "SGX" ? TEE_TYPE.SGX : TEE_TYPE.TDX;
      const header = { version: parsed.header.version as 3 | 4, qeSvn: parsed.header.qeSvn, pceSvn: parsed.header.pceSvn, qeId: parsed.header.userData.slice(0, 16) };
      const body = parsed.body.teeType === "SGX" ? encodeSgxReportBody(parsed.body.report) : encodeTdReport10(parsed.body.report);
      expect(Buffer.from([...encodeHeader(header, teeType), ...body]).equals(Buffer.from(parsed.signedBytes))).to.equal(true);

      // A different attestation key changes the quote signature and the key, and nothing else.
      const attestationKey = generateP256KeyPair();
      const reencoded = encodeQuote({
        header,
        body: parsed.body,
        attestationKey,
        qe: { ...parsed.qe, pckChainPem: parsed.qe.pckChainPem.replace(/\0+$/, "") },
      });
      const signatureStart = parsed.signedBytes.length + 4;
      const expected = Buffer.from(recorded.subarray(0, reencoded.length));
      expected.set(reencoded.subarray(signatureStart, signatureStart + 128), signatureStart);
      expect(Buffer.from(reencoded).equals(expected)).to.equal(true);
      expect(reencoded.subarray(signatureStart + 64, signatureStart + 128)).to.deep.equal(rawPublicKey(attestationKey.publicKey));
    });
  }
});

describe("devnet DCAP platform judged by dcap-qvl", function () {
  let devnet: DevnetDcap;

  before(async function () {
    devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT });
  });

  const quoteOf = (name: string, options: { debug?: boolean; version?: 3 | 4 } = {}): Uint8Array => {
    const enclave = devnet.quotingEnclave(name);
    return enclave.tee === "sgx"
      ? enclave.sgxQuote(sgxEnclave({ debug: options.debug ?? false }), REPORT_DATA, { version: options.version ?? 3 })
      : enclave.tdxQuote(trustDomain({ debug: options.debug ?? false }), REPORT_DATA);
  };

  const ACCEPTED: readonly [DevnetTcbState, string[]][] = [
    ["UpToDate", []],
    ["SWHardeningNeeded", ["DEVNET-SA-00002"]],
    ["ConfigurationNeeded", ["DEVNET-SA-00003"]],
    ["ConfigurationAndSWHardeningNeeded", ["DEVNET-SA-00002", "DEVNET-SA-00003"]],
    ["OutOfDate", ["DEVNET-SA-00001", "DEVNET-SA-00002"]],
    ["OutOfDateConfigurationNeeded", ["DEVNET-SA-00001", "DEVNET-SA-00002", "DEVNET-SA-00003"]],
  ];

  for (const tee of ["sgx", "tdx"] as const) {
    for (const [state, advisories] of ACCEPTED) {
      it(`${tee.toUpperCase()} platform in ${state}: accepted with that status and its advisories`, async function () {
        const name = `${tee}-${state.toLowerCase()}`;
        await devnet.provisionPlatform({ name, tee, tcbState: state }, ISSUED_AT);
        const verdict = referenceVerdict(devnet.rootCertificateDer, quoteOf(name), await devnet.collateral(tee, { now: NOW }), NOW);
        expect(verdict).to.deep.equal({ ok: true, status: state, advisoryIds: advisories });
      });
    }

    it(`${tee.toUpperCase()}: a TCB at a Revoked level or below every level is refused`, async function () {
      const collateral = await devnet.collateral(tee, { now: NOW });
      await devnet.provisionPlatform({ name: `${tee}-tcb-revoked`, tee, tcbState: "Revoked" }, ISSUED_AT);
      await devnet.provisionPlatform({ name: `${tee}-unsupported`, tee, tcbState: "BelowAllLevels" }, ISSUED_AT);
      expect(referenceVerdict(devnet.rootCertificateDer, quoteOf(`${tee}-tcb-revoked`), collateral, NOW)).to.deep.equal({
        ok: false,
        reason: "TCB status is invalid: Revoked",
      });
      expect(referenceVerdict(devnet.rootCertificateDer, quoteOf(`${tee}-unsupported`), collateral, NOW)).to.deep.equal({
        ok: false,
        reason: "No matching TCB level found",
      });
    });

    it(`${tee.toUpperCase()}: a debug ${tee === "sgx" ? "enclave" : "TD"} is refused`, async function () {
      await devnet.provisionPlatform({ name: `${tee}-debug`, tee }, ISSUED_AT);
      const collateral = await devnet.collateral(tee, { now: NOW });
      expect(referenceVerdict(devnet.rootCertificateDer, quoteOf(`${tee}-debug`), collateral, NOW).ok).to.equal(true);
      expect(referenceVerdict(devnet.rootCertificateDer, quoteOf(`${tee}-debug`, { debug: true }), collateral, NOW)).to.deep.equal({
        ok: false,
        reason: "Debug mode is enabled",
      });
    });

    it(`${tee.toUpperCase()}: a revoked PCK certificate is refused once the PCK CRL lists it`, async function () {
      const name = `${tee}-pck-revoked`;
      await devnet.provisionPlatform({ name, tee }, ISSUED_AT);
      const before = await devnet.collateral(tee, { now: NOW });
      await devnet.revokePck(name);
      expect(devnet.platform(name).pckRevoked).to.equal(true);
      const after = await devnet.collateral(tee, { now: NOW });
      expect(referenceVerdict(devnet.rootCertificateDer, quoteOf(name), before, NOW).ok).to.equal(true);
      expect(referenceVerdict(devnet.rootCertificateDer, quoteOf(name), after, NOW)).to.deep.equal({
        ok: false,
        reason: "Certificate is revoked",
      });
    });

    it(`${tee.toUpperCase()}: expired TCB info or QE identity is refused`, async function () {
      const name = `${tee}-expiry`;
      await devnet.provisionPlatform({ name, tee }, ISSUED_AT);
      const quote = quoteOf(name);
      const expiredTcb = await devnet.collateral(tee, { now: NOW, expired: ["tcbInfo"] });
      const expiredQe = await devnet.collateral(tee, { now: NOW, expired: ["qeIdentity"] });
      expect(referenceVerdict(devnet.rootCertificateDer, quote, expiredTcb, NOW)).to.deep.equal({ ok: false, reason: "TCBInfo expired" });
      expect(referenceVerdict(devnet.rootCertificateDer, quote, expiredQe, NOW)).to.deep.equal({ ok: false, reason: "QE Identity expired" });
      expect(JSON.parse(expiredTcb.tcb_info).nextUpdate).to.equal("2026-02-19T00:00:00Z");
    });
  }

  it("merges an out-of-date quoting enclave into the platform's status, as Intel's QE identity levels say", async function () {
    await devnet.provisionPlatform({ name: "sgx-old-qe", tee: "sgx", qeSvn: 6 }, ISSUED_AT);
    const verdict = referenceVerdict(devnet.rootCertificateDer, quoteOf("sgx-old-qe"), await devnet.collateral("sgx", { now: NOW }), NOW);
    expect(verdict).to.deep.equal({ ok: true, status: "OutOfDate", advisoryIds: ["DEVNET-SA-00004"] });
  });

  it("is refused under Intel's root: devnet quotes are trusted only where the devnet root is", async function () {
    await devnet.provisionPlatform({ name: "sgx-intel-root", tee: "sgx" }, ISSUED_AT);
    const collateral = await devnet.collateral("sgx", { now: NOW });
    const intelRoot = new Uint8Array(Buffer.from(pemBlocks(parseQuote(vector("sgx_quote")).qe.pckChainPem)[2]!.replace(/-----[A-Z ]+-----|\s/g, ""), "base64"));
    expect(referenceVerdict(intelRoot, quoteOf("sgx-intel-root"), collateral, NOW).ok).to.equal(false);
  });

  it("SGX v4 quotes: dcap-qvl refuses the version, but parses them and every signature and the chain check out", async function () {
    await devnet.provisionPlatform({ name: "sgx-v4", tee: "sgx" }, ISSUED_AT);
    const quote = quoteOf("sgx-v4", { version: 4 });
    const collateral = await devnet.collateral("sgx", { now: NOW });
    expect(referenceVerdict(devnet.rootCertificateDer, quote, collateral, NOW)).to.deep.equal({
      ok: false,
      reason: "SGX TEE quote must have version 3",
    });
    const parsed = Quote.parse(quote);
    expect(parsed.header.version).to.equal(4);
    const auth = parsed.authData.intoV3();
    expect(auth.certificationData.certType).to.equal(5);
    const [leaf, ...intermediates] = qvlUtils.extractCerts(Buffer.from(auth.certificationData.body));
    const crls = [Buffer.from(collateral.root_ca_crl, "hex"), Buffer.from(collateral.pck_crl, "hex")];
    qvlUtils.verifyCertificateChain(leaf!, intermediates.slice(0, -1), NOW.getTime() / 1000, crls, Buffer.from(devnet.rootCertificateDer));
    const signedLength = parsed.signedLength();
    const keyDer = rawP256ToSpki(auth.ecdsaAttestationKey);
    expect(verifySignature("sha256", quote.subarray(0, signedLength), { key: keyDer, format: "der", type: "spki", dsaEncoding: "ieee-p1363" }, auth.ecdsaSignature)).to.equal(true);
    expect(verifySignature("sha256", auth.qeReport, { key: new NodeX509(leaf!).publicKey, dsaEncoding: "ieee-p1363" }, auth.qeReportSignature)).to.equal(true);
    const keyHash = createHash("sha256").update(auth.ecdsaAttestationKey).update(auth.qeAuthData).digest();
    expect(Buffer.from(auth.qeReport.subarray(SGX_REPORT_BODY_LENGTH - 64, SGX_REPORT_BODY_LENGTH - 32)).equals(keyHash)).to.equal(true);
  });

  it("issues PCK certificates whose SGX extension dcap-qvl reads back as the platform's TCB and family", async function () {
    await devnet.provisionPlatform({ name: "tdx-extension", tee: "tdx", tcbState: "SWHardeningNeeded" }, ISSUED_AT);
    const der = Buffer.from(devnet.platform("tdx-extension").pckCertificate.rawData);
    const extension = qvlUtils.getIntelExtension(der);
    expect(Buffer.from(qvlUtils.getFmspc(extension)).toString("hex")).to.equal("c0de00000081");
    expect([...qvlUtils.getCpuSvn(extension)]).to.deep.equal([3, 3, 3, 3, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(qvlUtils.getPceSvn(extension)).to.equal(13);
  });

  it("shapes the hierarchy like Intel's: root CA (path length 1), Platform CA (0), TCB signer and PCK leaves", async function () {
    await devnet.provisionPlatform({ name: "sgx-shape", tee: "sgx" }, ISSUED_AT);
    const collateral = await devnet.collateral("sgx", { now: NOW });
    const [platformCaPem, rootPem] = pemBlocks(collateral.pck_crl_issuer_chain);
    const [tcbSignerPem, tcbRootPem] = pemBlocks(collateral.tcb_info_issuer_chain);
    const root = new NodeX509(rootPem!);
    const platformCa = new NodeX509(platformCaPem!);
    const tcbSigner = new NodeX509(tcbSignerPem!);
    const pck = new NodeX509(Buffer.from(devnet.platform("sgx-shape").pckCertificate.rawData));
    expect(tcbRootPem).to.equal(rootPem);
    expect(root.raw.equals(Buffer.from(devnet.rootCertificateDer))).to.equal(true);
    expect(root.ca && root.checkIssued(root) && root.verify(root.publicKey)).to.equal(true);
    expect(platformCa.ca && platformCa.checkIssued(root) && platformCa.verify(root.publicKey)).to.equal(true);
    expect(!tcbSigner.ca && tcbSigner.verify(root.publicKey)).to.equal(true);
    expect(!pck.ca && pck.checkIssued(platformCa) && pck.verify(platformCa.publicKey)).to.equal(true);
    expect(root.subject).to.include("CN=Continuum Devnet SGX Root CA");
    expect(platformCa.subject).to.include("PCK Platform CA");
    expect(pck.issuer).to.equal(platformCa.subject);
    const pathLength = (pem: string) => new X509Certificate(pem).getExtension(BasicConstraintsExtension)?.pathLength;
    expect([pathLength(rootPem!), pathLength(platformCaPem!)]).to.deep.equal([1, 0]);
  });
});

describe("devnet DCAP state on disk", function () {
  let directory: string;

  beforeEach(async function () {
    directory = await mkdtemp(join(tmpdir(), "continuum-dcap-devnet-"));
  });

  afterEach(async function () {
    await rm(directory, { recursive: true, force: true });
  });

  it("resumes after a restart: same root, platforms, revocations, and its quotes still verify", async function () {
    const first = await DevnetDcap.open({ issuedAt: ISSUED_AT, directory });
    await first.provisionPlatform({ name: "sgx-a", tee: "sgx", tcbState: "OutOfDate" }, ISSUED_AT);
    await first.provisionPlatform({ name: "tdx-b", tee: "tdx" }, ISSUED_AT);
    await first.revokePck("tdx-b");
    expect((await stat(join(directory, "pki.json"))).mode & 0o777).to.equal(0o600);
    expect((await stat(join(directory, "platforms", "sgx-a.json"))).mode & 0o777).to.equal(0o600);

    const resumed = await DevnetDcap.open({ issuedAt: new Date("2030-01-01T00:00:00Z"), directory });
    expect(Buffer.from(resumed.rootCertificateDer).equals(Buffer.from(first.rootCertificateDer))).to.equal(true);
    expect(resumed.platforms().map(({ name, tee, tcbState, pckRevoked, pckSerialNumber }) => ({ name, tee, tcbState, pckRevoked, pckSerialNumber }))).to.deep.equal(
      first.platforms().map(({ name, tee, tcbState, pckRevoked, pckSerialNumber }) => ({ name, tee, tcbState, pckRevoked, pckSerialNumber })),
    );
    expect(resumed.quotingEnclave("sgx-a").attestationPublicKey).to.deep.equal(first.quotingEnclave("sgx-a").attestationPublicKey);
    const quote = resumed.quotingEnclave("sgx-a").sgxQuote(sgxEnclave(), REPORT_DATA);
    expect(referenceVerdict(first.rootCertificateDer, quote, await resumed.collateral("sgx", { now: NOW }), NOW)).to.deep.equal({
      ok: true,
      status: "OutOfDate",
      advisoryIds: ["DEVNET-SA-00001", "DEVNET-SA-00002"],
    });
    const tdxQuote = resumed.quotingEnclave("tdx-b").tdxQuote(trustDomain(), REPORT_DATA);
    expect(referenceVerdict(first.rootCertificateDer, tdxQuote, await resumed.collateral("tdx", { now: NOW }), NOW)).to.deep.equal({
      ok: false,
      reason: "Certificate is revoked",
    });
  });

  it("never replaces stored state: a second create or a platform name reused is refused", async function () {
    const devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT, directory });
    await devnet.provisionPlatform({ name: "sgx-a", tee: "sgx" }, ISSUED_AT);
    await expectDevnetError(DevnetDcap.create({ issuedAt: ISSUED_AT, directory }), "STATE_EXISTS");
    await expectDevnetError(devnet.provisionPlatform({ name: "sgx-a", tee: "sgx" }, ISSUED_AT), "PLATFORM_EXISTS");
    const reloaded = await DevnetDcap.load(directory);
    await expectDevnetError(reloaded.provisionPlatform({ name: "sgx-a", tee: "tdx" }, ISSUED_AT), "PLATFORM_EXISTS");
  });

  it("refuses state that does not hold together", async function () {
    await expectDevnetError(DevnetDcap.load(directory), "STATE_NOT_FOUND");
    const devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT, directory });
    await devnet.provisionPlatform({ name: "sgx-a", tee: "sgx" }, ISSUED_AT);
    await devnet.provisionPlatform({ name: "sgx-b", tee: "sgx" }, ISSUED_AT);
    const pathA = join(directory, "platforms", "sgx-a.json");
    const fileA = JSON.parse(await readFile(pathA, "utf8"));
    const fileB = JSON.parse(await readFile(join(directory, "platforms", "sgx-b.json"), "utf8"));
    await writeFile(pathA, JSON.stringify({ ...fileA, pckKey: fileB.pckKey }));
    await expectDevnetError(DevnetDcap.load(directory), "INVALID_STATE_FILE");
    await writeFile(pathA, JSON.stringify({ ...fileA, tcbState: "Fine" }));
    await expectDevnetError(DevnetDcap.load(directory), "INVALID_STATE_FILE");
    await writeFile(pathA, JSON.stringify(fileA));
    const pki = JSON.parse(await readFile(join(directory, "pki.json"), "utf8"));
    await writeFile(join(directory, "pki.json"), JSON.stringify({ ...pki, tcbSigning: pki.platformCa, platformCa: pki.tcbSigning, root: pki.tcbSigning }));
    await expectDevnetError(DevnetDcap.load(directory), "INVALID_STATE_FILE");
  });
});

describe("devnet DCAP inputs", function () {
  let devnet: DevnetDcap;

  before(async function () {
    devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT });
    await devnet.provisionPlatform({ name: "sgx", tee: "sgx" }, ISSUED_AT);
    await devnet.provisionPlatform({ name: "tdx", tee: "tdx" }, ISSUED_AT);
  });

  it("refuses report data, measurements and names of the wrong shape with INVALID_INPUT", async function () {
    const sgx = devnet.quotingEnclave("sgx");
    const tdx = devnet.quotingEnclave("tdx");
    await expectDevnetError(() => sgx.sgxQuote(sgxEnclave(), REPORT_DATA.subarray(1)), "INVALID_INPUT");
    await expectDevnetError(() => sgx.sgxQuote(sgxEnclave({ mrEnclave: new Uint8Array(48) }), REPORT_DATA), "INVALID_INPUT");
    await expectDevnetError(() => sgx.sgxQuote(sgxEnclave({ isvSvn: 0x10000 }), REPORT_DATA), "INVALID_INPUT");
    await expectDevnetError(() => tdx.tdxQuote(trustDomain({ mrTd: new Uint8Array(32) }), REPORT_DATA), "INVALID_INPUT");
    await expectDevnetError(() => sgx.tdxQuote(trustDomain(), REPORT_DATA), "INVALID_INPUT");
    await expectDevnetError(() => tdx.sgxQuote(sgxEnclave(), REPORT_DATA), "INVALID_INPUT");
    await expectDevnetError(devnet.provisionPlatform({ name: "Not A Name", tee: "sgx" }, ISSUED_AT), "INVALID_INPUT");
    await expectDevnetError(() => devnet.quotingEnclave("missing"), "UNKNOWN_PLATFORM");
    await expectDevnetError(devnet.revokePck("missing"), "UNKNOWN_PLATFORM");
  });

  it("carries the enclave's and the TD's identity into the quote body", function () {
    const sgx = parseQuote(devnet.quotingEnclave("sgx").sgxQuote(sgxEnclave({ miscSelect: 1, isvSvn: 9 }), REPORT_DATA));
    expect(sgx.body.teeType).to.equal("SGX");
    if (sgx.body.teeType !== "SGX") return;
    expect(sgx.body.report).to.deep.include({ isvProdId: 7, isvSvn: 9, miscSelect: 1 });
    expect(sgx.body.report.mrEnclave).to.deep.equal(new Uint8Array(32).fill(0xe1));
    expect(sgx.body.report.reportData).to.deep.equal(REPORT_DATA);
    const tdx = parseQuote(devnet.quotingEnclave("tdx").tdxQuote(trustDomain({ mrConfigId: new Uint8Array(48).fill(9) }), REPORT_DATA));
    expect(tdx.header.teeType).to.equal(TEE_TYPE.TDX);
    if (tdx.body.teeType !== "TDX") return;
    expect(tdx.body.report.mrTd).to.deep.equal(new Uint8Array(48).fill(0x7d));
    expect(tdx.body.report.rtmr[2]).to.deep.equal(new Uint8Array(48).fill(3));
    expect(tdx.body.report.mrConfigId).to.deep.equal(new Uint8Array(48).fill(9));
    expect(tdx.body.report.tdAttributes).to.deep.equal(Uint8Array.of(0, 0, 0, 0x10, 0, 0, 0, 0));
    expect(tdx.certificationDataType).to.equal(6);
  });
});

/** SubjectPublicKeyInfo DER of a raw x ‖ y P-256 key. */
function rawP256ToSpki(raw: Uint8Array): Buffer {
  const prefix = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");
  return Buffer.concat([prefix, Buffer.of(4), Buffer.from(raw)]);
}
