// The cryptography every released session needs, timed on one core one operation at a time: the
// DCAP verification of a quote from a platform already seen (warm: its chain and collateral
// verdicts cached, the quote's own P-256 signature checked), the two secp256k1 recoveries (the
// workerpool owner's authorization and the worker's session request), the secp256k1 key
// agreement that seals the secrets to the enclave key, and the signature of the SMS's
// EnclaveAttested verdict. Their sum is the per-session crypto floor:
// one thread can serve no more sessions a second than 1 / floor, before any database or chain work.
import { hexToBytes } from "@noble/hashes/utils.js";
import { Wallet, getBytes, keccak256 } from "ethers";
import { DevnetDcap } from "../../../src/attestation/dcap/devnet/DevnetDcap.ts";
import { CollateralCatalog } from "../../../src/attestation/dcap/pccs/CollateralCatalog.ts";
import { DcapVerifier, type DcapCollateral } from "../../../src/attestation/dcap/index.ts";
import { buildReportData } from "../../../src/attestation/reportData.ts";
import { createEnclaveSealer } from "../../../src/crypto/enclave/index.ts";
import { libsecp256k1 } from "../../../src/crypto/secp256k1/libsecp256k1.ts";
import { recoverSigner } from "../../../src/crypto/signatures/recoverSigner.ts";
import { operationsPerSecondByRound } from "../statistics.ts";

/** One round's rates of each operation, on one core. */
export type CryptoFloorRound = {
  /** Warm DCAP verifications per second (same platform, chain and collateral verdicts cached). */
  dcapVerifyPerSec: number;
  /** secp256k1 signer recoveries per second (libsecp256k1); a session needs two. */
  recoverPerSec: number;
  /** Seal key agreements per second (ephemeral key + ECDH on secp256k1); a session needs one. */
  sealAgreementsPerSec: number;
  /** secp256k1 signatures per second (libsecp256k1, RFC 6979); a session signs one verdict. */
  signPerSec: number;
  /** Sessions per second one thread could serve doing nothing but this crypto. */
  floorSessionsPerSec: number;
};

export type CryptoFloorMeter = {
  /** Which libsecp256k1 build runs the secp256k1 steps: "native" (N-API binding) or "wasm". */
  secp256k1Backend: string;
  round(operations: number): CryptoFloorRound;
};

export async function cryptoFloorMeter(): Promise<CryptoFloorMeter> {
  const now = new Date();
  const devnet = await DevnetDcap.create({ issuedAt: new Date(now.getTime() - 60_000) });
  const platform = await devnet.provisionPlatform({ name: "bench", tee: "sgx" }, now);
  const catalog = CollateralCatalog.fromSets(await devnet.collateralSets({ now }));
  const quote = platform.sgxQuote(
    { mrEnclave: new Uint8Array(32).fill(7), mrSigner: new Uint8Array(32).fill(9), isvProdId: 1, isvSvn: 3, debug: false },
    buildReportData(Wallet.createRandom().address, new Uint8Array(32).fill(1)),
  );
  const verifier = new DcapVerifier({ trustedRoot: devnet.rootCertificatePem });
  const request = verifier.collateralRequestFor(quote);
  if (!request.ok) throw new Error(`the benchmark quote is refused: ${request.refusal.detail}`);
  const collateral: DcapCollateral = await catalog.getCollateral(request.request);
  const verify = () => {
    if (!verifier.verify(quote, collateral, now).ok) throw new Error("the benchmark quote does not verify");
  };
  const signer = Wallet.createRandom();
  const digest = getBytes(keccak256("0x5e55"));
  const signature = signer.signingKey.sign(digest).serialized;
  const recover = () => {
    if (recoverSigner(digest, signature) !== signer.address) throw new Error("the benchmark signature does not recover");
  };
  const enclaveKey = hexToBytes(Wallet.createRandom().signingKey.publicKey.slice(2));
  const seal = () => createEnclaveSealer(enclaveKey).dispose();
  const smsKey = getBytes(Wallet.createRandom().privateKey);
  const sign = () => libsecp256k1.sign(digest, smsKey);
  // The warm-up fills the verifier's caches and lets the JIT and OpenSSL settle before anything is timed.
  for (const operation of [verify, recover, seal, sign]) operationsPerSecondByRound({ rounds: 0, operationsPerRound: 0, warmUpOperations: 200 }, operation);
  const rate = (operations: number, operation: () => void) =>
    operationsPerSecondByRound({ rounds: 1, operationsPerRound: operations, warmUpOperations: 0 }, operation)[0]!;
  return {
    secp256k1Backend: libsecp256k1.name,
    round(operations) {
      const dcapVerifyPerSec = rate(operations, verify);
      const recoverPerSec = rate(operations, recover);
      const sealAgreementsPerSec = rate(operations, seal);
      const signPerSec = rate(operations, sign);
      const secondsPerSession = 1 / dcapVerifyPerSec + 2 / recoverPerSec + 1 / sealAgreementsPerSec + 1 / signPerSec;
      return { dcapVerifyPerSec, recoverPerSec, sealAgreementsPerSec, signPerSec, floorSessionsPerSec: 1 / secondsPerSession };
    },
  };
}
