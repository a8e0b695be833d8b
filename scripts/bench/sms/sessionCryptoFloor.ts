// The cryptography every released session needs, timed one operation at a time on one core
// beside the raw quote verification: the quote's P-256 signature, recovering the workerpool
// owner's secp256k1 authorization signature, and the secp256k1 key agreement that seals the
// secrets to the enclave key. Their sum bounds releaseRatio from above for a single thread,
// before any database, chain or parsing work.
import { hexToBytes } from "@noble/hashes/utils.js";
import { Wallet, getBytes, keccak256 } from "ethers";
import { createEnclaveSealer } from "../../../src/crypto/enclave/index.ts";
import { libsecp256k1 } from "../../../src/crypto/secp256k1/libsecp256k1.ts";
import { recoverSigner } from "../../../src/crypto/signatures/recoverSigner.ts";
import { median, operationsPerSecondByRound } from "../statistics.ts";

export type SessionCryptoFloor = {
  /** Which libsecp256k1 build ran them: "native" (N-API binding) or "wasm". */
  secp256k1Backend: string;
  /** Authorization signer recoveries per second (libsecp256k1). */
  recoverPerSec: number;
  /** Seal key agreements per second (ephemeral key + ECDH on secp256k1, libsecp256k1). */
  sealAgreementsPerSec: number;
  /** verifyPerSec's share of one session's unavoidable crypto: the most releaseRatio can be on one thread. */
  singleThreadRatioCeiling: number;
};

export function measureSessionCryptoFloor(verifyPerSec: number, options: { rounds: number; operationsPerRound: number }): SessionCryptoFloor {
  const signer = Wallet.createRandom();
  const digest = getBytes(keccak256("0x5e55"));
  const signature = signer.signingKey.sign(digest).serialized;
  const enclaveKey = hexToBytes(Wallet.createRandom().signingKey.publicKey.slice(2));
  const recoverPerSec = rate(options, () => {
    if (recoverSigner(digest, signature) !== signer.address) throw new Error("the benchmark signature does not recover");
  });
  const sealAgreementsPerSec = rate(options, () => createEnclaveSealer(enclaveKey).dispose());
  const secondsPerSession = 1 / verifyPerSec + 1 / recoverPerSec + 1 / sealAgreementsPerSec;
  return { secp256k1Backend: libsecp256k1.name, recoverPerSec, sealAgreementsPerSec, singleThreadRatioCeiling: 1 / verifyPerSec / secondsPerSession };
}

function rate(options: { rounds: number; operationsPerRound: number }, operation: () => void): number {
  return median(operationsPerSecondByRound({ ...options, warmUpOperations: Math.min(options.operationsPerRound, 50) }, operation));
}
