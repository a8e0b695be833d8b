// The SMS's EnclaveAttested and TaskFailure messages: signed and recovered in the protocol's
// domain, bound to every field (the contract tests prove the type strings match DealTypes.sol).
import { expect } from "chai";
import { Wallet, hexlify, randomBytes } from "ethers";
import {
  FAILURE_CAUSE,
  continuumDomain,
  recoverEnclaveAttestedSigner,
  recoverTaskFailureSigner,
  signEnclaveAttested,
  signTaskFailure,
} from "../../../../src/wire/eip712/index.ts";

const sms = new Wallet(`0x${"5a".repeat(32)}`);
const domain = continuumDomain(31337n, Wallet.createRandom().address);
const taskId = hexlify(randomBytes(32));

describe("SMS verdict messages", () => {
  it("EnclaveAttested recovers to the SMS, and to someone else for another task, enclave or domain", async () => {
    const enclave = Wallet.createRandom().address;
    const signature = await signEnclaveAttested(sms, domain, { taskId, enclave });
    expect(recoverEnclaveAttestedSigner(domain, { taskId, enclave }, signature)).to.equal(sms.address);
    expect(recoverEnclaveAttestedSigner(domain, { taskId: hexlify(randomBytes(32)), enclave }, signature)).to.not.equal(sms.address);
    expect(recoverEnclaveAttestedSigner(domain, { taskId, enclave: Wallet.createRandom().address }, signature)).to.not.equal(sms.address);
    expect(recoverEnclaveAttestedSigner({ ...domain, chainId: 1n }, { taskId, enclave }, signature)).to.not.equal(sms.address);
  });

  it("TaskFailure recovers to the SMS only for the cause and attempt it signed", async () => {
    const signature = await signTaskFailure(sms, domain, { taskId, cause: FAILURE_CAUSE.datasetOwner, attempt: 2 });
    expect(recoverTaskFailureSigner(domain, { taskId, cause: FAILURE_CAUSE.datasetOwner, attempt: 2 }, signature)).to.equal(sms.address);
    for (const cause of [FAILURE_CAUSE.requester, FAILURE_CAUSE.appOwner]) {
      expect(recoverTaskFailureSigner(domain, { taskId, cause, attempt: 2 }, signature)).to.not.equal(sms.address);
    }
    expect(recoverTaskFailureSigner(domain, { taskId, cause: FAILURE_CAUSE.datasetOwner, attempt: 1 }, signature)).to.not.equal(sms.address);
  });

  it("names the causes as the contract numbers them", () => {
    expect(FAILURE_CAUSE).to.deep.equal({ requester: 1, datasetOwner: 2, appOwner: 3 });
  });
});
