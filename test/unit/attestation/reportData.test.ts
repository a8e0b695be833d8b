// Continuum's report data: a commitment to the enclave key's address, then a freshness nonce.
import { expect } from "chai";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { Wallet, getBytes } from "ethers";
import {
  AttestationError,
  bindsEnclaveAddress,
  buildReportData,
  commitEnclaveAddress,
  reportDataNonce,
} from "../../../src/attestation/index.ts";

const createEnclaveAddress = () => Wallet.createRandom().address;

describe("report data", () => {
  const enclaveAddress = createEnclaveAddress();
  const nonce = new Uint8Array(32).fill(0xab);

  it("is the keccak256 commitment to the domain tag and address followed by the nonce", () => {
    const tag = utf8ToBytes("continuum/attestation/enclave-address/v1");
    const expected = concatBytes(keccak_256(concatBytes(tag, getBytes(enclaveAddress))), nonce);
    expect(buildReportData(enclaveAddress, nonce)).to.deep.equal(expected);
  });

  it("commits to the address whatever its letter case", () => {
    expect(commitEnclaveAddress(enclaveAddress.toLowerCase())).to.deep.equal(commitEnclaveAddress(enclaveAddress));
  });

  it("returns the nonce from its second half", () => {
    expect(reportDataNonce(buildReportData(enclaveAddress, nonce))).to.deep.equal(nonce);
  });

  it("tells whether it commits to an address", () => {
    const reportData = buildReportData(enclaveAddress, nonce);
    expect(bindsEnclaveAddress(reportData, enclaveAddress)).to.equal(true);
    expect(bindsEnclaveAddress(reportData, createEnclaveAddress())).to.equal(false);
  });

  it("refuses an invalid address or a nonce that is not 32 bytes with AttestationError", () => {
    expect(() => buildReportData("0xnot-an-address", nonce)).to.throw(AttestationError);
    expect(() => buildReportData(enclaveAddress, new Uint8Array(31))).to.throw(AttestationError);
  });
});
