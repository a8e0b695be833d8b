// Executes JSON-RPC requests against the devnet's node and journals the ones that change the
// chain. Those run one at a time, so the journal's order is the node's execution order and the
// blocks each call mined are known exactly (the head before and after it).
import type { Logger } from "../../core/logger.ts";
import type { ChainJournalWriter } from "./chainJournal.ts";
import { isJournaledMethod, isRefusedMethod } from "./chainRpcMethods.ts";
import { awaitTransactionMined, blockNumber, blockSummary, type JsonRpcRequest, type JsonRpcResponse } from "./jsonRpc.ts";

/** EIP-1474 "method not supported". */
const METHOD_NOT_SUPPORTED = -32004;
const INTERNAL_ERROR = -32603;

export class ChainRecorder {
  private readonly nodeUrl: string;
  private readonly journal: ChainJournalWriter;
  private readonly logger: Logger | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: { nodeUrl: string; journal: ChainJournalWriter; logger?: Logger }) {
    this.nodeUrl = options.nodeUrl;
    this.journal = options.journal;
    this.logger = options.logger;
  }

  /** Whether `method` must go through `execute` (journaled or refused) rather than straight to the node. */
  static needsRecording(method: string): boolean {
    return isJournaledMethod(method) || isRefusedMethod(method);
  }

  async execute(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    if (isRefusedMethod(request.method)) {
      return {
        jsonrpc: "2.0",
        id: request.id ?? null,
        error: { code: METHOD_NOT_SUPPORTED, message: `${request.method} is refused on the persistent devnet: the chain journal could not replay it` },
      };
    }
    if (!isJournaledMethod(request.method)) return this.forward(request);
    const run = this.queue.then(() => this.executeAndRecord(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits until every call already accepted is executed and journaled. */
  async drain(): Promise<void> {
    await this.queue;
  }

  private async executeAndRecord(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const before = await blockNumber(this.nodeUrl);
    const response = await this.forward(request);
    await awaitTransactionMined(this.nodeUrl, request.method, response);
    const head = await blockNumber(this.nodeUrl);
    const mined = head > before;
    // A refused call changed nothing, except a reverted transaction, which Hardhat mines anyway.
    if (response.error && !mined) return response;
    try {
      const blocks = mined
        ? { first: before + 1, firstTimestamp: (await blockSummary(this.nodeUrl, before + 1)).timestamp, last: head, lastHash: (await blockSummary(this.nodeUrl, head)).hash }
        : undefined;
      await this.journal.append({ method: request.method, params: request.params ?? [], ok: !response.error, head, blocks });
      return response;
    } catch (error) {
      this.logger?.error({ err: error, method: request.method, head }, "the chain journal could not record a state change; a later replay will diverge");
      return { jsonrpc: "2.0", id: request.id ?? null, error: { code: INTERNAL_ERROR, message: "the devnet could not journal this call; the chain will not survive a restart" } };
    }
  }

  private async forward(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const response = await fetch(this.nodeUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    return (await response.json()) as JsonRpcResponse;
  }
}
