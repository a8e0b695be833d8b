// Specification of the collateral service over real HTTP on loopback, serving Intel's recorded
// collateral: Intel's routes, bodies and issuer-chain headers, read back by dcap-qvl's own PCCS client.
import { getCollateral, QuoteVerifier } from "@phala/dcap-qvl";
import { expect } from "chai";
import express from "express";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { DcapCollateral } from "../../../../src/attestation/dcap/collateral.ts";
import { CollateralCatalog } from "../../../../src/attestation/dcap/pccs/CollateralCatalog.ts";
import { createCollateralRouter } from "../../../../src/attestation/dcap/pccs/collateralServer.ts";
import { DcapError } from "../../../../src/attestation/dcap/DcapError.ts";
import { PccsError } from "../../../../src/attestation/dcap/pccs/PccsError.ts";
import { X509Crl } from "../../../../src/attestation/dcap/x509.ts";
import { DEVNET_FMSPC } from "../../../../src/attestation/dcap/devnet/collateralDocuments.ts";
import { DevnetDcap } from "../../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import { ISSUED_AT, NOW, REPORT_DATA, sgxEnclave, trustDomain } from "./devnetFixture.ts";

const VECTORS = new URL("../../../fixtures/dcap-vectors/", import.meta.url);
const readVector = (name: string): Buffer => readFileSync(new URL(name, VECTORS));
const sgxCollateral = JSON.parse(readVector("sgx_quote_collateral.json").toString("utf8")) as DcapCollateral;
const tdxCollateral = JSON.parse(readVector("tdx_quote_collateral.json").toString("utf8")) as DcapCollateral;
/** Inside every validity window of the recorded collateral (mid-2025). */
const AS_OF_SECONDS = Date.parse("2025-06-25T00:00:00Z") / 1000;

describe("PCCS collateral server", function () {
  let server: Server;
  let baseUrl: string;
  /** The `ca` of each PCK CRL request, to tell which CRL a client asked for. */
  const requestedCas: string[] = [];

  before(async function () {
    const app = express();
    app.use("/sgx/certification/v4/pckcrl", (req, _res, next) => {
      requestedCas.push(String(req.query.ca));
      next();
    });
    app.use(createCollateralRouter({ collateral: CollateralCatalog.fromSets([sgxCollateral, tdxCollateral]) }));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  const get = (path: string): Promise<Response> => fetch(`${baseUrl}${path}`);
  const fmspcOf = (set: DcapCollateral): string => (JSON.parse(set.tcb_info) as { fmspc: string }).fmspc;

  async function expectError(path: string, status: number, code: string): Promise<void> {
    const response = await get(path);
    expect(response.status, path).to.equal(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal(code);
  }

  it("serves SGX TCB info as Intel does: the signed text verbatim, its signature, the chain URL-encoded", async function () {
    const response = await get(`/sgx/certification/v4/tcb?fmspc=${fmspcOf(sgxCollateral).toLowerCase()}`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^application\/json/);
    const body = await response.text();
    expect(body).to.equal(`{"tcbInfo":${sgxCollateral.tcb_info},"signature":"${sgxCollateral.tcb_info_signature}"}`);
    const chain = response.headers.get("TCB-Info-Issuer-Chain")!;
    expect(chain).to.not.include("\n");
    expect(decodeURIComponent(chain)).to.equal(sgxCollateral.tcb_info_issuer_chain);
  });

  it("serves TDX TCB info on the TDX route only", async function () {
    const fmspc = fmspcOf(tdxCollateral);
    const response = await get(`/tdx/certification/v4/tcb?fmspc=${fmspc}`);
    expect((JSON.parse(await response.text()) as { tcbInfo: { id: string } }).tcbInfo.id).to.equal("TDX");
    await expectError(`/sgx/certification/v4/tcb?fmspc=${fmspc}`, 404, "COLLATERAL_NOT_FOUND");
  });

  it("serves the QE identity for SGX and the TD_QE identity for TDX with their issuer chain", async function () {
    for (const [tee, set] of [["sgx", sgxCollateral], ["tdx", tdxCollateral]] as const) {
      const response = await get(`/${tee}/certification/v4/qe/identity?update=standard`);
      expect(await response.text()).to.equal(
        `{"enclaveIdentity":${set.qe_identity},"signature":"${set.qe_identity_signature}"}`,
      );
      expect(decodeURIComponent(response.headers.get("SGX-Enclave-Identity-Issuer-Chain")!)).to.equal(
        set.qe_identity_issuer_chain,
      );
    }
  });

  it("serves each PCK CRL by its issuing CA, PEM by default and DER on request", async function () {
    const platform = await get("/sgx/certification/v4/pckcrl?ca=platform&encoding=der");
    expect(platform.headers.get("content-type")).to.equal("application/pkix-crl");
    expect(Buffer.from(await platform.arrayBuffer()).toString("hex")).to.equal(tdxCollateral.pck_crl);
    expect(decodeURIComponent(platform.headers.get("SGX-PCK-CRL-Issuer-Chain")!)).to.equal(
      tdxCollateral.pck_crl_issuer_chain,
    );
    const processorPem = await (await get("/sgx/certification/v4/pckcrl?ca=PROCESSOR")).text();
    expect(processorPem).to.match(/^-----BEGIN X509 CRL-----\n/);
    const base64 = processorPem.replace(/-----[A-Z0-9 ]+-----|\n/g, "");
    expect(Buffer.from(base64, "base64").toString("hex")).to.equal(sgxCollateral.pck_crl);
  });

  it("serves the root CA CRL as hex text like a PCCS, and as DER on request", async function () {
    expect(await (await get("/sgx/certification/v4/rootcacrl")).text()).to.equal(sgxCollateral.root_ca_crl);
    const der = await get("/sgx/certification/v4/rootcacrl?encoding=der");
    expect(Buffer.from(await der.arrayBuffer()).toString("hex")).to.equal(sgxCollateral.root_ca_crl);
  });

  it("answers malformed requests with 400 and unknown platforms with 404", async function () {
    await expectError("/sgx/certification/v4/tcb", 400, "INVALID_REQUEST");
    await expectError("/sgx/certification/v4/tcb?fmspc=00A06711000", 400, "INVALID_REQUEST");
    await expectError("/sgx/certification/v4/tcb?fmspc=zzA067110000", 400, "INVALID_REQUEST");
    await expectError("/sgx/certification/v4/tcb?fmspc=00A067110000&fmspc=00A067110000", 400, "INVALID_REQUEST");
    await expectError("/sgx/certification/v4/tcb?fmspc=00A067110000&update=late", 400, "INVALID_REQUEST");
    await expectError(
      "/sgx/certification/v4/tcb?fmspc=00A067110000&update=early&tcbEvaluationDataNumber=17",
      400,
      "INVALID_REQUEST",
    );
    await expectError("/sgx/certification/v4/pckcrl", 400, "INVALID_REQUEST");
    await expectError("/sgx/certification/v4/pckcrl?ca=platform&encoding=base64", 400, "INVALID_REQUEST");
    await expectError("/sgx/certification/v4/tcb?fmspc=000000000000", 404, "COLLATERAL_NOT_FOUND");
    await expectError("/sgx/certification/v4/tcb?fmspc=00A067110000&tcbEvaluationDataNumber=3", 404, "COLLATERAL_NOT_FOUND");
  });

  it("selects a TCB evaluation by its number", async function () {
    const response = await get(`/sgx/certification/v4/tcb?fmspc=${fmspcOf(sgxCollateral)}&tcbEvaluationDataNumber=17`);
    expect(response.status).to.equal(200);
  });

  for (const [name, quoteFile, set, status] of [
    ["SGX", "sgx_quote", sgxCollateral, "ConfigurationAndSWHardeningNeeded"],
    ["TDX", "tdx_quote", tdxCollateral, "UpToDate"],
  ] as const) {
    it(`gives dcap-qvl's PCCS client the collateral it verifies the recorded ${name} quote with`, async function () {
      const quote = readVector(quoteFile);
      requestedCas.length = 0;
      const fetched = await getCollateral(`${baseUrl}/sgx/certification/v4/`, quote);
      expect(fetched.tcb_info).to.equal(set.tcb_info);
      expect(fetched.qe_identity).to.equal(set.qe_identity);
      // dcap-qvl 0.3.9's client asks for the processor CA's CRL whatever the PCK's issuer: check
      // that it received the CRL of the CA it asked for.
      expect(requestedCas).to.have.length(1);
      const askedFor = requestedCas[0] === "platform" ? tdxCollateral : sgxCollateral;
      expect(Buffer.from(fetched.pck_crl as number[]).toString("hex")).to.equal(askedFor.pck_crl);
      expect(Buffer.from(fetched.root_ca_crl as number[]).toString("hex")).to.equal(set.root_ca_crl);
      const report = QuoteVerifier.newProd().verify(quote, fetched, AS_OF_SECONDS);
      expect(report.status).to.equal(status);
    });
  }

  describe("catalog", function () {
    it("assembles one quote's collateral as the verifier's offline source", async function () {
      const fmspc = fmspcOf(tdxCollateral).toLowerCase();
      const collateral = await CollateralCatalog.fromSets([sgxCollateral, tdxCollateral]).getCollateral({ teeType: "TDX", fmspc, ca: "platform" });
      expect(collateral).to.deep.equal(tdxCollateral);
      try {
        await CollateralCatalog.fromSets([sgxCollateral]).getCollateral({ teeType: "TDX", fmspc, ca: "platform" });
        expect.fail("expected a rejection");
      } catch (error) {
        expect(error).to.be.instanceOf(DcapError).with.property("code", "COLLATERAL_UNAVAILABLE");
      }
    });

    it("refuses two different documents for the same lookup", function () {
      const altered = { ...sgxCollateral, tcb_info_signature: "00".repeat(64) };
      expect(() => CollateralCatalog.fromSets([sgxCollateral, altered]))
        .to.throw(PccsError)
        .with.property("code", "CONFLICTING_COLLATERAL");
    });

    it("accepts the same set twice", function () {
      expect(() => CollateralCatalog.fromSets([sgxCollateral, sgxCollateral])).to.not.throw();
    });

    it("refuses a set whose documents do not parse", function () {
      for (const broken of [
        { ...sgxCollateral, tcb_info: "{" },
        { ...sgxCollateral, tcb_info: sgxCollateral.tcb_info.replace('"id":"SGX"', '"id":"SEV"') },
        { ...sgxCollateral, qe_identity: sgxCollateral.qe_identity.replace('"id":"QE"', '"id":"QVE"') },
        { ...sgxCollateral, pck_crl: "3000" },
        { ...sgxCollateral, root_ca_crl: "xyz" },
      ]) {
        expect(() => CollateralCatalog.fromSets([broken]))
          .to.throw(PccsError)
          .with.property("code", "INVALID_COLLATERAL");
      }
    });
  });
});

describe("PCCS collateral server over the devnet's collateral", function () {
  let server: Server;
  let baseUrl: string;
  let devnet: DevnetDcap;
  let collateral: DcapCollateral[];

  before(async function () {
    devnet = await DevnetDcap.create({ issuedAt: ISSUED_AT });
    await devnet.provisionPlatform({ name: "sgx", tee: "sgx", tcbState: "SWHardeningNeeded" }, ISSUED_AT);
    await devnet.provisionPlatform({ name: "tdx", tee: "tdx" }, ISSUED_AT);
    collateral = await devnet.collateralSets({ now: NOW });
    const app = express();
    // The devnet swaps its collateral (new CRLs, new windows); the router asks for it on every request.
    app.use(createCollateralRouter({ collateral: () => CollateralCatalog.fromSets(collateral) }));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  it("gives dcap-qvl's client the devnet collateral its quotes verify with under the devnet root", async function () {
    const sgxQuote = devnet.quotingEnclave("sgx").sgxQuote(sgxEnclave(), REPORT_DATA);
    const tdxQuote = devnet.quotingEnclave("tdx").tdxQuote(trustDomain(), REPORT_DATA);
    const verifier = QuoteVerifier.newWithRootCa(Buffer.from(devnet.rootCertificateDer));
    const nowSeconds = NOW.getTime() / 1000;
    // dcap-qvl 0.3.9's getCollateral always asks for the processor CA's CRL, which the devnet (a
    // Platform CA only) does not have, and its getCollateralForFmspc is typed but not exported: the
    // collateral is fetched here route by route, as a PCCS client does.
    await expectError("/sgx/certification/v4/pckcrl?ca=processor", 404, "COLLATERAL_NOT_FOUND");
    const sgxReport = verifier.verify(sgxQuote, await fetchCollateral("sgx", DEVNET_FMSPC.sgx), nowSeconds);
    expect([sgxReport.status, sgxReport.advisory_ids]).to.deep.equal(["SWHardeningNeeded", ["DEVNET-SA-00002"]]);
    const tdxReport = verifier.verify(tdxQuote, await fetchCollateral("tdx", DEVNET_FMSPC.tdx), nowSeconds);
    expect(tdxReport.status).to.equal("UpToDate");
  });

  it("serves the collateral the devnet holds now, such as a PCK CRL listing a newly revoked platform", async function () {
    const crlBefore = await (await fetch(`${baseUrl}/sgx/certification/v4/pckcrl?ca=platform&encoding=der`)).arrayBuffer();
    await devnet.revokePck("sgx");
    collateral = await devnet.collateralSets({ now: NOW });
    const crlAfter = Buffer.from(await (await fetch(`${baseUrl}/sgx/certification/v4/pckcrl?ca=platform&encoding=der`)).arrayBuffer());
    expect(crlAfter.equals(Buffer.from(crlBefore))).to.equal(false);
    expect(crlAfter.toString("hex")).to.equal(collateral[0]!.pck_crl);
    const serial = devnet.platform("sgx").pckSerialNumber;
    expect(new X509Crl(crlAfter).findRevoked(serial)).to.not.equal(null);
  });

  async function expectError(path: string, status: number, code: string): Promise<void> {
    const response = await fetch(`${baseUrl}${path}`);
    expect(response.status, path).to.equal(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal(code);
  }

  /** A quote's collateral from the PCS v4 routes: bodies split at Intel's keys, chains from the headers. */
  async function fetchCollateral(tee: "sgx" | "tdx", fmspc: string): Promise<DcapCollateral> {
    const get = async (path: string) => {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).to.equal(200);
      return response;
    };
    const signedText = (body: string, key: string) => {
      const prefix = `{"${key}":`;
      const signatureAt = body.lastIndexOf(',"signature":"');
      expect(body.startsWith(prefix)).to.equal(true);
      return { text: body.slice(prefix.length, signatureAt), signature: (JSON.parse(body) as { signature: string }).signature };
    };
    const tcbResponse = await get(`/${tee}/certification/v4/tcb?fmspc=${fmspc}`);
    const tcb = signedText(await tcbResponse.text(), "tcbInfo");
    const qeResponse = await get(`/${tee}/certification/v4/qe/identity`);
    const qe = signedText(await qeResponse.text(), "enclaveIdentity");
    const crlResponse = await get("/sgx/certification/v4/pckcrl?ca=platform&encoding=der");
    return {
      pck_crl_issuer_chain: decodeURIComponent(crlResponse.headers.get("SGX-PCK-CRL-Issuer-Chain")!),
      pck_crl: Buffer.from(await crlResponse.arrayBuffer()).toString("hex"),
      root_ca_crl: await (await get("/sgx/certification/v4/rootcacrl")).text(),
      tcb_info_issuer_chain: decodeURIComponent(tcbResponse.headers.get("TCB-Info-Issuer-Chain")!),
      tcb_info: tcb.text,
      tcb_info_signature: tcb.signature,
      qe_identity_issuer_chain: decodeURIComponent(qeResponse.headers.get("SGX-Enclave-Identity-Issuer-Chain")!),
      qe_identity: qe.text,
      qe_identity_signature: qe.signature,
    };
  }
});
