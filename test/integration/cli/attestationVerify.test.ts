// `continuum attestation verify` as an operator runs it: Intel's recorded SGX and TDX quotes give the
// verdicts their README states as of a time inside their collateral, and are refused (exit 1, the
// failing check named) at today's date, with a flipped byte, or under another root; a devnet quote
// verifies under the devnet root and is refused once one byte of its signed body changes.
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DevnetCollateralService } from "../../../src/attestation/dcap/devnet/DevnetCollateralService.ts";
import { DevnetDcap } from "../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import type { TdIdentity } from "../../../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";
import { vectorsDirectory } from "../../unit/attestation/dcap/dcapVectors.ts";
import { errorLine, runCli } from "./cliTestKit.ts";

const VECTOR_TIME = "2025-07-01T00:00:00Z";
const ISSUED_AT = new Date("2026-01-01T00:00:00Z");
const NOW = new Date("2026-02-20T00:00:00Z");
/** Inside the report body (MRENCLAVE of an SGX quote, MRTD of a TDX one): covered by the quote's signature. */
const BODY_BYTE = 48 + 80;

describe("continuum attestation verify", function () {
  this.timeout(120_000);
  const vectors = vectorsDirectory();
  let scratch: string;

  before(async function () {
    scratch = await mkdtemp(join(tmpdir(), "continuum-attestation-verify-"));
  });

  after(async function () {
    await rm(scratch, { recursive: true, force: true });
  });

  async function flipped(source: string, offset: number): Promise<string> {
    const bytes = await readFile(source);
    bytes[offset]! ^= 0x01;
    const path = join(scratch, `flipped-${offset}-${source.split("/").pop()}`);
    await writeFile(path, bytes);
    return path;
  }

  it("prints the SGX vector's validity, TCB status, advisories and MRENCLAVE", async function () {
    const run = await runCli(["attestation", "verify", join(vectors, "sgx_quote"), "--collateral", join(vectors, "sgx_quote_collateral.json"), "--at", VECTOR_TIME]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^valid\s+yes$/m);
    expect(run.stdout).to.match(/^TCB status\s+ConfigurationAndSWHardeningNeeded$/m);
    expect(run.stdout).to.match(/^advisories\s+INTEL-SA-00289, INTEL-SA-00615$/m);
    expect(run.stdout).to.match(/^MRENCLAVE\s+0x[0-9a-f]{64}$/m);
  });

  it("prints one JSON document for the TDX vector with --json", async function () {
    const run = await runCli(["--json", "attestation", "verify", join(vectors, "tdx_quote"), "--collateral", join(vectors, "tdx_quote_collateral.json"), "--at", VECTOR_TIME]);
    expect(run.code, run.stderr).to.equal(0);
    const document = JSON.parse(run.stdout);
    expect(document).to.deep.include({ valid: true, status: "UpToDate", advisoryIds: [], teeType: "TDX" });
    expect(document.measurement.mrTd).to.match(/^0x[0-9a-f]{96}$/);
    expect(document.verifiedAt).to.equal(new Date(VECTOR_TIME).toISOString());
  });

  it("refuses the vectors at today's date: their collateral has expired", async function () {
    const run = await runCli(["attestation", "verify", join(vectors, "sgx_quote"), "--collateral", join(vectors, "sgx_quote_collateral.json")]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/^valid\s+no: refused by [A-Z_]+_EXPIRED$/m);
    expect(errorLine(run).code).to.equal("QUOTE_REFUSED");
  });

  it("refuses a vector with one flipped byte in its report body, naming QUOTE_SIGNATURE", async function () {
    const quote = await flipped(join(vectors, "sgx_quote"), BODY_BYTE);
    const run = await runCli(["--json", "attestation", "verify", quote, "--collateral", join(vectors, "sgx_quote_collateral.json"), "--at", VECTOR_TIME]);
    expect(run.code).to.equal(1);
    expect(JSON.parse(run.stdout)).to.deep.include({ valid: false, check: "QUOTE_SIGNATURE" });
    expect(JSON.parse(run.stderr).error).to.deep.include({ code: "QUOTE_REFUSED" });
  });

  it("verifies a devnet quote under the devnet root, and refuses it with one flipped byte or under Intel's root", async function () {
    const devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT });
    const platform = await devnet.provisionPlatform({ name: "sgx-cli", tee: "sgx" }, ISSUED_AT);
    const identity = { mrEnclave: new Uint8Array(32).fill(0xe1), mrSigner: new Uint8Array(32).fill(0x51), isvProdId: 7, isvSvn: 3, debug: false };
    const quote = join(scratch, "devnet-quote");
    await writeFile(quote, platform.sgxQuote(identity, new Uint8Array(64).fill(7)));
    const collateral = join(scratch, "devnet-collateral.json");
    await writeFile(collateral, JSON.stringify(await devnet.collateral("sgx", { now: NOW })));
    const root = join(scratch, "devnet-root.pem");
    await writeFile(root, devnet.rootCertificatePem);
    const at = NOW.toISOString();

    const accepted = await runCli(["--json", "attestation", "verify", quote, "--collateral", collateral, "--root", root, "--at", at]);
    expect(accepted.code, accepted.stderr).to.equal(0);
    const document = JSON.parse(accepted.stdout);
    expect(document).to.deep.include({ valid: true, status: "UpToDate", advisoryIds: [], teeType: "SGX" });
    expect(document.measurement.mrEnclave).to.equal(`0x${"e1".repeat(32)}`);

    const tampered = await runCli(["attestation", "verify", await flipped(quote, BODY_BYTE), "--collateral", collateral, "--root", root, "--at", at]);
    expect(tampered.code).to.equal(1);
    expect(errorLine(tampered)).to.deep.include({ code: "QUOTE_REFUSED" });
    expect(errorLine(tampered).message).to.include("QUOTE_SIGNATURE");

    const wrongRoot = await runCli(["attestation", "verify", quote, "--collateral", collateral, "--at", at]);
    expect(wrongRoot.code).to.equal(1);
    expect(errorLine(wrongRoot).message).to.include("PCK_CHAIN");
  });

  it("fetches a devnet quote's collateral from a PCCS-compatible URL", async function () {
    const devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT });
    const platform = await devnet.provisionPlatform({ name: "tdx-cli", tee: "tdx" }, ISSUED_AT);
    const quote = join(scratch, "devnet-td-quote");
    const td: TdIdentity = { mrTd: new Uint8Array(48).fill(0x7d), rtmr: [new Uint8Array(48), new Uint8Array(48), new Uint8Array(48), new Uint8Array(48)], debug: false };
    await writeFile(quote, platform.tdxQuote(td, new Uint8Array(64).fill(9)));
    const root = join(scratch, "devnet-td-root.pem");
    await writeFile(root, devnet.rootCertificatePem);
    const service = await DevnetCollateralService.start(devnet, { host: "127.0.0.1", port: 0, now: () => NOW });
    try {
      const run = await runCli(["--json", "attestation", "verify", quote, "--collateral", service.url, "--root", root, "--at", NOW.toISOString()]);
      expect(run.code, run.stderr).to.equal(0);
      const document = JSON.parse(run.stdout);
      expect(document).to.deep.include({ valid: true, status: "UpToDate", teeType: "TDX" });
      expect(document.measurement.mrTd).to.equal(`0x${"7d".repeat(48)}`);
      expect(document.tcbEvaluationDataNumber).to.be.a("number");
    } finally {
      await service.close();
    }
  });

  it("is a usage error without --collateral or with a time that is not ISO 8601", async function () {
    const missing = await runCli(["attestation", "verify", join(vectors, "sgx_quote")]);
    expect(missing.code).to.equal(2);
    const badTime = await runCli(["attestation", "verify", join(vectors, "sgx_quote"), "--collateral", join(vectors, "sgx_quote_collateral.json"), "--at", "yesterday"]);
    expect(badTime.code).to.equal(2);
    expect(errorLine(badTime).code).to.equal("USAGE");
  });
});
