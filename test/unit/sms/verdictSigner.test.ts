// The SMS's verdict key: derived from the master key unless configured, the same for every replica
// sharing the master key, different for another; its signatures recover in the protocol's domain only.
import { expect } from "chai";
import { Wallet, hexlify, randomBytes } from "ethers";
import { FAILURE_CAUSE, continuumDomain, recoverEnclaveAttestedSigner, recoverTaskFailureSigner } from "../../../src/wire/eip712/index.ts";
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
});
