// What `npm start` prints about the devnet, as a person reads it: aligned services and contracts
// (no console.table grid), the token's unit, and every test account with its private key and the
// part it plays, under a warning that the keys are public.
import { expect } from "chai";
import { parseUnits } from "ethers";
import { DEVNET_MNEMONIC } from "../../../src/devnet/devnetKeys.ts";
import { devnetAccounts, devnetRoles, devnetSummaryLines, type DevnetSummaryFacts } from "../../../src/devnet/devnetSummary.ts";

// Hardhat's first test accounts, as every install derives them.
const ADDRESSES = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
];

function facts(overrides: Partial<DevnetSummaryFacts> = {}): DevnetSummaryFacts {
  return {
    chainId: "31337",
    rpcUrl: "http://127.0.0.1:8545",
    marketUrl: "http://127.0.0.1:8080",
    smsUrl: "http://127.0.0.1:8090",
    gatewayUrl: "http://127.0.0.1:8088",
    ipfsPeer: "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW",
    compute: { workerpool: 1n, schedulerUrl: "http://127.0.0.1:8070" },
    deployment: {
      token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      continuum: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
      appRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      datasetRegistry: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      workerpoolRegistry: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
    },
    deploymentFile: "/srv/.continuum/deployment.json",
    token: { symbol: "CTD", decimals: 18 },
    funding: parseUnits("1000000", 18),
    categories: [{ name: "S", maxRunTime: 60n }, { name: "M", maxRunTime: 300n }],
    accounts: devnetAccounts(ADDRESSES, devnetRoles(1n)),
    ...overrides,
  };
}

describe("the devnet summary", () => {
  it("lists the services and the contracts in aligned columns, with the explorer and the workerpool's page", () => {
    const lines = devnetSummaryLines(facts());
    expect(lines.slice(0, 16)).to.deep.equal([
      "Continuum devnet is up (chain id 31337)",
      "",
      "services",
      "  JSON-RPC             http://127.0.0.1:8545",
      "  market API           http://127.0.0.1:8080/v1",
      "  OpenAPI document     http://127.0.0.1:8080/openapi.json",
      "  live feed (SSE)      http://127.0.0.1:8080/v1/feed",
      "  explorer             http://127.0.0.1:8080/explorer",
      "  SMS                  http://127.0.0.1:8090/v1",
      "  IPFS gateway         http://127.0.0.1:8088/ipfs/<cid>",
      "  IPFS peer            /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW   (for `continuum worker start --ipfs-peer`)",
      "  scheduler            http://127.0.0.1:8070/v1   (workerpool 1)",
      "  workers              2, with the keys of accounts #5 and #6 (below)",
      "  workerpool 1         http://127.0.0.1:8080/explorer/workerpools/1",
      "",
      "contracts (addresses written to /srv/.continuum/deployment.json)",
    ]);
    expect(lines).to.include("  token                0x5FbDB2315678afecb367f032d93F642f64180aa3   CTD, 18 decimals");
    expect(lines).to.include("  categories           S (60 s), M (300 s)");
    expect(lines.join("\n")).not.to.match(/\(index\)|[┌│└]/);
  });

  it("prints every account's private key under a warning, and what each account is for", () => {
    const lines = devnetSummaryLines(facts());
    expect(lines).to.include("test accounts: #0 to #6 funded with 1,000,000 CTD each when the chain was seeded");
    expect(lines.some((line) => line.includes("WARNING") && line.includes("public"))).to.equal(true);
    expect(lines).to.include(`  "${DEVNET_MNEMONIC}".`);
    const at = lines.indexOf("  #0   0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266  deployer and owner of the protocol");
    expect(at).to.be.greaterThan(0);
    expect(lines[at + 1]).to.equal("       key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    expect(lines).to.include("  #3   0x90F79bf6EB2c4f870365E785982E1f101E93b906  owner of workerpool 1: its scheduler signs and pushes results with this key");
    expect(lines).to.include("  #5   0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc  worker 1 of workerpool 1: its identity (it sends no transactions)");
    expect(lines).to.include("  #6   0x976EA74026E726554dB657fA54763abd0C3a0aa9  worker 2 of workerpool 1: its identity (it sends no transactions)");
    expect(lines).to.include("  #19  0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199  the market's matcher: sends matchOrders");
    expect(lines).to.include("       key 0xdf57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e");
  });

  it("adds other roles beside the devnet's own, and leaves out the compute lines without a workerpool", () => {
    const roles = devnetRoles(undefined);
    roles.set(1, ["the demo's app developer"]);
    const lines = devnetSummaryLines(facts({ compute: undefined, accounts: devnetAccounts(ADDRESSES, roles) }));
    expect(lines).to.include("  #1   0x70997970C51812dc3A010C7d01b50e0d17dc79C8  the demo's app developer");
    expect(lines).to.include("  #3   0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    expect(lines.join("\n")).not.to.match(/scheduler|workers|workerpool 1/);
  });
});
