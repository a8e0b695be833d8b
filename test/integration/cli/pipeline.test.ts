// `continuum pipeline submit` judges the document before it signs or sends anything: a cycle, an
// unknown input or a file that is not JSON is refused on the command line, with the typed code,
// while no market or SMS is even running.
import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { errorLine, runCli } from "./cliTestKit.ts";

const PRICES = { app: "1", dataset: "0", workerpool: "1" };

describe("continuum pipeline submit: refusals before anything is signed", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;

  before(async () => {
    dir = await createTemporaryDirectory("continuum-pipeline-cli-");
  });

  after(async () => {
    await dir?.remove();
  });

  async function submit(document: unknown, name: string) {
    const file = join(dir.path, name);
    await writeFile(file, typeof document === "string" ? document : JSON.stringify(document));
    // No market, SMS or chain at these URLs: reaching any of them would fail otherwise.
    return runCli(["--data-dir", dir.path, "--market-url", "http://127.0.0.1:9", "--sms-url", "http://127.0.0.1:9", "pipeline", "submit", file]);
  }

  it("names the cycle", async () => {
    const run = await submit(
      {
        version: 1,
        name: "cyclic",
        stages: [
          { id: "a", app: "1", inputs: [{ stage: "b" }], category: "1", prices: PRICES },
          { id: "b", app: "1", inputs: [{ stage: "a" }], category: "1", prices: PRICES },
        ],
      },
      "cyclic.json",
    );
    expect(run.code).to.equal(1);
    const error = errorLine(run);
    expect(error.code).to.equal("PIPELINE_CYCLE");
    expect(error.message).to.match(/a -> b -> a|b -> a -> b/);
  });

  it("refuses an input naming no stage, and a file that is not JSON", async () => {
    const unknown = await submit({ version: 1, name: "x", stages: [{ id: "a", app: "1", inputs: [{ stage: "ghost" }], category: "1", prices: PRICES }] }, "unknown.json");
    expect(errorLine(unknown).code).to.equal("UNKNOWN_STAGE_INPUT");
    expect(errorLine(await submit("{ not json", "broken.json")).code).to.equal("INVALID_PIPELINE");
  });
});
