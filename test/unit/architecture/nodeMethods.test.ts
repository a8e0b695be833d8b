// Nothing may depend on one development node's own JSON-RPC methods (hardhat_*, anvil_*, evm_*):
// code that names them runs on that node alone. Only the devnet's chain helpers do (the journal's
// method lists and NodeControl, which knows both Hardhat and Anvil), and the tests of those helpers.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, trackedModules } from "./importGraph.ts";

const ALLOWED = ["src/devnet/chain/", "test/unit/devnet/", "test/integration/devnet/", "test/unit/architecture/nodeMethods.test.ts"];
/** A node method named in a string: "evm_mine", 'hardhat_setBalance', `anvil_mine`. */
const NODE_METHOD = /["'`](?:evm|hardhat|anvil)_[A-Za-z]+/g;

describe("development-node methods", () => {
  it("are named only by the devnet's chain helpers", () => {
    const offenders = trackedModules()
      .filter((path) => !ALLOWED.some((allowed) => path.startsWith(allowed)))
      .flatMap((path) => [...readFileSync(join(PROJECT_ROOT, path), "utf8").matchAll(NODE_METHOD)].map((match) => `${path}: ${match[0].slice(1)}`));
    expect(offenders).to.deep.equal([]);
  });

  it("would catch one (the check can fail)", () => {
    expect([...'await provider.send("evm_mine", [])'.matchAll(NODE_METHOD)]).to.have.length(1);
  });
});
