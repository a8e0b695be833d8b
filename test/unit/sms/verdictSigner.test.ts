// The SMS's verdict key: derived from the master key unless configured, the same for every replica
// sharing the master key, different for another; its signatures recover in the protocol's domain only.
import { expect } from "chai";
import { Wallet, hexlify, randomBytes } from "ethers";
import fc from "fast-check";
import {
  ENCLAVE_ATTESTED_TYPES,
  FAILURE_CAUSE,
  TASK_FAILURE_TYPES,
  continuumDomain,
  recoverEnclaveAttestedSigner,
  recoverTaskFailureSigner,
} from "../../../src/wire/eip712/index.ts";
import { VerdictSigner } from "../../../sms/verdicts/VerdictSigner.ts";
import { MasterKey } from "../../../sms/secrets/MasterKey.ts";
import { verdictSigner } from "../../../sms/startSms.ts";
import { SmsError } from "../../../sms/SmsError.ts";

const domain = continuumDomain(31337n, Wallet.createRandom().address);
const master = () => hexlify(randomBytes(32)).slice(2);

describe("the SMS's verdict signer", () => {
  it("derives one signer from one master key, and another from another", () => {
    const key = master();
    const a = verdictSigner(undefined, MasterKey.fromConfig(key), domain);
    const b = verdictSigner(undefined, MasterKey.fromConfig(key), domain);
    const c = verdictSigner(undefined, MasterKey.fromConfig(master()), domain);
    expect(a.address).to.equal(b.address);
    expect(a.address).to.not.equal(c.address);
  });

  it("signs with sms.signerKey when configured", () => {
    const wallet = Wallet.createRandom();
    const signer = verdictSigner(wallet.privateKey.slice(2), MasterKey.fromConfig(master()), domain);
    expect(signer.address).to.equal(wallet.address);
    expect(JSON.stringify({ signer })).to.not.include(wallet.privateKey.slice(2));
  });

  it("refuses a signer key that is not a secp256k1 scalar (SIGNER_KEY_INVALID)", () => {
    for (const key of ["00".repeat(32), "ff".repeat(32)]) {
      expect(() => verdictSigner(key, MasterKey.fromConfig(master()), domain))
        .to.throw(SmsError)
        .with.property("code", "SIGNER_KEY_INVALID");
    }
  });

  it("signs EnclaveAttested and TaskFailure so that they recover in the protocol's domain only", () => {
    const signer = verdictSigner(undefined, MasterKey.fromConfig(master()), domain);
    const taskId = hexlify(randomBytes(32));
    const enclave = Wallet.createRandom().address;
    const attested = signer.enclaveAttested(taskId, enclave);
    expect(recoverEnclaveAttestedSigner(domain, { taskId, enclave }, attested)).to.equal(signer.address);
    expect(recoverEnclaveAttestedSigner({ ...domain, chainId: 1n }, { taskId, enclave }, attested)).to.not.equal(signer.address);
    const failure = signer.taskFailure(taskId, FAILURE_CAUSE.datasetOwner, 4);
    expect(recoverTaskFailureSigner(domain, { taskId, cause: FAILURE_CAUSE.datasetOwner, attempt: 4 }, failure)).to.equal(signer.address);
    expect(recoverTaskFailureSigner(domain, { taskId, cause: FAILURE_CAUSE.datasetOwner, attempt: 3 }, failure)).to.not.equal(signer.address);
  });

  it("makes byte for byte the signatures ethers makes for the same key, domain and message", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 0xffffffff }), async (taskBytes, cause, attempt) => {
        const wallet = Wallet.createRandom();
        const signer = new VerdictSigner(wallet.privateKey, domain);
        const taskId = hexlify(taskBytes);
        const enclave = Wallet.createRandom().address;
        expect(signer.address).to.equal(wallet.address);
        expect(signer.enclaveAttested(taskId, enclave)).to.equal(await wallet.signTypedData(domain, ENCLAVE_ATTESTED_TYPES, { taskId, enclave }));
        const failure = { taskId, cause: cause as 1 | 2 | 3, attempt };
        expect(signer.taskFailure(taskId, failure.cause, attempt)).to.equal(await wallet.signTypedData(domain, TASK_FAILURE_TYPES, failure));
      }),
      { numRuns: 50 },
    );
  });
});
