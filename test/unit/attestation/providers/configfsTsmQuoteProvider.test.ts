// Specification of the configfs-tsm (TDX) quote provider on a directory laid out like
// /sys/kernel/config/tsm/report: one report entry per quote, its provider checked, the generation
// watched for other writers, the entry removed on success and on failure.
import { expect } from "chai";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ConfigfsTsmQuoteProvider } from "../../../../src/attestation/providers/ConfigfsTsmQuoteProvider.ts";
import { configfsInterface, writeForeignInblob, type ConfigfsOptions } from "./fakeAttestationInterfaces.ts";
import { createProviderWorld, expectProviderError, makeTempDir, removeTempDir, reportDataOf, type ProviderWorld } from "./providerTestKit.ts";

describe("configfs-tsm quote provider", function () {
  let world: ProviderWorld;
  let directory: string;
  let reports: string;

  before(async function () {
    world = await createProviderWorld();
  });

  beforeEach(async function () {
    directory = await makeTempDir();
    reports = join(directory, "tsm", "report");
    await mkdir(reports, { recursive: true });
  });

  afterEach(async function () {
    await removeTempDir(directory);
  });

  const providerOn = (options: Partial<ConfigfsOptions>, expectedProvider?: string) => {
    const kernel = configfsInterface(reports, { quoteFor: world.tdxQuoteFor, ...options });
    const provider = new ConfigfsTsmQuoteProvider({ reportDirectory: reports, fileSystem: kernel.fileSystem, ...(expectedProvider ? { expectedProvider } : {}) });
    return { provider, operations: kernel.operations };
  };

  it("makes an entry, checks tdx_guest, writes inblob, reads outblob, removes the entry; the quote verifies", async function () {
    const { provider, operations } = providerOn({});
    const reportData = reportDataOf(5);
    const quote = await provider.getQuote(reportData);
    expect(operations).to.deep.equal([
      "mkdir <entry>",
      "read provider",
      "read generation",
      "write inblob",
      "read generation",
      "read outblob",
      "read generation",
      "rmdir <entry>",
    ]);
    expect(await readdir(reports)).to.deep.equal([]);
    expect(await world.verify(quote, "tdx")).to.deep.equal({ ok: true, reportData: `0x${Buffer.from(reportData).toString("hex")}` });
    expect(provider.describe()).to.deep.equal({ kind: "configfs-tsm", tee: "tdx", source: reports });
  });

  it("runs calls side by side, each in its own entry", async function () {
    const { provider } = providerOn({});
    const requests = [reportDataOf(1), reportDataOf(2), reportDataOf(3), reportDataOf(4)];
    const quotes = await Promise.all(requests.map((reportData) => provider.getQuote(reportData)));
    quotes.forEach((quote, index) => expect(quote.subarray(48 + 520, 48 + 584)).to.deep.equal(requests[index]));
    expect(await readdir(reports)).to.deep.equal([]);
  });

  it("is WRONG_PROVIDER when the entries come from another TSM provider, and removes the entry", async function () {
    const { provider } = providerOn({ provider: "sev_guest" });
    const error = await expectProviderError(provider.getQuote(reportDataOf(1)), "WRONG_PROVIDER");
    expect(error.details).to.deep.equal({ provider: "sev_guest", expected: "tdx_guest" });
    expect(await readdir(reports)).to.deep.equal([]);
    // The expected provider is configuration: a renamed driver is accepted when configured so.
    const { provider: renamed } = providerOn({ provider: "tdx_guest_v2" }, "tdx_guest_v2");
    expect((await renamed.getQuote(reportDataOf(1))).length).to.be.greaterThan(1000);
  });

  it("is CONCURRENT_WRITER when another process writes the entry before outblob is read, or before the generation is", async function () {
    for (const before of ["outblob", "generation"] as const) {
      const { provider } = providerOn({ intruder: { before, act: writeForeignInblob } });
      await expectProviderError(provider.getQuote(reportDataOf(1)), "CONCURRENT_WRITER");
      expect(await readdir(reports)).to.deep.equal([]);
    }
  });

  it("is DEVICE_MISSING without a configfs-tsm report directory", async function () {
    const provider = new ConfigfsTsmQuoteProvider({ reportDirectory: join(directory, "no-tsm") });
    const error = await expectProviderError(provider.getQuote(reportDataOf(1)), "DEVICE_MISSING");
    expect(error.details).to.deep.include({ operation: "create", errno: "ENOENT" });
  });

  it("is DEVICE_MISSING when the entry has no attributes (a plain directory, not configfs)", async function () {
    const provider = new ConfigfsTsmQuoteProvider({ reportDirectory: reports });
    const error = await expectProviderError(provider.getQuote(reportDataOf(1)), "DEVICE_MISSING");
    expect(error.details).to.deep.include({ operation: "read" });
    expect(await readdir(reports)).to.deep.equal([]);
  });

  it("is QUOTE_TOO_SHORT, WRONG_TEE or REPORT_DATA_MISMATCH for an outblob that is not our TDX quote", async function () {
    const cases: [string, (reportData: Uint8Array) => Uint8Array][] = [
      ["QUOTE_TOO_SHORT", (reportData) => world.tdxQuoteFor(reportData).subarray(0, 600)],
      ["WRONG_TEE", (reportData) => world.sgxQuoteFor(reportData)],
      ["REPORT_DATA_MISMATCH", () => world.tdxQuoteFor(reportDataOf(77))],
    ];
    for (const [code, quoteFor] of cases) {
      const { provider } = providerOn({ quoteFor });
      await expectProviderError(provider.getQuote(reportDataOf(1)), code);
      expect(await readdir(reports)).to.deep.equal([]);
    }
  });

  it("is INVALID_REPORT_DATA for anything but 64 bytes, before touching the file system", async function () {
    const { provider, operations } = providerOn({});
    await expectProviderError(provider.getQuote(new Uint8Array(32)), "INVALID_REPORT_DATA");
    expect(operations).to.deep.equal([]);
  });
});
