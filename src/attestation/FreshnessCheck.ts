// The contract between the quote verifier and a freshness mechanism: given the nonce from a
// quote's report data, admit it once or refuse it as stale or replayed.

export type FreshnessVerdict =
  | { fresh: true }
  | { fresh: false; reason: "STALE_QUOTE" | "REPLAYED_QUOTE"; detail: string };

export interface FreshnessCheck {
  /**
   * Decides whether `nonce` is fresh at `now`. Admitting a nonce records it, so the same nonce is
   * refused afterwards; the verifier calls this last, once every other check has passed, so a
   * forged quote cannot use up an honest enclave's nonce.
   */
  admit(nonce: Uint8Array, now: Date): FreshnessVerdict;
}
