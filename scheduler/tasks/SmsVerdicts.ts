// Checks what workers relay from the SMS before the scheduler relies on it: the EnclaveAttested
// signature a TEE result must carry on-chain, and the TaskFailure verdict a failure settles on.
// Both must recover to the contract's registered SMS signer, read from the chain and kept for a
// minute; with no signer registered the contract asks for no attestation and accepts no failure.
import { getAddress, ZeroAddress, type Provider, type TypedDataDomain } from "ethers";
import { smsSignerOf } from "../../src/chain/smsSigner.ts";
import { recoverEnclaveAttestedSigner, recoverTaskFailureSigner } from "../../src/wire/eip712/index.ts";
import type { FailureVerdict } from "../../src/wire/smsApi/sessionVerdicts.ts";

const SIGNER_TTL_MS = 60_000;

export interface SmsVerdictChecks {
  /** Whether the contract will want an SMS attestation with TEE results. */
  requiresAttestation(): Promise<boolean>;
  /** Whether `signature` is the SMS's EnclaveAttested(taskId, enclave). */
  attests(taskId: string, enclave: string, signature: string): Promise<boolean>;
  /** Whether `verdict` is the SMS's TaskFailure for this task and attempt. */
  blames(taskId: string, attempt: number, verdict: FailureVerdict): Promise<boolean>;
}

/** Verdict checks against the SMS signer `smsSigner` names (undefined while none is registered). */
export class SmsVerdicts implements SmsVerdictChecks {
  readonly #domain: TypedDataDomain;
  readonly #smsSigner: () => Promise<string | undefined>;

  constructor(options: { domain: TypedDataDomain; smsSigner: () => Promise<string | undefined> }) {
    this.#domain = options.domain;
    this.#smsSigner = options.smsSigner;
  }

  async requiresAttestation(): Promise<boolean> {
    return (await this.#smsSigner()) !== undefined;
  }

  async attests(taskId: string, enclave: string, signature: string): Promise<boolean> {
    const signer = await this.#smsSigner();
    if (!signer) return false;
    return recovered(() => recoverEnclaveAttestedSigner(this.#domain, { taskId, enclave: getAddress(enclave) }, signature)) === getAddress(signer);
  }

  async blames(taskId: string, attempt: number, verdict: FailureVerdict): Promise<boolean> {
    const signer = await this.#smsSigner();
    if (!signer || verdict.attempt !== attempt) return false;
    const message = { taskId, cause: verdict.cause, attempt: verdict.attempt };
    return recovered(() => recoverTaskFailureSigner(this.#domain, message, verdict.signature)) === getAddress(signer);
  }
}

/** The contract's smsSigner as the chain reports it, read again after a minute. */
export function chainSmsSigner(provider: Provider, continuum: string): () => Promise<string | undefined> {
  let cached: { address: string | undefined; readAt: number } | undefined;
  return async () => {
    if (!cached || Date.now() - cached.readAt > SIGNER_TTL_MS) {
      const address = await smsSignerOf(provider, { continuum });
      cached = { address: address === ZeroAddress ? undefined : getAddress(address), readAt: Date.now() };
    }
    return cached.address;
  };
}

function recovered(recover: () => string): string | undefined {
  try {
    return getAddress(recover());
  } catch {
    return undefined;
  }
}
