// Every `continuum` command explains itself: --help prints usage, a description and an example;
// a command line that cannot run is a usage error (exit 2) in the CLI's one-line error format.
import { expect } from "chai";
import type { Command } from "commander";
import { buildProgram } from "../../../src/cli/program.ts";
import { SERVICE_COMMANDS } from "../../../src/serve/index.ts";
import { errorLine, runCli } from "./cliTestKit.ts";

/** Every command path in the program, e.g. ["escrow", "deposit"], from the tree the CLI builds. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...commandPaths(sub, path)];
  });
}

const program = buildProgram({ io: { stdout: () => undefined, stderr: () => undefined }, env: {}, cwd: process.cwd() }, SERVICE_COMMANDS);
const PATHS = commandPaths(program);

describe("continuum --help", function () {
  this.timeout(60_000);

  it("lists the command groups of this stage", () => {
    expect(PATHS.map((path) => path.join(" "))).to.include.members([
      "wallet create",
      "wallet import",
      "protocol deploy",
      "protocol show",
      "protocol category add",
      "protocol category list",
      "protocol sms-signer show",
      "protocol sms-signer set",
      "wallet show",
      "keys create-result",
      "keys show-result",
      "escrow deposit",
      "escrow withdraw",
      "escrow balance",
      "workerpool register",
      "workerpool show",
      "dataset encrypt",
      "dataset publish",
      "dataset register",
      "dataset show",
      "reputation",
      "workerpool order publish",
      "workerpool order unpublish",
      "workerpool order cancel",
      "workerpool earnings",
      "app bundle",
      "app publish",
      "app register",
      "app deploy",
      "app show",
      "app order publish",
      "dataset push-key",
      "dataset order publish",
      "request submit",
      "request watch",
      "request claim",
      "pipeline submit",
      "pipeline watch",
      "request cancel",
      "result download",
      "result verify",
      "attestation verify",
      "audit deals",
      "audit verify",
    ]);
  });

  it("prints usage, global options and examples for the program", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/^Usage: continuum /);
    for (const option of ["--json", "--config", "--data-dir", "--rpc-url", "--key-file", "--password-file", "--market-url", "--sms-url"]) {
      expect(run.stdout).to.include(option);
    }
    expect(run.stdout).to.include("Examples:\n  $ continuum ");
  });

  it("prints a description and an example for every command", async function () {
    // A few at a time: each run is a Node process on a small machine, which may be busy.
    this.timeout(300_000);
    const pending = [...PATHS];
    const failures: string[] = [];
    const worker = async () => {
      for (let path = pending.shift(); path; path = pending.shift()) {
        const run = await runCli([...path, "--help"]);
        const name = path.join(" ");
        const described = program.commands.length > 0 && run.stdout.includes(`Usage: continuum ${name}`);
        const hasExample = new RegExp(`Examples:\\n(  \\$ .*continuum .*\\n)+`).test(run.stdout);
        if (run.code !== 0 || !described || !hasExample) {
          failures.push(`${name}: exit ${run.code}\n${run.stdout}${run.stderr}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(failures).to.deep.equal([]);
    for (const path of PATHS) {
      const command = path.reduce<Command>((parent, name) => parent.commands.find((c) => c.name() === name)!, program);
      expect(command.description(), path.join(" ")).to.not.equal("");
    }
  });

  it("treats an unknown command, a bad argument or a missing option as a usage error (exit 2)", async () => {
    const unknown = await runCli(["frobnicate"]);
    expect(unknown.code).to.equal(2);
    expect(errorLine(unknown).code).to.equal("USAGE");
    expect(errorLine(unknown).message).to.include("frobnicate");

    const badAmount = await runCli(["escrow", "deposit", "twelve"]);
    expect(badAmount.code).to.equal(2);
    expect(errorLine(badAmount).message).to.include("positive decimal number");

    const missingOption = await runCli(["dataset", "register", "--name", "x"]);
    expect(missingOption.code).to.equal(2);
    expect(errorLine(missingOption).message).to.include("--cid");
  });

  it("prints a group's help on stderr with exit 2 when no subcommand is given", async () => {
    const run = await runCli(["escrow"]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("Usage: continuum escrow");
    expect(run.stdout).to.equal("");
  });

  it("reports a usage error as one JSON document with --json", async () => {
    const run = await runCli(["--json", "workerpool", "show", "zero"]);
    expect(run.code).to.equal(2);
    const document = JSON.parse(run.stderr);
    expect(document.error.code).to.equal("USAGE");
    expect(document.error.message).to.include("whole number");
  });
});
