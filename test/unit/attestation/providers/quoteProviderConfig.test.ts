// Specification of the worker's quote provider configuration and of the simulated provider:
// configuration validated with the offending fields named, each kind built from it, and the
// simulated provider's quotes verifying under the devnet root.
import { expect } from "chai";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { DevnetDcap } from "../../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import {
  ConfigfsTsmQuoteProvider,
  createQuoteProvider,
  GramineSgxQuoteProvider,
  parseQuoteProviderConfig,
  QuoteProviderError,
  SimulatedQuoteProvider,
} from "../../../../src/attestation/providers/index.ts";
import { DcapVerifier } from "../../../../src/attestation/dcap/DcapVerifier.ts";
import { ISSUED_AT, NOW, sgxEnclave, trustDomain } from "../dcap/devnetFixture.ts";
import { configfsInterface } from "./fakeAttestationInterfaces.ts";
import { expectProviderError, makeTempDir, removeTempDir, reportDataOf } from "./providerTestKit.ts";

const hex = (length: number, byte: string) => byte.repeat(length);
const SGX_ENCLAVE = { mrEnclave: hex(32, "e1"), mrSigner: hex(32, "51"), isvProdId: 7, isvSvn: 3 };
const TD = { mrTd: hex(48, "7d"), rtmr: [hex(48, "01"), hex(48, "02"), hex(48, "03"), hex(48, "00")] };

describe("quote provider configuration", function () {
  let directory: string;
  let devnetDirectory: string;
  let devnet: DevnetDcap;

  before(async function () {
    directory = await makeTempDir();
    devnetDirectory = join(directory, "devnet-dcap");
    devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT, directory: devnetDirectory });
    await devnet.provisionPlatform({ name: "sgx-1", tee: "sgx" }, ISSUED_AT);
    await devnet.provisionPlatform({ name: "tdx-1", tee: "tdx", tcbState: "SWHardeningNeeded" }, ISSUED_AT);
  });

  after(async function () {
    await removeTempDir(directory);
  });

  it("fills the defaults of the Gramine and configfs-tsm providers", function () {
    expect(parseQuoteProviderConfig({ kind: "gramine-sgx" })).to.deep.equal({ kind: "gramine-sgx", attestationDirectory: "/dev/attestation" });
    expect(parseQuoteProviderConfig({ kind: "configfs-tsm" })).to.deep.equal({
      kind: "configfs-tsm",
      reportDirectory: "/sys/kernel/config/tsm/report",
      expectedProvider: "tdx_guest",
    });
  });

  it("refuses configurations naming the fields at fault", function () {
    const cases: [unknown, string][] = [
      [{ kind: "sev-snp" }, "kind"],
      [{ kind: "gramine-sgx", attestationDirectory: "" }, "attestationDirectory"],
      [{ kind: "configfs-tsm", extra: true }, "extra"],
      [{ kind: "simulated", devnetDirectory, platform: "sgx-1", enclave: SGX_ENCLAVE, td: TD }, "enclave (SGX) or td (TDX), not both"],
      [{ kind: "simulated", devnetDirectory, platform: "sgx-1", enclave: { ...SGX_ENCLAVE, mrEnclave: "zz" } }, "enclave.mrEnclave"],
      [{ kind: "simulated", devnetDirectory, platform: "sgx-1", enclave: { ...SGX_ENCLAVE, isvSvn: 70_000 } }, "enclave.isvSvn"],
      [{ kind: "simulated", devnetDirectory, platform: "tdx-1", td: { ...TD, rtmr: TD.rtmr.slice(1) } }, "td.rtmr"],
    ];
    for (const [config, field] of cases) {
      try {
        parseQuoteProviderConfig(config);
        expect.fail(`accepted ${JSON.stringify(config)}`);
      } catch (error) {
        expect(error).to.be.instanceOf(QuoteProviderError).with.property("code", "INVALID_CONFIGURATION");
        expect((error as Error).message).to.include(field);
      }
    }
  });

  it("takes a simulated platform without a workload (the enclave runtime quotes each app), but builds no fixed provider from it", async function () {
    const config = parseQuoteProviderConfig({ kind: "simulated", devnetDirectory, platform: "sgx-1" });
    const refusal = await createQuoteProvider(config).then(
      () => expect.fail("built a provider without a workload"),
      (error: unknown) => error,
    );
    expect(refusal).to.be.instanceOf(QuoteProviderError).with.property("code", "INVALID_CONFIGURATION");
    expect((refusal as Error).message).to.include("quotes one workload");
  });

  it("builds each kind of provider from its configuration", async function () {
    expect(await createQuoteProvider(parseQuoteProviderConfig({ kind: "gramine-sgx" }))).to.be.instanceOf(GramineSgxQuoteProvider);
    const configfs = await createQuoteProvider(parseQuoteProviderConfig({ kind: "configfs-tsm", reportDirectory: "/elsewhere" }));
    expect(configfs).to.be.instanceOf(ConfigfsTsmQuoteProvider);
    expect(configfs.describe()).to.deep.equal({ kind: "configfs-tsm", tee: "tdx", source: "/elsewhere" });
    const simulated = await createQuoteProvider(parseQuoteProviderConfig({ kind: "simulated", devnetDirectory, platform: "sgx-1", enclave: SGX_ENCLAVE }));
    expect(simulated).to.be.instanceOf(SimulatedQuoteProvider);
    expect(simulated.describe()).to.deep.equal({ kind: "simulated", tee: "sgx", source: "devnet platform sgx-1" });
  });

  it("passes the file system to the device providers, so configuration reaches the same reads and writes", async function () {
    const reports = join(directory, "tsm-report");
    await mkdir(reports, { recursive: true });
    const tdx = devnet.quotingEnclave("tdx-1");
    const kernel = configfsInterface(reports, { quoteFor: (reportData) => tdx.tdxQuote(trustDomain(), reportData) });
    const provider = await createQuoteProvider(parseQuoteProviderConfig({ kind: "configfs-tsm", reportDirectory: reports }), {
      fileSystem: kernel.fileSystem,
    });
    await provider.getQuote(reportDataOf(3));
    expect(kernel.operations).to.include("write inblob");
  });

  for (const [tee, config] of [
    ["SGX v3", { enclave: SGX_ENCLAVE, platform: "sgx-1" }],
    ["SGX v4", { enclave: SGX_ENCLAVE, platform: "sgx-1", quoteVersion: 4 }],
    ["TDX", { td: TD, platform: "tdx-1" }],
  ] as const) {
    it(`simulated ${tee}: quotes from the devnet platform stored on disk, carrying the report data, verifying under the devnet root`, async function () {
      const provider = await createQuoteProvider(parseQuoteProviderConfig({ kind: "simulated", devnetDirectory, ...config }));
      const reportData = reportDataOf(42);
      const quote = await provider.getQuote(reportData);
      const verifier = new DcapVerifier({ trustedRoot: devnet.rootCertificateDer });
      const verdict = verifier.verify(quote, await devnet.collateral(provider.tee, { now: NOW }), NOW);
      expect(verdict.ok && verdict.reportData).to.equal(`0x${Buffer.from(reportData).toString("hex")}`);
      expect(verdict.ok && verdict.quoteVersion).to.equal("quoteVersion" in config ? 4 : tee === "TDX" ? 4 : 3);
      await expectProviderError(provider.getQuote(new Uint8Array(10)), "INVALID_REPORT_DATA");
    });
  }

  it("refuses a simulated workload of the other TEE, or a platform the devnet does not have", async function () {
    await expectProviderError(
      createQuoteProvider(parseQuoteProviderConfig({ kind: "simulated", devnetDirectory, platform: "tdx-1", enclave: SGX_ENCLAVE })),
      "INVALID_CONFIGURATION",
    );
    await expectProviderError(
      createQuoteProvider(parseQuoteProviderConfig({ kind: "simulated", devnetDirectory, platform: "sgx-9", enclave: SGX_ENCLAVE })),
      "INVALID_CONFIGURATION",
    );
    expect(() => new SimulatedQuoteProvider({ quotingEnclave: devnet.quotingEnclave("sgx-1"), platform: "sgx-1", workload: { tee: "sgx", enclave: sgxEnclave() } })).to.not.throw();
  });
});

