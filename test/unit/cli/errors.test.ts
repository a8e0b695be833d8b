// Whatever a command throws reaches the user as one line with a stable code, or one JSON document.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import {
  CliError,
  UsageError,
  exitCodeOf,
  formatErrorJson,
  formatErrorLine,
  toContinuumError,
} from "../../../src/cli/errors.ts";
import { ContinuumError } from "../../../src/core/ContinuumError.ts";

describe("CLI errors", () => {
  it("keeps typed errors and gives usage errors exit code 2", () => {
    const typed = new ContinuumError("WRONG_PASSWORD", "Wrong password.");
    expect(toContinuumError(typed)).to.equal(typed);
    expect(exitCodeOf(typed)).to.equal(1);
    expect(exitCodeOf(new UsageError("USAGE", "bad"))).to.equal(2);
  });

  it("turns a missing file into FILE_NOT_FOUND naming the path", async () => {
    const failure = await readFile("/nonexistent/continuum/file").catch((error: unknown) => error);
    const error = toContinuumError(failure);
    expect(error.code).to.equal("FILE_NOT_FOUND");
    expect(formatErrorLine(error)).to.equal(
      "error [FILE_NOT_FOUND]: No such file or directory: /nonexistent/continuum/file",
    );
  });

  it("reports anything else as INTERNAL on one line, without a stack trace", () => {
    const error = toContinuumError(new TypeError("boom\n    at somewhere (file.ts:1:1)"));
    expect(error.code).to.equal("INTERNAL");
    const line = formatErrorLine(error);
    expect(line).to.not.include("\n");
    expect(line).to.match(/^error \[INTERNAL\]: Unexpected failure: boom/);
  });

  it("appends the path from details when the message does not name it", () => {
    const error = new CliError("KEY_FILE_EXISTS", "A key file already exists.", { path: "/tmp/k.json" });
    expect(formatErrorLine(error)).to.equal("error [KEY_FILE_EXISTS]: A key file already exists (/tmp/k.json)");
  });

  it("prints { error: { code, message, details } } as JSON, bigints as strings", () => {
    const error = new CliError("INSUFFICIENT_TOKENS", "Not enough.", { needed: 5n });
    expect(JSON.parse(formatErrorJson(error))).to.deep.equal({
      error: { code: "INSUFFICIENT_TOKENS", message: "Not enough.", details: { needed: "5" } },
    });
  });
});
