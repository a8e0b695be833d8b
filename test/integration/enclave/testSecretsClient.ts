// A stand-in for the SMS at its network boundary, for the enclave runtime's own tests only (the
// real SMS is exercised end to end elsewhere). It is not a rubber stamp: it verifies the DCAP quote
// under the devnet root with its collateral and a replay window, the measurement, the enclave key
// binding and the workerpool owner's authorization before it releases the dataset key, and signs
// the SMS's verdicts with the fixture's registered SMS key.
import { computeAddress, getAddress, type TypedDataDomain } from "ethers";
import { ReplayWindow } from "../../../src/attestation/index.ts";
import type { CollateralSource, DcapVerifier } from "../../../src/attestation/dcap/index.ts";
import { bindsEnclaveAddress, reportDataNonce } from "../../../src/attestation/reportData.ts";
import { hexToBytes } from "../../../src/crypto/hex.ts";
import { FAILURE_CAUSE, recoverAuthorizationSigner } from "../../../src/wire/eip712/index.ts";
import { VerdictSigner } from "../../../sms/verdicts/VerdictSigner.ts";
import { SMS_KEY } from "../../helpers/protocolFixture.ts";
import {
  EnclaveError,
  type ReleasedSecrets,
  type SecretsClient,
  type SecretsSessionRequest,
} from "../../../enclave/index.ts";

export type TestSmsBehaviour = "verify-and-release" | "release-without-key" | "never-answer";

export interface TestSmsOptions {
  verifier: DcapVerifier;
  collateral: CollateralSource;
  domain: TypedDataDomain;
  measurement: string;
  workerpoolOwner: string;
  datasetKey: Uint8Array | undefined;
  requesterSecrets?: Record<string, Uint8Array>;
  behaviour?: TestSmsBehaviour;
}

export class TestSecretsClient implements SecretsClient {
  readonly #options: TestSmsOptions;
  readonly #freshness = new ReplayWindow({ maxAgeSeconds: 60, maxClockSkewSeconds: 5 });
  sessions = 0;
  released = 0;

  constructor(options: TestSmsOptions) {
    this.#options = options;
  }

  async requestSession(request: SecretsSessionRequest): Promise<ReleasedSecrets> {
    this.sessions += 1;
    const options = this.#options;
    if (options.behaviour === "never-answer") return new Promise<never>(() => undefined);
    const now = new Date();
    const verdict = await options.verifier.verifyWithSource(request.quote, options.collateral, now);
    if (!verdict.ok) throw refused(verdict.check);
    const reportData = hexToBytes(verdict.reportData);
    if (!bindsEnclaveAddress(reportData, request.enclaveAddress)) throw refused("REPORT_DATA_MISMATCH");
    const fresh = this.#freshness.admit(reportDataNonce(reportData), now);
    if (!fresh.fresh) throw refused(fresh.reason);
    if (verdict.teeType !== "SGX") throw refused("TEE_MISMATCH");
    if (computeAddress(request.enclavePublicKey) !== getAddress(request.enclaveAddress)) throw refused("ENCLAVE_KEY_MISMATCH");
    const authorization = { worker: request.worker, taskId: request.taskId, enclave: request.enclaveAddress };
    if (recoverAuthorizationSigner(options.domain, authorization, request.authorization) !== getAddress(options.workerpoolOwner)) {
      throw refused("BAD_AUTHORIZATION");
    }
    // As the SMS does: an identity a genuine, authorized enclave cannot match is the app owner's fault, signed as such.
    const verdicts = new VerdictSigner(SMS_KEY.privateKey, options.domain);
    if (verdict.measurement.mrEnclave !== options.measurement.toLowerCase()) {
      const failure = {
        cause: FAILURE_CAUSE.appOwner,
        attempt: request.attempt,
        signature: verdicts.taskFailure(request.taskId, FAILURE_CAUSE.appOwner, request.attempt),
        signer: verdicts.address,
      };
      throw new EnclaveError("SMS_REFUSED", "The SMS refused the session: MEASUREMENT_MISMATCH.", { reason: "MEASUREMENT_MISMATCH", failure });
    }
    this.released += 1;
    return {
      datasetKey: options.behaviour === "release-without-key" ? undefined : options.datasetKey?.slice(),
      requesterSecrets: options.requesterSecrets === undefined ? undefined : copyValues(options.requesterSecrets),
      attestation: {
        signature: verdicts.enclaveAttested(request.taskId, getAddress(request.enclaveAddress)),
        signer: verdicts.address,
        teeType: "SGX",
        tcbStatus: verdict.status,
        advisoryIds: [...verdict.advisoryIds],
        measurement: options.measurement.toLowerCase(),
        judgmentBlock: 0,
        judgedAt: now.toISOString(),
      },
    };
  }
}

function copyValues(named: Record<string, Uint8Array>): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(named).map(([name, value]) => [name, value.slice()]));
}

function refused(reason: string): EnclaveError {
  return new EnclaveError("SMS_REFUSED", `The SMS refused the session: ${reason}.`, { reason });
}
