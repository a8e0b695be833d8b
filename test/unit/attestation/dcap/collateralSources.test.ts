// Specification of the collateral sources: the offline bundle (file or directory in the vectors'
// format), the PCS / PCCS v4 client over real HTTP on loopback (the devnet's collateral server
// serving Intel's recorded collateral), and the caching layer that refreshes before nextUpdate.
import { expect } from "chai";
import express from "express";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BundleCollateralSource,
  CachingCollateralSource,
  DcapError,
  DcapVerifier,
  intelSgxRoot,
  MemoryCollateralStore,
  PcsCollateralClient,
  signedDocumentText,
  type CollateralRequest,
  type CollateralSource,
  type DcapCollateral,
} from "../../../../src/attestation/dcap/index.ts";
import { CollateralCatalog } from "../../../../src/attestation/dcap/pccs/CollateralCatalog.ts";
import { createCollateralRouter } from "../../../../src/attestation/dcap/pccs/collateralServer.ts";
import { loadVector, vectorsDirectory, VECTOR_TIME } from "./dcapVectors.ts";

const sgx = loadVector("sgx");
const tdx = loadVector("tdx");
const SGX_REQUEST: CollateralRequest = { teeType: "SGX", fmspc: "00a067110000", ca: "processor" };
const TDX_REQUEST: CollateralRequest = { teeType: "TDX", fmspc: "b0c06f000000", ca: "platform" };

async function expectRejected(promise: Promise<unknown>, code: string): Promise<DcapError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(DcapError);
    expect((error as DcapError).code, (error as Error).message).to.equal(code);
    return error as DcapError;
  }
  return expect.fail(`expected a DcapError ${code}`);
}

async function listen(app: express.Express): Promise<{ server: Server; baseUrl: string }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

function expectSameCollateral(actual: DcapCollateral, expected: DcapCollateral): void {
  for (const field of Object.keys(expected) as (keyof DcapCollateral)[]) {
    expect(actual[field].toLowerCase(), field).to.equal(expected[field].toLowerCase());
  }
}

describe("Collateral sources", function () {
  const verifier = new DcapVerifier({ trustedRoot: intelSgxRoot() });

  describe("BundleCollateralSource", function () {
    it("serves the vectors' collateral from their directory, by TEE, FMSPC and PCK CA", async function () {
      const bundle = await BundleCollateralSource.fromPath(vectorsDirectory());
      expect(bundle.platforms.sort()).to.deep.equal(["SGX/00a067110000/processor", "TDX/b0c06f000000/platform"]);
      expectSameCollateral(await bundle.getCollateral(SGX_REQUEST), sgx.collateral);
      expectSameCollateral(await bundle.getCollateral(TDX_REQUEST), tdx.collateral);
      await expectRejected(bundle.getCollateral({ ...SGX_REQUEST, ca: "platform" }), "COLLATERAL_UNAVAILABLE");
      await expectRejected(bundle.getCollateral({ ...TDX_REQUEST, teeType: "SGX" }), "COLLATERAL_UNAVAILABLE");
    });

    it("serves one file, and verifies quotes through the verifier's source path", async function () {
      const bundle = await BundleCollateralSource.fromPath(join(vectorsDirectory(), "tdx_quote_collateral.json"));
      const verdict = await verifier.verifyWithSource(tdx.quote, bundle, VECTOR_TIME);
      expect(verdict).to.deep.include({ ok: true, status: "UpToDate" });
      expect(await verifier.verifyWithSource(sgx.quote, bundle, VECTOR_TIME)).to.deep.include({ ok: false, check: "COLLATERAL_UNAVAILABLE" });
    });

    it("refuses files that are not collateral", async function () {
      const directory = await mkdtemp(join(tmpdir(), "continuum-dcap-bundle-"));
      try {
        await writeFile(join(directory, "broken.json"), JSON.stringify({ ...tdx.collateralJson, tcb_info: "{" }));
        await expectRejected(BundleCollateralSource.fromPath(directory), "MALFORMED_COLLATERAL");
        await writeFile(join(directory, "broken.json"), "not json");
        await expectRejected(BundleCollateralSource.fromPath(directory), "MALFORMED_COLLATERAL");
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  });

  describe("PcsCollateralClient against the PCCS collateral server", function () {
    let server: Server;
    let client: PcsCollateralClient;
    let baseUrl: string;

    let requests = 0;

    before(async function () {
      const app = express();
      app.use((_req, _res, next) => {
        requests++;
        next();
      });
      app.use(createCollateralRouter({ collateral: CollateralCatalog.fromSets([sgx.collateral, tdx.collateral]) }));
      ({ server, baseUrl } = await listen(app));
      client = new PcsCollateralClient({ baseUrl });
    });

    after(async function () {
      await close(server);
    });

    it("fetches SGX and TDX collateral identical to the recorded sets", async function () {
      expectSameCollateral(await client.getCollateral(SGX_REQUEST), sgx.collateral);
      expectSameCollateral(await client.getCollateral(TDX_REQUEST), tdx.collateral);
    });

    it("gives collateral the verifier accepts with the README's verdicts", async function () {
      expect(await verifier.verifyWithSource(sgx.quote, client, VECTOR_TIME)).to.deep.include({ ok: true, status: "ConfigurationAndSWHardeningNeeded" });
      expect(await verifier.verifyWithSource(tdx.quote, client, VECTOR_TIME)).to.deep.include({ ok: true, status: "UpToDate" });
    });

    it("asks the service once per platform through the caching layer (four requests: TCB info, QE identity, two CRLs)", async function () {
      const cached = new CachingCollateralSource({ source: client, now: () => VECTOR_TIME });
      const before = requests;
      for (let i = 0; i < 5; i++) {
        expect(await verifier.verifyWithSource(tdx.quote, cached, VECTOR_TIME)).to.deep.include({ ok: true, status: "UpToDate" });
      }
      expect(requests - before).to.equal(4);
    });

    it("reports an unknown platform as unavailable, and an unreachable service too", async function () {
      await expectRejected(client.getCollateral({ ...SGX_REQUEST, fmspc: "00a067110001" }), "COLLATERAL_UNAVAILABLE");
      const unreachable = new PcsCollateralClient({ baseUrl: "http://127.0.0.1:9", timeoutMs: 2000 });
      await expectRejected(unreachable.getCollateral(SGX_REQUEST), "COLLATERAL_UNAVAILABLE");
      expect(await verifier.verifyWithSource(sgx.quote, unreachable, VECTOR_TIME)).to.deep.include({ ok: false, check: "COLLATERAL_UNAVAILABLE" });
    });

    it("refuses collateral for another platform than the one asked for", async function () {
      const wrong = new PcsCollateralClient({ baseUrl, fetch: (input, init) => fetch(String(input).replace("ca=processor", "ca=platform"), init) });
      await expectRejected(wrong.getCollateral(SGX_REQUEST), "MALFORMED_COLLATERAL");
    });
  });

  describe("PcsCollateralClient against malformed answers", function () {
    let server: Server;
    let baseUrl: string;
    let tcbBody = "";
    let chainHeader: string | null;

    before(async function () {
      const app = express();
      app.get("/sgx/certification/v4/tcb", (_req, res) => {
        if (chainHeader !== null) res.set("TCB-Info-Issuer-Chain", chainHeader);
        res.type("application/json").send(tcbBody);
      });
      app.use(createCollateralRouter({ collateral: CollateralCatalog.fromSets([sgx.collateral]) }));
      ({ server, baseUrl } = await listen(app));
    });

    after(async function () {
      await close(server);
    });

    /** Serves `body` with `header` as the issuer chain (none for null) and fetches through the client. */
    const answer = (body: string, header: string | null = encodeURIComponent(sgx.collateral.tcb_info_issuer_chain)): Promise<unknown> => {
      tcbBody = body;
      chainHeader = header;
      return new PcsCollateralClient({ baseUrl }).getCollateral(SGX_REQUEST);
    };
    const good = `{"tcbInfo":${sgx.collateral.tcb_info},"signature":"${sgx.collateral.tcb_info_signature}"}`;

    it("reads Intel's body and keeps the signed text byte for byte", async function () {
      expect(((await answer(good)) as DcapCollateral).tcb_info).to.equal(sgx.collateral.tcb_info);
      const spaced = `{ "signature" : "${sgx.collateral.tcb_info_signature}" ,\n "tcbInfo" : ${sgx.collateral.tcb_info} }`;
      expect(((await answer(spaced)) as DcapCollateral).tcb_info).to.equal(sgx.collateral.tcb_info);
    });

    it("refuses a body that is not Intel's shape or gives a member twice, and a missing chain header", async function () {
      await expectRejected(answer("{"), "MALFORMED_COLLATERAL");
      await expectRejected(answer(`{"tcbInfo":${sgx.collateral.tcb_info}}`), "MALFORMED_COLLATERAL");
      await expectRejected(answer(`{"tcbInfo":${sgx.collateral.tcb_info},"signature":"00"}`), "MALFORMED_COLLATERAL");
      await expectRejected(answer(`${good.slice(0, -1)},"tcbInfo":{"id":"SGX"}}`), "MALFORMED_COLLATERAL");
      await expectRejected(answer(good, null), "MALFORMED_COLLATERAL");
      await expectRejected(answer(good, "%E0%A4%A"), "MALFORMED_COLLATERAL");
    });

    it("splits signed bodies whose strings hold brackets and escaped quotes", function () {
      const text = '{"a":"} ] \\" {","b":[1,{"c":"]"}]}';
      expect(signedDocumentText(`{"enclaveIdentity":${text},"signature":"${"ab".repeat(64)}"}`, "enclaveIdentity")).to.deep.equal({
        text,
        signatureHex: "ab".repeat(64),
      });
    });
  });

  describe("CachingCollateralSource", function () {
    /** A source that counts fetches and can be made to fail. */
    class CountingSource implements CollateralSource {
      fetches = 0;
      failing = false;
      readonly #inner: CollateralSource = CollateralCatalog.fromSets([sgx.collateral, tdx.collateral]);

      async getCollateral(request: CollateralRequest): Promise<DcapCollateral> {
        this.fetches++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (this.failing) throw new DcapError("COLLATERAL_UNAVAILABLE", "down");
        return this.#inner.getCollateral(request);
      }
    }

    /** The earliest nextUpdate of the SGX vector's collateral (its QE identity). */
    const SGX_NEXT_UPDATE = Date.parse("2025-07-19T10:01:18Z");
    const HOUR = 3_600_000;

    function setup(): { source: CountingSource; cache: CachingCollateralSource; clock: { now: number } } {
      const source = new CountingSource();
      const clock = { now: VECTOR_TIME.getTime() };
      const cache = new CachingCollateralSource({ source, store: new MemoryCollateralStore(), refreshBeforeMs: 24 * HOUR, now: () => new Date(clock.now) });
      return { source, cache, clock };
    }

    it("fetches once while the collateral is far from its nextUpdate, sharing concurrent fetches", async function () {
      const { source, cache } = setup();
      const results = await Promise.all([cache.getCollateral(SGX_REQUEST), cache.getCollateral(SGX_REQUEST), cache.getCollateral(SGX_REQUEST)]);
      expect(source.fetches).to.equal(1);
      expectSameCollateral(results[2], sgx.collateral);
      await cache.getCollateral(SGX_REQUEST);
      await cache.getCollateral(TDX_REQUEST);
      expect(source.fetches).to.equal(2);
    });

    it("fetches again inside the refresh window before nextUpdate, and keeps serving if that fails while current", async function () {
      const { source, cache, clock } = setup();
      await cache.getCollateral(SGX_REQUEST);
      clock.now = SGX_NEXT_UPDATE - 23 * HOUR;
      await cache.getCollateral(SGX_REQUEST);
      expect(source.fetches).to.equal(2);
      source.failing = true;
      expectSameCollateral(await cache.getCollateral(SGX_REQUEST), sgx.collateral);
      expect(source.fetches).to.equal(3);
      clock.now = SGX_NEXT_UPDATE + 1;
      await expectRejected(cache.getCollateral(SGX_REQUEST), "COLLATERAL_UNAVAILABLE");
    });

    it("refreshes the platforms that are due, on demand", async function () {
      const { source, cache, clock } = setup();
      await cache.getCollateral(SGX_REQUEST);
      await cache.getCollateral(TDX_REQUEST);
      expect(await cache.refreshDue()).to.deep.equal({ refreshed: [], failed: [] });
      clock.now = SGX_NEXT_UPDATE - HOUR;
      const report = await cache.refreshDue();
      expect(report.refreshed.sort()).to.deep.equal(["SGX/00a067110000/processor", "TDX/b0c06f000000/platform"]);
      expect(source.fetches).to.equal(4);
      source.failing = true;
      const failed = await cache.refreshDue();
      expect(failed.failed.map((entry) => entry.error.code)).to.deep.equal(["COLLATERAL_UNAVAILABLE", "COLLATERAL_UNAVAILABLE"]);
    });

    it("refuses collateral the source gives for another platform", async function () {
      const liar: CollateralSource = { getCollateral: async () => tdx.collateral };
      const cache = new CachingCollateralSource({ source: liar, now: () => VECTOR_TIME });
      await expectRejected(cache.getCollateral(SGX_REQUEST), "MALFORMED_COLLATERAL");
    });
  });
});
