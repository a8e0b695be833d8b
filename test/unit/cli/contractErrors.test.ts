// Revert data from the protocol's contracts decodes to a stable code and a readable message.
import { expect } from "chai";
import { Interface } from "ethers";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import { decodeContractError, errorCodeOf } from "../../../src/cli/contractErrors.ts";

const continuum = new Interface(loadArtifact("Continuum").abi as never);
const token = new Interface(loadArtifact("DevnetToken").abi as never);
const registry = new Interface(loadArtifact("WorkerpoolRegistry").abi as never);
const ACCOUNT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const amount = (value: bigint) => `${value / 10n ** 18n} CTD`;

describe("decodeContractError", () => {
  it("names the escrow shortfall in token units", () => {
    const data = continuum.encodeErrorResult("InsufficientBalance", [ACCOUNT, 10n ** 18n, 5n * 10n ** 18n]);
    const error = decodeContractError(data, amount)!;
    expect(error.code).to.equal("INSUFFICIENT_BALANCE");
    expect(error.message).to.equal(`The escrow balance of ${ACCOUNT} is 1 CTD, less than the 5 CTD needed`);
    expect(error.details).to.deep.equal({
      contractError: "InsufficientBalance",
      args: { account: ACCOUNT, balance: "1000000000000000000", needed: "5000000000000000000" },
    });
  });

  it("decodes errors the token raises inside an escrow call", () => {
    const data = token.encodeErrorResult("ERC20InsufficientAllowance", [ACCOUNT, 0n, 2n * 10n ** 18n]);
    const error = decodeContractError(data, amount)!;
    expect(error.code).to.equal("ERC20_INSUFFICIENT_ALLOWANCE");
    expect(error.message).to.include("less than the 2 CTD needed");
  });

  it("shows any other custom error with its arguments", () => {
    const data = registry.encodeErrorResult("NotWorkerpoolOwner", [3n, ACCOUNT]);
    expect(decodeContractError(data, amount)!.message).to.equal(`${ACCOUNT} does not own workerpool 3`);
    const unknownCategory = continuum.encodeErrorResult("UnknownCategory", [9n]);
    const error = decodeContractError(unknownCategory, amount)!;
    expect(error.code).to.equal("UNKNOWN_CATEGORY");
    expect(error.message).to.equal("The contract rejected the call: UnknownCategory(category=9)");
  });

  it("decodes Solidity's Error(string) and Panic(uint256)", () => {
    const builtin = new Interface(["error Error(string)", "error Panic(uint256)"]);
    expect(decodeContractError(builtin.encodeErrorResult("Error", ["paused"]), amount)).to.deep.include({
      code: "REVERTED",
      message: "The contract reverted: paused",
    });
    expect(decodeContractError(builtin.encodeErrorResult("Panic", [0x11n]), amount)!.code).to.equal("PANIC");
  });

  it("returns undefined for data matching no known error", () => {
    expect(decodeContractError("0xdeadbeef", amount)).to.equal(undefined);
    expect(decodeContractError("0x", amount)).to.equal(undefined);
  });
});

describe("errorCodeOf", () => {
  it("turns error names into upper snake case codes", () => {
    expect(errorCodeOf("InsufficientBalance")).to.equal("INSUFFICIENT_BALANCE");
    expect(errorCodeOf("ERC721NonexistentToken")).to.equal("ERC721_NONEXISTENT_TOKEN");
    expect(errorCodeOf("ZeroAmount")).to.equal("ZERO_AMOUNT");
  });
});
