// The runtime's side of the SMS exchange: a freshness nonce for the quote, then one session whose
// failures are told apart: a refusal (SMS_REFUSED, with the SMS's reason) from no answer at all.
import { createTimestampedNonce, NONCE_LENGTH } from "../src/attestation/index.ts";
import { withDeadline, StepInterrupted, type StepBounds } from "./deadline.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { ReleasedSecrets, SecretsClient, SecretsSessionRequest } from "./SecretsClient.ts";

export async function freshnessNonce(client: SecretsClient, now: Date, bounds: StepBounds): Promise<Uint8Array> {
  if (client.freshnessNonce === undefined) return createTimestampedNonce(now);
  const challenge = client.freshnessNonce;
  const nonce = await smsStep((signal) => challenge.call(client, signal), bounds);
  if (nonce.length !== NONCE_LENGTH) {
    throw new EnclaveError("SMS_UNAVAILABLE", `The SMS's challenge is not ${NONCE_LENGTH} bytes.`, { length: nonce.length });
  }
  return nonce;
}

export function openSecretsSession(
  client: SecretsClient,
  request: Omit<SecretsSessionRequest, "signal">,
  bounds: StepBounds,
): Promise<ReleasedSecrets> {
  return smsStep((signal) => client.requestSession({ ...request, signal }), bounds);
}

async function smsStep<T>(step: (signal: AbortSignal) => Promise<T>, bounds: StepBounds): Promise<T> {
  try {
    return await withDeadline(step, bounds);
  } catch (error) {
    if (error instanceof EnclaveError && (error.code === "SMS_REFUSED" || error.code === "SMS_UNAVAILABLE")) throw error;
    if (error instanceof StepInterrupted && error.end === "cancelled") {
      throw new EnclaveError("CANCELLED", "The task was cancelled while waiting for the SMS.");
    }
    const timedOut = error instanceof StepInterrupted;
    throw new EnclaveError(
      "SMS_UNAVAILABLE",
      timedOut ? "The SMS did not answer in time." : "The SMS could not be reached.",
      { timeoutMs: bounds.timeoutMs },
      { cause: error },
    );
  }
}
