// Obtains the two signatures the SMS asks for besides the quote: the scheduler's authorization for
// this worker, task and enclave key (checked to be the deal's workerpool owner's before anything is
// shown to the SMS or pushed on-chain), and the worker's own signature of its session request.
import type { TypedDataDomain } from "ethers";
import { getAddress } from "ethers";
import { recoverAuthorizationSigner, type Authorization, type SessionRequestMessage } from "../src/wire/eip712/index.ts";
import { withDeadline, StepInterrupted, type StepBounds } from "./deadline.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { AuthorizeEnclave, SignSessionRequest } from "./EnclaveTask.ts";

export async function authorizeEnclave(
  authorize: AuthorizeEnclave,
  domain: TypedDataDomain,
  authorization: Authorization,
  workerpoolOwner: string,
  bounds: StepBounds,
): Promise<string> {
  let signature: string;
  try {
    signature = await withDeadline((signal) => authorize(authorization, signal), bounds);
  } catch (error) {
    if (error instanceof StepInterrupted && error.end === "cancelled") {
      throw new EnclaveError("CANCELLED", "The task was cancelled while waiting for its authorization.");
    }
    throw new EnclaveError("AUTHORIZATION_FAILED", "The scheduler did not authorize the enclave.", undefined, {
      cause: error,
    });
  }
  let signer: string | undefined;
  try {
    signer = recoverAuthorizationSigner(domain, authorization, signature);
  } catch {
    signer = undefined;
  }
  if (signer === undefined || signer !== getAddress(workerpoolOwner)) {
    throw new EnclaveError("AUTHORIZATION_FAILED", "The authorization is not signed by the deal's workerpool owner.", {
      signer,
      workerpoolOwner,
    });
  }
  return signature;
}

/** The worker's signature of the session request; a worker that cannot sign fails the task as AUTHORIZATION_FAILED. */
export async function signSessionRequest(sign: SignSessionRequest, message: SessionRequestMessage, bounds: StepBounds): Promise<string> {
  try {
    return await withDeadline((signal) => sign(message, signal), bounds);
  } catch (error) {
    if (error instanceof StepInterrupted && error.end === "cancelled") {
      throw new EnclaveError("CANCELLED", "The task was cancelled while the worker signed its session request.");
    }
    throw new EnclaveError("AUTHORIZATION_FAILED", "The worker did not sign the session request.", undefined, { cause: error });
  }
}
