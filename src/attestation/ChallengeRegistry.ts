// Interactive freshness: the verifier issues a random challenge nonce, the enclave puts it in
// its report data, and the verifier admits each issued challenge once, before it expires.
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { AttestationError } from "./AttestationError.ts";
import type { FreshnessCheck, FreshnessVerdict } from "./FreshnessCheck.ts";
import { NONCE_LENGTH } from "./reportData.ts";
import { unixSeconds } from "./unixSeconds.ts";

export type ChallengeLimits = {
  ttlSeconds: number;
  /** Unanswered challenges held at once, for everyone together (default 100,000). */
  maxOutstanding?: number;
  /** Unanswered challenges held at once for one client (default 256). */
  maxOutstandingPerClient?: number;
};

const DEFAULT_MAX_OUTSTANDING = 100_000;
const DEFAULT_MAX_OUTSTANDING_PER_CLIENT = 256;

export class ChallengeRegistry implements FreshnessCheck {
  readonly #ttlSeconds: number;
  readonly #maxOutstanding: number;
  readonly #maxPerClient: number;
  /** Issued, unanswered challenges by hex, with their expiry in unix seconds and who asked. */
  readonly #outstanding = new Map<string, { expiresAt: number; client: string }>();
  /** Unanswered challenges per client: an unauthenticated caller cannot make the SMS remember without bound. */
  readonly #perClient = new Map<string, number>();
  /** Answered challenges, kept until expiry so a replay is told apart from an unknown nonce. */
  readonly #answered = new Map<string, number>();
  #lastSweepSeconds = Number.NaN;

  constructor(options: ChallengeLimits) {
    const limits = [options.ttlSeconds, options.maxOutstanding ?? 1, options.maxOutstandingPerClient ?? 1];
    if (limits.some((limit) => !Number.isSafeInteger(limit) || limit <= 0)) {
      throw new AttestationError("INVALID_ATTESTATION_INPUT", "ttlSeconds and the outstanding limits must be positive integers");
    }
    this.#ttlSeconds = options.ttlSeconds;
    this.#maxOutstanding = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING;
    this.#maxPerClient = options.maxOutstandingPerClient ?? DEFAULT_MAX_OUTSTANDING_PER_CLIENT;
  }

  /**
   * A new 32-byte challenge for `client` (e.g. its IP address), valid for ttlSeconds from `now`.
   * Throws AttestationError("TOO_MANY_CHALLENGES") while the client, or everyone together, holds
   * as many unanswered challenges as the limits allow; details.retryAfterSeconds says when one expires.
   */
  issue(now: Date, client = "local"): Uint8Array {
    const nowSeconds = unixSeconds(now);
    this.#forgetExpired(nowSeconds);
    const held = this.#perClient.get(client) ?? 0;
    if (held >= this.#maxPerClient || this.#outstanding.size >= this.#maxOutstanding) {
      throw new AttestationError("TOO_MANY_CHALLENGES", "too many unanswered challenges; answer or let some expire first", {
        retryAfterSeconds: this.#ttlSeconds,
      });
    }
    const challenge = randomBytes(NONCE_LENGTH);
    this.#outstanding.set(bytesToHex(challenge), { expiresAt: nowSeconds + this.#ttlSeconds, client });
    this.#perClient.set(client, held + 1);
    return challenge;
  }

  admit(nonce: Uint8Array, now: Date): FreshnessVerdict {
    const nowSeconds = unixSeconds(now);
    this.#forgetExpired(nowSeconds);
    const key = bytesToHex(nonce);
    if (this.#answered.has(key)) {
      return { fresh: false, reason: "REPLAYED_QUOTE", detail: "challenge was already answered" };
    }
    const issued = this.#outstanding.get(key);
    if (issued === undefined) {
      return { fresh: false, reason: "STALE_QUOTE", detail: "nonce is not an outstanding challenge" };
    }
    this.#settle(key, issued.client);
    this.#answered.set(key, issued.expiresAt);
    return { fresh: true };
  }

  #settle(key: string, client: string): void {
    this.#outstanding.delete(key);
    const held = (this.#perClient.get(client) ?? 1) - 1;
    if (held > 0) this.#perClient.set(client, held);
    else this.#perClient.delete(client);
  }

  /** Drops expired entries; nothing new expires within one second, so one sweep per second suffices. */
  #forgetExpired(nowSeconds: number): void {
    if (nowSeconds === this.#lastSweepSeconds) return;
    this.#lastSweepSeconds = nowSeconds;
    for (const [key, { expiresAt, client }] of this.#outstanding) {
      if (expiresAt < nowSeconds) this.#settle(key, client);
    }
    for (const [key, expiresAt] of this.#answered) {
      if (expiresAt < nowSeconds) this.#answered.delete(key);
    }
  }
}
