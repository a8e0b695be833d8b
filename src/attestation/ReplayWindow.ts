// Non-interactive freshness: the enclave dates its own nonce (freshnessNonce.ts); the verifier
// admits nonces no older than maxAgeSeconds, each once, remembering them only while they could pass.
import { bytesToHex } from "@noble/hashes/utils.js";
import { AttestationError } from "./AttestationError.ts";
import type { FreshnessCheck, FreshnessVerdict } from "./FreshnessCheck.ts";
import { nonceIssuedAt } from "./freshnessNonce.ts";
import { unixSeconds } from "./unixSeconds.ts";

export interface ReplayWindowOptions {
  maxAgeSeconds: number;
  /** How far in the future a nonce's date may be, for clocks that disagree. */
  maxClockSkewSeconds: number;
}

/**
 * Memory is per process: verifiers behind a load balancer either share one window or use
 * ChallengeRegistry, whose challenges are only answered where they were issued.
 */
export class ReplayWindow implements FreshnessCheck {
  readonly #maxAgeSeconds: number;
  readonly #maxClockSkewSeconds: number;
  /** Admitted nonces by hex, with the last second at which they would still pass the age check. */
  readonly #seen = new Map<string, number>();
  #lastSweepSeconds = Number.NaN;

  constructor(options: ReplayWindowOptions) {
    this.#maxAgeSeconds = nonNegativeInteger(options.maxAgeSeconds, "maxAgeSeconds");
    this.#maxClockSkewSeconds = nonNegativeInteger(options.maxClockSkewSeconds, "maxClockSkewSeconds");
  }

  admit(nonce: Uint8Array, now: Date): FreshnessVerdict {
    const nowSeconds = unixSeconds(now);
    const issuedAt = nonceIssuedAt(nonce);
    if (nowSeconds - issuedAt > this.#maxAgeSeconds) {
      return { fresh: false, reason: "STALE_QUOTE", detail: `nonce is older than ${this.#maxAgeSeconds}s` };
    }
    if (issuedAt - nowSeconds > this.#maxClockSkewSeconds) {
      return { fresh: false, reason: "STALE_QUOTE", detail: "nonce is dated in the future" };
    }
    this.#forgetExpired(nowSeconds);
    const key = bytesToHex(nonce);
    if (this.#seen.has(key)) {
      return { fresh: false, reason: "REPLAYED_QUOTE", detail: "nonce was already admitted" };
    }
    this.#seen.set(key, issuedAt + this.#maxAgeSeconds);
    return { fresh: true };
  }

  /** Drops nonces the age check now refuses anyway; one sweep per second suffices. */
  #forgetExpired(nowSeconds: number): void {
    if (nowSeconds === this.#lastSweepSeconds) return;
    this.#lastSweepSeconds = nowSeconds;
    for (const [key, lastValidSecond] of this.#seen) {
      if (lastValidSecond < nowSeconds) this.#seen.delete(key);
    }
  }
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AttestationError("INVALID_ATTESTATION_INPUT", `${name} must be a non-negative integer`);
  }
  return value;
}
