// Interactive freshness: the verifier issues a random challenge nonce, the enclave puts it in
// its report data, and the verifier admits each issued challenge once, before it expires.
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { AttestationError } from "./AttestationError.ts";
import type { FreshnessCheck, FreshnessVerdict } from "./FreshnessCheck.ts";
import { NONCE_LENGTH } from "./reportData.ts";
import { unixSeconds } from "./unixSeconds.ts";

export class ChallengeRegistry implements FreshnessCheck {
  readonly #ttlSeconds: number;
  /** Issued, unanswered challenges by hex, with their expiry in unix seconds. */
  readonly #outstanding = new Map<string, number>();
  /** Answered challenges, kept until expiry so a replay is told apart from an unknown nonce. */
  readonly #answered = new Map<string, number>();
  #lastSweepSeconds = Number.NaN;

  constructor(options: { ttlSeconds: number }) {
    if (!Number.isSafeInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new AttestationError("INVALID_ATTESTATION_INPUT", "ttlSeconds must be a positive integer");
    }
    this.#ttlSeconds = options.ttlSeconds;
  }

  /** A new 32-byte challenge, valid for ttlSeconds from `now`. */
  issue(now: Date): Uint8Array {
    const nowSeconds = unixSeconds(now);
    this.#forgetExpired(nowSeconds);
    const challenge = randomBytes(NONCE_LENGTH);
    this.#outstanding.set(bytesToHex(challenge), nowSeconds + this.#ttlSeconds);
    return challenge;
  }

  admit(nonce: Uint8Array, now: Date): FreshnessVerdict {
    const nowSeconds = unixSeconds(now);
    this.#forgetExpired(nowSeconds);
    const key = bytesToHex(nonce);
    if (this.#answered.has(key)) {
      return { fresh: false, reason: "REPLAYED_QUOTE", detail: "challenge was already answered" };
    }
    const expiresAt = this.#outstanding.get(key);
    if (expiresAt === undefined) {
      return { fresh: false, reason: "STALE_QUOTE", detail: "nonce is not an outstanding challenge" };
    }
    this.#outstanding.delete(key);
    this.#answered.set(key, expiresAt);
    return { fresh: true };
  }

  /** Drops expired entries; nothing new expires within one second, so one sweep per second suffices. */
  #forgetExpired(nowSeconds: number): void {
    if (nowSeconds === this.#lastSweepSeconds) return;
    this.#lastSweepSeconds = nowSeconds;
    for (const entries of [this.#outstanding, this.#answered]) {
      for (const [key, expiresAt] of entries) {
        if (expiresAt < nowSeconds) entries.delete(key);
      }
    }
  }
}
