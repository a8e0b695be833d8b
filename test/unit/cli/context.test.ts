// The context resolves where a command's inputs come from: data dir, deployment, RPC URL, key
// files and password, with flags above the environment above defaults.
import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CliContext, type GlobalOptions } from "../../../src/cli/context.ts";
import { CliError } from "../../../src/cli/errors.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";

const DEPLOYMENT = {
  rpcUrl: "http://127.0.0.1:18545",
  chainId: "31337",
  deployBlock: 0,
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  continuum: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
  appRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  datasetRegistry: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  workerpoolRegistry: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  codeHashes: {
    token: `0x${"01".repeat(32)}`,
    continuum: `0x${"02".repeat(32)}`,
    appRegistry: `0x${"03".repeat(32)}`,
    datasetRegistry: `0x${"04".repeat(32)}`,
    workerpoolRegistry: `0x${"05".repeat(32)}`,
  },
};

describe("CliContext", () => {
  let dir: TemporaryDirectory;
  const io = { stdout: () => undefined, stderr: () => undefined };
  const contextWith = (options: GlobalOptions, env: Record<string, string> = {}) =>
    new CliContext(options, { io, env, cwd: dir.path });

  beforeEach(async () => {
    dir = await createTemporaryDirectory("continuum-cli-context-");
  });
  afterEach(async () => {
    await dir.remove();
  });

  it("defaults the data dir to .continuum and keeps key files under it", () => {
    const context = contextWith({});
    expect(context.dataDir).to.equal(join(dir.path, ".continuum"));
    expect(context.walletKeyFile()).to.equal(join(dir.path, ".continuum", "keys", "wallet.json"));
    expect(context.resultKeyFile(undefined)).to.equal(join(dir.path, ".continuum", "keys", "result-key.json"));
    expect(context.resultKeyFile("r.json")).to.equal(join(dir.path, "r.json"));
  });

  it("takes the key file from --key-file over CONTINUUM_KEY_FILE, and ignores CLI variables in the config", () => {
    const env = { CONTINUUM_KEY_FILE: "env.json", CONTINUUM_PASSWORD: "pw" };
    expect(contextWith({}, env).walletKeyFile()).to.equal(join(dir.path, "env.json"));
    expect(contextWith({ keyFile: "flag.json" }, env).walletKeyFile()).to.equal(join(dir.path, "flag.json"));
    expect(() => contextWith({}, env).config).to.not.throw();
  });

  it("uses the node recorded in deployment.json unless --rpc-url or CONTINUUM_RPC_URL names one", async () => {
    await writeFile(join(dir.path, "deployment.json"), JSON.stringify(DEPLOYMENT));
    const fromDeployment = contextWith({ dataDir: "." });
    expect(fromDeployment.rpcUrl(fromDeployment.deployment())).to.equal(DEPLOYMENT.rpcUrl);
    const fromFlag = contextWith({ dataDir: ".", rpcUrl: "http://10.0.0.1:8545" });
    expect(fromFlag.rpcUrl(fromFlag.deployment())).to.equal("http://10.0.0.1:8545");
    const fromEnv = contextWith({ dataDir: "." }, { CONTINUUM_RPC_URL: "http://10.0.0.2:8545" });
    expect(fromEnv.rpcUrl(fromEnv.deployment())).to.equal("http://10.0.0.2:8545");
  });

  it("explains a missing or malformed deployment file", async () => {
    const missing = (() => {
      try {
        contextWith({ dataDir: "." }).deployment();
      } catch (error) {
        return error as CliError;
      }
      return expect.fail("no error");
    })();
    expect(missing.code).to.equal("DEPLOYMENT_NOT_FOUND");
    expect(missing.message).to.include("npm start");

    await writeFile(join(dir.path, "deployment.json"), JSON.stringify({ ...DEPLOYMENT, token: "0x12" }));
    expect(() => contextWith({ dataDir: "." }).deployment()).to.throw(/malformed: token/);
  });

  it("reads the password from --password-file without its final newline, else from CONTINUUM_PASSWORD", async () => {
    await writeFile(join(dir.path, "pw.txt"), "s3cret words\n");
    const fromFile = contextWith({ passwordFile: "pw.txt" }, { CONTINUUM_PASSWORD: "env" });
    expect(await fromFile.password()).to.equal("s3cret words");
    expect(await contextWith({}, { CONTINUUM_PASSWORD: "env" }).password()).to.equal("env");
    const missing = await contextWith({}).password().catch((error: unknown) => error as CliError);
    expect(missing).to.include({ code: "PASSWORD_REQUIRED" });
  });

  it("lowers the scrypt cost of new key files only when asked", () => {
    expect(contextWith({}).keyFileOptions()).to.deep.equal({});
    expect(contextWith({ scryptLogN: 10 }).keyFileOptions()).to.deep.equal({ scryptCost: { N: 1024, r: 8, p: 1 } });
  });

  it("takes the market and SMS URLs from the flag, then the environment, then the configured host and port", () => {
    expect(contextWith({}).marketUrl()).to.equal("http://127.0.0.1:8080");
    expect(contextWith({}).smsUrl()).to.equal("http://127.0.0.1:8090");
    const env = { CONTINUUM_MARKET_URL: "http://market.example:9000/v1/", CONTINUUM_SMS_URL: "https://sms.example" };
    expect(contextWith({}, env).marketUrl()).to.equal("http://market.example:9000");
    expect(contextWith({}, env).smsUrl()).to.equal("https://sms.example");
    expect(contextWith({ marketUrl: "http://127.0.0.1:1234" }, env).marketUrl()).to.equal("http://127.0.0.1:1234");
  });

  it("refuses a market or SMS URL that is not http(s), naming where it came from", () => {
    expect(() => contextWith({}, { CONTINUUM_SMS_URL: "ftp://x" }).smsUrl())
      .to.throw(CliError)
      .with.property("code", "INVALID_URL");
    expect(() => contextWith({ marketUrl: "not a url" }).marketUrl()).to.throw(/CONTINUUM_MARKET_URL/);
  });
});
