// npm as a user's shell runs it, on the system Node: `npx continuum`, `npm start` and `npm test`
// print what the project prints and no npm warning. (npx installs the project into its cache on a
// first call, checking the project's `engines` against the Node running npm: a range that excluded
// the system Node made it warn EBADENGINE.)
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";

const ROOT = join(import.meta.dirname, "../../..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

type Run = { code: number; stdout: string; stderr: string };

/**
 * Runs `command` in the project with the PATH of a user's shell: without the node_modules/.bin
 * folders npm put in front for this test run (they hold the pinned Node 22), so npm itself runs
 * on the system Node, whatever its version.
 */
function runAsUser(command: string, args: readonly string[], npmCache: string): Promise<Run> {
  const path = (process.env.PATH ?? "").split(delimiter).filter((entry) => !entry.includes(join("node_modules", ".bin"))).join(delimiter);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|CONTINUUM_)/i.test(name)));
  return new Promise((resolve) => {
    const options = { cwd: ROOT, env: { ...env, PATH: path, npm_config_cache: npmCache }, timeout: 120_000 };
    execFile(command, args, options, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** npm's own complaints: `npm warn …` (EBADENGINE and the like) and `npm error …` lines. */
function npmComplaints(stderr: string): string[] {
  return stderr.split("\n").filter((line) => /^npm (warn|error|WARN|ERR!)/.test(line) || line.includes("EBADENGINE"));
}

describe("npm on the system Node", function () {
  this.timeout(180_000);
  let cache: TemporaryDirectory;

  // An empty npm cache, as on a fresh clone: npx has not installed the project yet.
  beforeEach(async () => {
    cache = await createTemporaryDirectory("continuum-npm-cache-");
  });
  afterEach(async () => {
    await cache.remove();
  });

  it("runs `npx continuum --version` with no EBADENGINE or other npm warning", async () => {
    const systemNode = await runAsUser("node", ["--version"], cache.path);
    const run = await runAsUser("npx", ["continuum", "--version"], cache.path);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout.trim()).to.equal(VERSION);
    expect(npmComplaints(run.stderr), `npm ran on system Node ${systemNode.stdout.trim()}`).to.deep.equal([]);
  });

  it("runs `npm start -- --help` and `npm test` on one file with no npm warning", async () => {
    const start = await runAsUser("npm", ["start", "--", "--help"], cache.path);
    expect(start.code, start.stderr).to.equal(0);
    expect(start.stdout).to.include("Usage: npm start");
    expect(npmComplaints(start.stderr)).to.deep.equal([]);

    const test = await runAsUser("npm", ["test", "--", "test/unit/config/databaseTarget.test.ts"], cache.path);
    expect(test.code, test.stdout + test.stderr).to.equal(0);
    expect(test.stdout).to.match(/\d+ passing/);
    expect(npmComplaints(test.stderr)).to.deep.equal([]);
  });
});
