// The session checks run side by side (the signers recovered while the quote is judged, the chain
// read once the quote is genuine) but decide in their order: the worker's signature first, then the
// quote, its freshness, and only then what the chain says. Nothing is read from the chain for a
// quote that is not genuine.
import { expect } from "chai";
import { Wallet, getBytes } from "ethers";
import { DevnetDcap } from "../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import { CollateralCatalog } from "../../../src/attestation/dcap/pccs/CollateralCatalog.ts";
import { CachingCollateralSource, DcapVerifier } from "../../../src/attestation/dcap/index.ts";
import type { FreshnessCheck } from "../../../src/attestation/FreshnessCheck.ts";
import { DEFAULT_ATTESTATION_POLICY } from "../../../src/attestation/policy/index.ts";
import { buildReportData } from "../../../src/attestation/reportData.ts";
import type { TaskJudgment } from "../../../src/chain/dealReader.ts";
import { checkSession, type SessionCheckContext, type SessionRequest } from "../../../sms/sessions/checkSession.ts";
import type { AuthorizationCheck, SessionRequestCheck } from "../../../sms/sessions/signerRecovery.ts";

const DEAL_ID = `0x${"ab".repeat(32)}`;

type Scene = { context: SessionCheckContext; request: SessionRequest; chainReads: () => number };

/** A session request from `worker` with a quote of the devnet platform (or `quote`), checked against a chain that only counts its reads. */
async function scene(options: { workerSigned: boolean; quote?: Uint8Array; fresh: boolean }): Promise<Scene> {
  const now = new Date();
  const devnet = await DevnetDcap.create({ issuedAt: new Date(now.getTime() - 60_000) });
  const platform = await devnet.provisionPlatform({ name: "order", tee: "sgx" }, now);
  const enclave = Wallet.createRandom();
  const worker = Wallet.createRandom().address;
  const quote =
    options.quote ??
    platform.sgxQuote(
      { mrEnclave: new Uint8Array(32).fill(7), mrSigner: new Uint8Array(32).fill(9), isvProdId: 1, isvSvn: 3, debug: false },
      buildReportData(enclave.address, new Uint8Array(32).fill(1)),
    );
  let reads = 0;
  const judgment: TaskJudgment = { block: 1, chainTime: 0n, deal: undefined, finalized: false, appMeasurement: undefined };
  const freshness: FreshnessCheck = {
    admit: () => (options.fresh ? { fresh: true } : { fresh: false, reason: "REPLAYED_QUOTE", detail: "the challenge was used" }),
  } as FreshnessCheck;
  const context: SessionCheckContext = {
    chain: {
      judgeTask: async () => {
        reads++;
        return judgment;
      },
      readDeal: async () => undefined,
    },
    attestation: {
      verifier: new DcapVerifier({ trustedRoot: devnet.rootCertificatePem }),
      collateral: new CachingCollateralSource({ source: CollateralCatalog.fromSets(await devnet.collateralSets({ now })) }),
      policy: DEFAULT_ATTESTATION_POLICY,
      freshness,
    },
    sessionRequests: { signer: async () => (options.workerSigned ? worker : Wallet.createRandom().address) } as unknown as SessionRequestCheck,
    authorization: { signer: async () => Wallet.createRandom().address } as unknown as AuthorizationCheck,
    clock: () => now,
  };
  const request: SessionRequest = {
    quote,
    enclavePublicKey: getBytes(enclave.signingKey.publicKey),
    enclave: enclave.address,
    worker,
    dealId: DEAL_ID,
    taskIndex: 0n,
    attempt: 1,
    authorization: "0x",
    workerSignature: "0x",
  };
  return { context, request, chainReads: () => reads };
}

describe("session checks decide in order", function () {
  this.timeout(60_000);

  it("refuses a request its worker did not sign before anything its quote says, and reads no chain for a bad quote", async () => {
    const { context, request, chainReads } = await scene({ workerSigned: false, quote: new Uint8Array(64), fresh: true });
    const check = await checkSession(context, request);
    expect(check).to.include({ ok: false, reason: "BAD_WORKER_SIGNATURE" });
    expect(check.facts.worker).to.equal(null);
    await new Promise((resolve) => setImmediate(resolve));
    expect(chainReads()).to.equal(0);
  });

  it("refuses a quote that is not genuine without reading the chain", async () => {
    const { context, request, chainReads } = await scene({ workerSigned: true, quote: new Uint8Array(64), fresh: true });
    const check = await checkSession(context, request);
    expect(check).to.include({ ok: false, reason: "MALFORMED_QUOTE" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(chainReads()).to.equal(0);
  });

  it("refuses a replayed challenge as such, though the chain was already read, and names no deal", async () => {
    const { context, request, chainReads } = await scene({ workerSigned: true, fresh: false });
    const check = await checkSession(context, request);
    expect(check).to.include({ ok: false, reason: "REPLAYED_QUOTE" });
    expect(check.facts.deal).to.equal(undefined);
    expect(chainReads()).to.equal(1);
  });

  it("reaches the chain's verdict only once the worker, the quote and its freshness have passed", async () => {
    const { context, request } = await scene({ workerSigned: true, fresh: true });
    const check = await checkSession(context, request);
    expect(check).to.include({ ok: false, reason: "DEAL_NOT_FOUND" });
  });
});
