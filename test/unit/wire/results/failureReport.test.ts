// The failure report as both sides see it: what the enclave writes when the app fails after the
// secrets were released is what the requester's CLI recognises in the decrypted archive, and any
// other archive is the app's own output.
import { expect } from "chai";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnclaveError } from "../../../../enclave/EnclaveError.ts";
import { failureReport, writeFailureReport } from "../../../../enclave/failureReport.ts";
import { FAILURE_REPORT_FILE, failureReportOf } from "../../../../src/wire/results/failureReport.ts";

describe("failure report", () => {
  it("reads back what the enclave writes for an app that exited with an error", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "continuum-failure-report-"));
    try {
      const error = new EnclaveError("APP_FAILED", "the app exited with code 3", { exitCode: 3, stderrTail: "patient 17: secret" });
      const written = failureReport(error, { taskId: `0x${"ab".repeat(32)}`, attempt: 2 });
      await writeFailureReport(join(scratch, "out"), written);
      const names = await readdir(join(scratch, "out"));
      const files = await Promise.all(names.map(async (path) => ({ path, content: await readFile(join(scratch, "out", path)) })));
      const read = failureReportOf(files);
      expect(read).to.deep.equal(written);
      expect(read!.details, "the app's own text never leaves in the report").to.deep.equal({ exitCode: 3 });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it("is not found in an app's output, even one that names a file like it", () => {
    const json = (value: unknown) => Buffer.from(JSON.stringify(value));
    expect(failureReportOf([{ path: "summary.json", content: json({}) }])).to.equal(undefined);
    expect(failureReportOf([{ path: FAILURE_REPORT_FILE, content: json({ format: "other", code: "X", message: "" }) }])).to.equal(undefined);
    expect(failureReportOf([{ path: FAILURE_REPORT_FILE, content: Buffer.from("{not json") }])).to.equal(undefined);
    const report = { format: "continuum-failure/1", code: "APP_TIMEOUT", message: "too slow", details: {}, taskId: "0x01", attempt: 1 };
    expect(failureReportOf([{ path: FAILURE_REPORT_FILE, content: json(report) }, { path: "more.csv", content: json(1) }])).to.equal(undefined);
    expect(failureReportOf([{ path: FAILURE_REPORT_FILE, content: json(report) }])).to.deep.equal(report);
  });
});
