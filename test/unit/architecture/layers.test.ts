// The layering the folder tree promises, checked over the real import graph: clients (CLI, worker,
// enclave) never load a server; shared modules never load a service, a client or a composition
// root; the wire depends on nothing but itself; and no module imports itself around a circle.
import { expect } from "chai";
import { importCycles, importEdges, trackedModules, type ImportEdge } from "./importGraph.ts";

type Layer = "wire" | "shared" | "server" | "client" | "root";
type Part = { prefix: string; layer: Layer; group: string };

/** Every folder of the tree, most specific first; a module outside all of them fails the test. */
const PARTS: readonly Part[] = [
  { prefix: "src/core/", layer: "wire", group: "core" },
  { prefix: "src/wire/", layer: "wire", group: "wire" },
  ...["http", "crypto", "chain", "config", "attestation", "apps", "storage", "persistence", "indexer"].map(
    (name): Part => ({ prefix: `src/${name}/`, layer: "shared", group: name }),
  ),
  { prefix: "src/market/", layer: "server", group: "market" },
  { prefix: "src/matcher/", layer: "server", group: "market" },
  { prefix: "sms/", layer: "server", group: "sms" },
  { prefix: "scheduler/", layer: "server", group: "scheduler" },
  { prefix: "src/cli/", layer: "client", group: "cli" },
  { prefix: "worker/", layer: "client", group: "worker" },
  { prefix: "enclave/", layer: "client", group: "enclave" },
  ...["bin/", "src/serve/", "src/devnet/", "src/demo/", "scripts/", "test/", "examples/", "hardhat.config.ts"].map(
    (prefix): Part => ({ prefix, layer: "root", group: prefix }),
  ),
];

/** Which client programs each client may load: the CLI starts a worker, a worker runs the enclave runtime. */
const CLIENT_MAY_LOAD: Readonly<Record<string, readonly string[]>> = {
  cli: ["worker", "enclave"],
  worker: ["enclave"],
  enclave: [],
};

function partOf(path: string): Part | undefined {
  return PARTS.find((part) => path === part.prefix || path.startsWith(part.prefix));
}

/** Why `edge` breaks the layering, or undefined when it is allowed. */
function violation(edge: ImportEdge): string | undefined {
  const from = partOf(edge.from);
  const to = partOf(edge.to);
  if (!from || !to) return `${edge.from} -> ${edge.to}: a module outside the known folders`;
  if (from.layer === "root" || from.group === to.group) return undefined;
  const allowed = {
    wire: () => to.layer === "wire",
    shared: () => to.layer === "wire" || to.layer === "shared",
    server: () => to.layer === "wire" || to.layer === "shared",
    client: () => to.layer === "wire" || to.layer === "shared" || (to.layer === "client" && CLIENT_MAY_LOAD[from.group]!.includes(to.group)),
  }[from.layer];
  return allowed() ? undefined : `${edge.from} (${from.layer} ${from.group}) -> ${edge.to} (${to.layer} ${to.group})`;
}

describe("the import graph", () => {
  const modules = trackedModules();
  const edges = importEdges(modules);

  it("places every module in a folder the layering names", () => {
    expect(modules.filter((path) => !partOf(path))).to.deep.equal([]);
  });

  it("has clients that never import a server, and shared modules that never import a service, a client or a root", () => {
    expect(edges.map(violation).filter((reason) => reason !== undefined)).to.deep.equal([]);
  });

  it("has no import cycles outside the tests", () => {
    expect(importCycles(edges.filter((edge) => !edge.from.startsWith("test/")))).to.deep.equal([]);
  });

  it("judges a client importing a server, and a cycle, as broken rules", () => {
    expect(violation({ from: "src/cli/commands/result.ts", to: "src/market/routes/requestStatus.ts" })).to.be.a("string");
    expect(violation({ from: "worker/Worker.ts", to: "scheduler/tasks/TaskBoard.ts" })).to.be.a("string");
    expect(violation({ from: "src/persistence/ledger/Ledger.ts", to: "src/market/http/pagination.ts" })).to.be.a("string");
    expect(violation({ from: "src/wire/eip712/types.ts", to: "src/chain/artifacts.ts" })).to.be.a("string");
    expect(violation({ from: "enclave/runApp.ts", to: "worker/Worker.ts" })).to.be.a("string");
    expect(violation({ from: "src/cli/commands/worker.ts", to: "worker/index.ts" })).to.equal(undefined);
    expect(importCycles([{ from: "a.ts", to: "b.ts" }, { from: "b.ts", to: "a.ts" }])).to.deep.equal([["a.ts", "b.ts"]]);
  });
});
