// The CLI's one way to the chain: connects to the deployment's node (checking chain id and that the
// contracts exist), signs with the account's key file, sends transactions and turns failures into
// CliErrors with decoded contract errors.
import {
  Contract,
  JsonRpcProvider,
  WebSocketProvider,
  formatUnits,
  isError,
  parseUnits,
  type ContractTransactionResponse,
  type TransactionReceipt,
  type Wallet,
} from "ethers";
import { loadArtifact, type ContractName } from "../chain/artifacts.ts";
import { verifyDeploymentCode } from "../chain/deploymentCode.ts";
import { isContinuumError, type ContinuumError } from "../core/ContinuumError.ts";
import { loadAccountWallet } from "./accountKey.ts";
import type { CliContext } from "./context.ts";
import { decodeContractError, type FormatAmount } from "./contractErrors.ts";
import type { CliDeployment } from "./deployment.ts";
import { CliError, UsageError, toContinuumError } from "./errors.ts";

export type ProtocolContracts = {
  token: Contract;
  continuum: Contract;
  appRegistry: Contract;
  datasetRegistry: Contract;
  workerpoolRegistry: Contract;
};

export type TokenInfo = { address: string; symbol: string; decimals: number };

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EAI_AGAIN",
]);

export class ChainSession {
  readonly provider: JsonRpcProvider | WebSocketProvider;
  readonly deployment: CliDeployment;
  readonly contracts: ProtocolContracts;
  readonly #context: CliContext;
  readonly #signer: Wallet | undefined;
  #token: TokenInfo | undefined;

  private constructor(
    context: CliContext,
    deployment: CliDeployment,
    provider: JsonRpcProvider | WebSocketProvider,
    signer?: Wallet,
  ) {
    this.#context = context;
    this.deployment = deployment;
    this.provider = provider;
    this.#signer = signer;
    const runner = signer ?? provider;
    const contract = (address: string, name: ContractName) =>
      new Contract(address, loadArtifact(name).abi as never, runner);
    this.contracts = {
      token: contract(deployment.token, "DevnetToken"),
      continuum: contract(deployment.continuum, "Continuum"),
      appRegistry: contract(deployment.appRegistry, "AppRegistry"),
      datasetRegistry: contract(deployment.datasetRegistry, "DatasetRegistry"),
      workerpoolRegistry: contract(deployment.workerpoolRegistry, "WorkerpoolRegistry"),
    };
  }

  /**
   * Connects to the deployment's chain; with `signer`, first opens the account's key file (so a
   * wrong password fails before any network work).
   */
  static async open(context: CliContext, options: { signer: boolean }): Promise<ChainSession> {
    const deployment = context.deployment();
    const signer = options.signer ? await loadAccountWallet(context) : undefined;
    const url = context.rpcUrl(deployment);
    const network = Number(deployment.chainId);
    // No response cache: a cached nonce would make the second of two quick transactions fail.
    const providerOptions = { staticNetwork: true, cacheTimeout: -1 };
    const provider = /^wss?:/.test(url)
      ? new WebSocketProvider(url, network, providerOptions)
      : new JsonRpcProvider(url, network, { ...providerOptions, pollingInterval: 250 });
    const session = new ChainSession(context, deployment, provider, signer?.connect(provider));
    try {
      await session.#checkDeployment(url);
    } catch (error) {
      session.close();
      throw error;
    }
    return session;
  }

  /** The signing account; only sessions opened with `signer` have one. */
  get account(): string {
    if (!this.#signer) throw new Error("this chain session was opened without a signer");
    return this.#signer.address;
  }

  /** The signing wallet, for EIP-712 messages; only sessions opened with `signer` have one. */
  get signer(): Wallet {
    if (!this.#signer) throw new Error("this chain session was opened without a signer");
    return this.#signer;
  }

  async tokenInfo(): Promise<TokenInfo> {
    if (!this.#token) {
      const { token } = this.contracts;
      const [symbol, decimals] = await this.read(() =>
        Promise.all([token.symbol() as Promise<string>, token.decimals() as Promise<bigint>]),
      );
      this.#token = { address: this.deployment.token, symbol, decimals: Number(decimals) };
    }
    return this.#token;
  }

  /** The epoch an order for this asset must sign now (`assetEpoch`): it grows when the asset changes hands. */
  assetEpoch(kind: "app" | "dataset" | "workerpool", id: bigint): Promise<bigint> {
    const registry = { app: this.contracts.appRegistry, dataset: this.contracts.datasetRegistry, workerpool: this.contracts.workerpoolRegistry }[kind];
    return this.read(() => registry.getFunction("epochOf").staticCall(id) as Promise<bigint>);
  }

  /** A decimal amount of tokens ("12.5") in the token's smallest unit. */
  async parseAmount(text: string): Promise<bigint> {
    const { decimals } = await this.tokenInfo();
    try {
      return parseUnits(text, decimals);
    } catch (cause) {
      const message = `The amount ${text} has more than the token's ${decimals} decimals`;
      throw new UsageError("INVALID_AMOUNT", message, undefined, { cause });
    }
  }

  /** A token amount for people, e.g. "12.5 CTD"; call tokenInfo() first. */
  readonly formatAmount: FormatAmount = (value) => {
    const token = this.#token;
    return token ? `${formatTokenUnits(value, token.decimals)} ${token.symbol}` : `${value} token units`;
  };

  /** Runs read-only calls, turning failures into CliErrors. */
  async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.toError(error);
    }
  }

  /** Sends a transaction and waits for its receipt, reporting progress on stderr. */
  async send(description: string, submit: () => Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
    const output = this.#context.output;
    output.status(`${description} ...`);
    try {
      const response = await submit();
      const receipt = await response.wait(Math.max(1, this.#context.config.chain.confirmations));
      if (!receipt) throw new CliError("TRANSACTION_DROPPED", `The transaction for "${description}" was not mined`);
      output.status(`  confirmed in block ${receipt.blockNumber} (tx ${receipt.hash})`);
      return receipt;
    } catch (error) {
      throw this.toError(error);
    }
  }

  /** Any failure of a chain call as a ContinuumError: decoded contract errors, unreachable node, no gas. */
  toError(error: unknown): ContinuumError {
    if (isContinuumError(error)) return error;
    if (isError(error, "CALL_EXCEPTION")) {
      const decoded = error.data ? decodeContractError(error.data, this.formatAmount) : undefined;
      return decoded ?? new CliError("TRANSACTION_REVERTED", `The contract rejected the call: ${error.shortMessage}`);
    }
    if (isError(error, "INSUFFICIENT_FUNDS")) {
      return new CliError("INSUFFICIENT_FUNDS", "The account has not enough ETH to pay for gas");
    }
    if (isUnreachable(error)) {
      const rpcUrl = this.#context.rpcUrl(this.deployment);
      const message = `Cannot reach the chain's JSON-RPC node at ${rpcUrl}: is the devnet running?`;
      return new CliError("CHAIN_UNREACHABLE", message, { rpcUrl });
    }
    if (error instanceof Error && "shortMessage" in error && typeof error.shortMessage === "string") {
      return new CliError("CHAIN_ERROR", `The chain node refused the request: ${error.shortMessage}`);
    }
    return toContinuumError(error);
  }

  close(): void {
    this.provider.destroy();
  }

  async #checkDeployment(url: string): Promise<void> {
    const chainId = await this.read(() => this.provider.send("eth_chainId", []) as Promise<string>);
    if (BigInt(chainId).toString() !== this.deployment.chainId) {
      throw new CliError(
        "CHAIN_MISMATCH",
        `The node at ${url} runs chain ${BigInt(chainId)}, but the deployment is on chain ${this.deployment.chainId}`,
        { rpcUrl: url, chainId: BigInt(chainId).toString(), deploymentChainId: this.deployment.chainId },
      );
    }
    await this.read(() => verifyDeploymentCode(this.provider, this.deployment));
  }
}

/** Opens a chain session for `use` and always closes it, so the process can exit. */
export async function withChain<T>(
  context: CliContext,
  options: { signer: boolean },
  use: (session: ChainSession) => Promise<T>,
): Promise<T> {
  const session = await ChainSession.open(context, options);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}

/** The decoded event `eventName` emitted by `contract` in `receipt`; CliError if it is absent. */
export function findEvent(receipt: TransactionReceipt, contract: Contract, eventName: string): Record<string, unknown> {
  const address = String(contract.target).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === eventName) return parsed.args.toObject();
  }
  throw new CliError("EVENT_MISSING", `The transaction ${receipt.hash} emitted no ${eventName} event`, {
    transaction: receipt.hash,
  });
}

/** "12.5" for 12.5 tokens; whole amounts without a trailing ".0". */
export function formatTokenUnits(value: bigint, decimals: number): string {
  return formatUnits(value, decimals).replace(/\.0$/, "");
}

function isUnreachable(error: unknown): boolean {
  if (isError(error, "NETWORK_ERROR") || isError(error, "TIMEOUT")) return true;
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  const cause = error instanceof Error ? error.cause : undefined;
  const causeCode = cause instanceof Error && "code" in cause ? String(cause.code) : "";
  return UNREACHABLE_CODES.has(code) || UNREACHABLE_CODES.has(causeCode);
}
