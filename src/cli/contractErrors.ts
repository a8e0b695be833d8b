// Decodes why a contract call failed: the revert data is matched against every custom error of the
// protocol's contracts (and Solidity's Error/Panic), giving a stable code and a readable message.
import { Interface, type ErrorFragment, type Result } from "ethers";
import { loadArtifact, type ContractName } from "../chain/artifacts.ts";
import { CliError } from "./errors.ts";

const CONTRACTS: readonly ContractName[] = [
  "Continuum",
  "AppRegistry",
  "DatasetRegistry",
  "WorkerpoolRegistry",
  "DevnetToken",
];

export type FormatAmount = (value: bigint) => string;

type Describe = (args: Result, amount: FormatAmount) => string;

/** Messages for the errors a CLI user meets; every other error is shown with its decoded arguments. */
const DESCRIPTIONS: Record<string, Describe> = {
  InsufficientBalance: (a, amount) =>
    `The escrow balance of ${a.account} is ${amount(a.balance)}, less than the ${amount(a.needed)} needed`,
  ERC20InsufficientBalance: (a, amount) =>
    `The token balance of ${a.sender} is ${amount(a.balance)}, less than the ${amount(a.needed)} needed`,
  ERC20InsufficientAllowance: (a, amount) =>
    `The escrow may spend ${amount(a.allowance)} of the account's tokens, less than the ${amount(a.needed)} needed`,
  ZeroAmount: () => "The amount must be more than zero",
  EmptyField: (a) => `The ${a.field} must not be empty`,
  EmptyChecksum: () => "The checksum must not be zero",
  ERC721NonexistentToken: (a) => `No asset with id ${a.tokenId} is registered`,
  NotWorkerpoolOwner: (a) => `${a.caller} does not own workerpool ${a.workerpool}`,
  DeadlineNotReached: (a) =>
    `Deal ${a.dealId} can be claimed only after its deadline, ${new Date(Number(a.deadline) * 1000).toISOString()} (unix ${a.deadline})`,
  TaskAlreadyFinalized: (a) => `Task ${a.index} of deal ${a.dealId} is already settled (completed, failed or claimed)`,
  StaleOrder: (a) =>
    `Order ${a.orderHash} was signed for epoch ${a.signedEpoch} of its asset, now at epoch ${a.currentEpoch}: the asset changed hands or its orders were revoked; sign a new order`,
  ZeroResultKey: (a) => `Request ${a.requestHash} asks for an enclave but names no result key to encrypt the results to`,
  Error: (a) => `The contract reverted: ${a[0]}`,
  Panic: (a) => `The contract panicked with code 0x${BigInt(a[0]).toString(16)}`,
};

let errorInterface: Interface | undefined;

/** One Interface holding each distinct custom error of the protocol's contracts. */
function protocolErrors(): Interface {
  if (errorInterface) return errorInterface;
  const bySelector = new Map<string, ErrorFragment>();
  for (const name of CONTRACTS) {
    for (const fragment of new Interface(loadArtifact(name).abi as never).fragments) {
      if (fragment.type === "error") bySelector.set((fragment as ErrorFragment).selector, fragment as ErrorFragment);
    }
  }
  errorInterface = new Interface([...bySelector.values()]);
  return errorInterface;
}

/** `InsufficientBalance` → `INSUFFICIENT_BALANCE`, `ERC20InsufficientAllowance` → `ERC20_INSUFFICIENT_ALLOWANCE`. */
export function errorCodeOf(errorName: string): string {
  return errorName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The CliError for revert `data`, or undefined when the data matches no known error. */
export function decodeContractError(data: string, amount: FormatAmount): CliError | undefined {
  let parsed;
  try {
    parsed = protocolErrors().parseError(data);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const args = Object.fromEntries(
    parsed.fragment.inputs.map((input, i) => [input.name || String(i), String(parsed.args[i])]),
  );
  const describe = DESCRIPTIONS[parsed.name];
  const listed = Object.entries(args).map(([name, value]) => `${name}=${value}`);
  const message = describe
    ? describe(parsed.args, amount)
    : `The contract rejected the call: ${parsed.name}(${listed.join(", ")})`;
  const code = parsed.name === "Error" ? "REVERTED" : parsed.name === "Panic" ? "PANIC" : errorCodeOf(parsed.name);
  return new CliError(code, message, { contractError: parsed.name, args });
}
