// Human output is aligned rows on stdout with status and progress on stderr; --json prints one
// document and nothing on stderr.
import { expect } from "chai";
import { CliOutput, formatBytes } from "../../../src/cli/output.ts";

function capture(json: boolean) {
  const written = { stdout: "", stderr: "" };
  const output = new CliOutput({ stdout: (t) => (written.stdout += t), stderr: (t) => (written.stderr += t) }, json);
  return { output, written };
}

describe("CliOutput", () => {
  it("aligns human rows and prints JSON with bigints as strings", () => {
    const human = capture(false);
    human.output.result({ id: 1n }, [
      ["dataset", "1"],
      ["checksum", "0xab"],
    ]);
    expect(human.written.stdout).to.equal("dataset   1\nchecksum  0xab\n");
    const json = capture(true);
    json.output.result({ id: 1n }, [["dataset", "1"]]);
    expect(JSON.parse(json.written.stdout)).to.deep.equal({ id: "1" });
  });

  it("reports progress about every 10% and always at 100%; silent with --json", () => {
    const human = capture(false);
    const report = human.output.progress("encrypting", 1000);
    for (let done = 0; done <= 1000; done += 50) report(done);
    const percents = human.written.stderr.trim().split("\n").map((line) => Number(/(\d+)%/.exec(line)![1]));
    expect(percents).to.deep.equal([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);

    const json = capture(true);
    json.output.progress("encrypting", 10)(10);
    json.output.status("working");
    expect(json.written.stderr).to.equal("");
  });

  it("reports an empty input as done", () => {
    const human = capture(false);
    human.output.progress("publishing", 0)(0);
    expect(human.written.stderr).to.equal("publishing: 100% (0 B of 0 B)\n");
  });

  it("formats byte counts", () => {
    expect(formatBytes(512)).to.equal("512 B");
    expect(formatBytes(1536)).to.equal("1.5 KiB");
    expect(formatBytes(3 * 1024 ** 3)).to.equal("3.0 GiB");
  });
});
