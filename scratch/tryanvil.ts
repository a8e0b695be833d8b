import { startAnvilNode } from "/work/wt/any-chain/src/devnet/anvilNode.ts";
const node = await startAnvilNode({ host: "127.0.0.1", port: 0, genesisDate: "2026-01-01T00:00:00.000Z" });
console.log(node.url);
const r = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["0x0", false] }) });
console.log((await r.json()).result.timestamp);
await node.stop();
console.log("stopped", node.process.exitCode);
