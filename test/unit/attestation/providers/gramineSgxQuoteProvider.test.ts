// Specification of the Gramine SGX quote provider on a directory laid out like /dev/attestation:
// it checks the attestation type, writes the report data, reads the quote, and names each failure.
import { expect } from "chai";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GramineSgxQuoteProvider } from "../../../../src/attestation/providers/GramineSgxQuoteProvider.ts";
import { gramineInterface } from "./fakeAttestationInterfaces.ts";
import { createProviderWorld, expectProviderError, makeTempDir, removeTempDir, reportDataOf, type ProviderWorld } from "./providerTestKit.ts";

describe("Gramine SGX quote provider", function () {
  let world: ProviderWorld;
  let directory: string;

  before(async function () {
    world = await createProviderWorld();
  });

  beforeEach(async function () {
    directory = await makeTempDir();
  });

  afterEach(async function () {
    await removeTempDir(directory);
  });

  it("writes the report data to user_report_data and returns the quote Gramine then gives, which verifies", async function () {
    const attestation = join(directory, "attestation");
    const { fileSystem, operations } = await gramineInterface(attestation, { quoteFor: world.sgxQuoteFor });
    const provider = new GramineSgxQuoteProvider({ attestationDirectory: attestation, fileSystem });
    const reportData = reportDataOf(1);
    const quote = await provider.getQuote(reportData);
    expect(operations).to.deep.equal(["read attestation_type", "write user_report_data", "read quote"]);
    expect(new Uint8Array(await readFile(join(attestation, "user_report_data")))).to.deep.equal(reportData);
    expect(await world.verify(quote, "sgx")).to.deep.equal({ ok: true, reportData: `0x${Buffer.from(reportData).toString("hex")}` });
    expect(provider.describe()).to.deep.equal({ kind: "gramine-sgx", tee: "sgx", source: attestation });
  });

  it("takes calls in turn, so each quote carries its own caller's report data", async function () {
    const { fileSystem, operations } = await gramineInterface(directory, { quoteFor: world.sgxQuoteFor });
    const provider = new GramineSgxQuoteProvider({ attestationDirectory: directory, fileSystem });
    const requests = [reportDataOf(10), reportDataOf(20), reportDataOf(30)];
    const quotes = await Promise.all(requests.map((reportData) => provider.getQuote(reportData)));
    for (const [index, quote] of quotes.entries()) {
      expect(quote.subarray(48 + 320, 48 + 384)).to.deep.equal(requests[index]);
    }
    expect(operations.filter((operation) => operation !== "read attestation_type")).to.deep.equal(
      requests.flatMap(() => ["write user_report_data", "read quote"]),
    );
  });

  it("is DEVICE_MISSING outside Gramine (no attestation directory)", async function () {
    const provider = new GramineSgxQuoteProvider({ attestationDirectory: join(directory, "absent") });
    const error = await expectProviderError(provider.getQuote(reportDataOf(1)), "DEVICE_MISSING");
    expect(error.details).to.deep.include({ operation: "read", errno: "ENOENT" });
  });

  it("is UNSUPPORTED_ATTESTATION_TYPE when Gramine is set up for EPID or none", async function () {
    for (const attestationType of ["epid", "none\n"]) {
      const attestation = join(directory, attestationType.trim());
      const { fileSystem } = await gramineInterface(attestation, { attestationType, quoteFor: world.sgxQuoteFor });
      const provider = new GramineSgxQuoteProvider({ attestationDirectory: attestation, fileSystem });
      await expectProviderError(provider.getQuote(reportDataOf(1)), "UNSUPPORTED_ATTESTATION_TYPE");
    }
  });

  it("is QUOTE_TOO_SHORT, WRONG_TEE, REPORT_DATA_MISMATCH or MALFORMED_QUOTE for answers that are not our quote", async function () {
    const cases: [string, (reportData: Uint8Array) => Uint8Array][] = [
      ["QUOTE_TOO_SHORT", (reportData) => world.sgxQuoteFor(reportData).subarray(0, 300)],
      ["QUOTE_TOO_SHORT", () => new Uint8Array(0)],
      ["WRONG_TEE", (reportData) => world.tdxQuoteFor(reportData)],
      ["REPORT_DATA_MISMATCH", () => world.sgxQuoteFor(reportDataOf(99))],
      ["MALFORMED_QUOTE", (reportData) => Uint8Array.from([9, 0, ...world.sgxQuoteFor(reportData).subarray(2)])],
    ];
    for (const [index, [code, quoteFor]] of cases.entries()) {
      const attestation = join(directory, `case-${index}`);
      const { fileSystem } = await gramineInterface(attestation, { quoteFor });
      await expectProviderError(new GramineSgxQuoteProvider({ attestationDirectory: attestation, fileSystem }).getQuote(reportDataOf(1)), code);
    }
  });

  it("is DEVICE_ERROR when a pseudo-file cannot be written, and INVALID_REPORT_DATA for anything but 64 bytes", async function () {
    const { fileSystem } = await gramineInterface(directory, { quoteFor: world.sgxQuoteFor });
    await rm(join(directory, "user_report_data"));
    await mkdir(join(directory, "user_report_data"));
    const provider = new GramineSgxQuoteProvider({ attestationDirectory: directory, fileSystem });
    const error = await expectProviderError(provider.getQuote(reportDataOf(1)), "DEVICE_ERROR");
    expect(error.details).to.deep.include({ operation: "write", errno: "EISDIR" });
    await expectProviderError(provider.getQuote(new Uint8Array(63)), "INVALID_REPORT_DATA");
    await expectProviderError(provider.getQuote(new Uint8Array(65)), "INVALID_REPORT_DATA");
  });

  it("keeps working after a failed call", async function () {
    const { fileSystem } = await gramineInterface(directory, { quoteFor: world.sgxQuoteFor });
    await writeFile(join(directory, "attestation_type"), "none");
    const provider = new GramineSgxQuoteProvider({ attestationDirectory: directory, fileSystem });
    await expectProviderError(provider.getQuote(reportDataOf(1)), "UNSUPPORTED_ATTESTATION_TYPE");
    await writeFile(join(directory, "attestation_type"), "dcap");
    expect((await provider.getQuote(reportDataOf(2))).length).to.be.greaterThan(1000);
  });
});
