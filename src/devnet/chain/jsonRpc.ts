// The smallest JSON-RPC client over HTTP, for talking to the devnet's own Hardhat node where an
// ethers provider would add polling, batching and caching the journal must not depend on.
import { ChainJournalError } from "./ChainJournalError.ts";

export type JsonRpcRequest = { jsonrpc: "2.0"; id: number | string | null; method: string; params?: unknown[] };
export type JsonRpcError = { code: number; message: string; data?: unknown };
export type JsonRpcResponse = { jsonrpc: "2.0"; id: number | string | null; result?: unknown; error?: JsonRpcError };

let nextId = 1;

/** Posts one request and returns the whole response (result or error); transport failures throw. */
export async function postJsonRpc(url: string, method: string, params: unknown[] = []): Promise<JsonRpcResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  return (await response.json()) as JsonRpcResponse;
}

/** Calls `method` and returns its result; a JSON-RPC error becomes CHAIN_RPC_FAILED. */
export async function callJsonRpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await postJsonRpc(url, method, params);
  if (response.error) {
    throw new ChainJournalError("CHAIN_RPC_FAILED", `the node refused ${method}: ${response.error.message}`, { method, error: response.error });
  }
  return response.result as T;
}

export type BlockSummary = { number: number; hash: string; timestamp: number };

export async function blockNumber(url: string): Promise<number> {
  return Number(await callJsonRpc<string>(url, "eth_blockNumber"));
}

export async function blockSummary(url: string, number: number): Promise<BlockSummary> {
  const block = await callJsonRpc<{ number: string; hash: string; timestamp: string } | null>(url, "eth_getBlockByNumber", [`0x${number.toString(16)}`, false]);
  if (!block) throw new ChainJournalError("CHAIN_RPC_FAILED", `the node has no block ${number}`, { number });
  return { number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp) };
}

/** Init code that returns TIMESTAMP: run as an `eth_call` on "pending", it reads the node's clock without mining. */
const READ_TIMESTAMP_CODE = "0x4260005260206000f3";

/** The timestamp the node would give its next block (seconds). */
export async function nodeClock(url: string): Promise<number> {
  return Number(await callJsonRpc<string>(url, "eth_call", [{ data: READ_TIMESTAMP_CODE }, "pending"]));
}

const TRANSACTION_METHODS: ReadonlySet<string> = new Set(["eth_sendTransaction", "eth_sendRawTransaction"]);

/**
 * Anvil answers a transaction with its hash before its automine has mined it (Hardhat mines
 * first): after a transaction call, wait for its receipt so the head read next includes its
 * block. Bounded, since with automine off a transaction stays pending until a later mine.
 */
export async function awaitTransactionMined(url: string, method: string, response: JsonRpcResponse, timeoutMs = 2_000): Promise<void> {
  if (!TRANSACTION_METHODS.has(method) || typeof response.result !== "string") return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A dropped connection only costs a retry: the transaction was accepted either way.
    const receipt = await postJsonRpc(url, "eth_getTransactionReceipt", [response.result]).catch(() => undefined);
    if (receipt?.result) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
