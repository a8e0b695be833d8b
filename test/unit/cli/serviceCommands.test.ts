// The pieces of the long-running commands (`workerpool scheduler start`, `worker start`,
// `workerpool autoscale`) that need
// no chain: their option parsers, the scheduler URL check, the JSON-line output, task lines and
// the counting of stop signals.
import { expect } from "chai";
import { InvalidArgumentError } from "commander";
import { decimalBetween, parseDurationMs, parsePort, wholeNumberFrom } from "../../../src/cli/arguments.ts";
import { describeTaskEvent } from "../../../src/cli/commands/worker.ts";
import { CliOutput } from "../../../src/cli/output.ts";
import { schedulerBaseUrl } from "../../../src/cli/schedulerInfo.ts";
import { listenForStopSignals, type StopSignal } from "../../../src/cli/stopSignals.ts";

const TASK = { taskId: `0x${"ab".repeat(32)}`, dealId: `0x${"cd".repeat(32)}`, taskIndex: "0", attempt: 2 };

describe("long-running CLI commands", () => {
  it("parses ports from 0 to 65535 and whole numbers from a minimum", () => {
    expect(parsePort("0")).to.equal(0);
    expect(parsePort("8070")).to.equal(8070);
    for (const bad of ["65536", "-1", "80.5", "", "http"]) expect(() => parsePort(bad)).to.throw(InvalidArgumentError);
    expect(wholeNumberFrom(1)("10")).to.equal(10);
    expect(wholeNumberFrom(0)("0")).to.equal(0);
    for (const bad of ["0", "1.5", "-3", "ten", ""]) expect(() => wholeNumberFrom(1)(bad)).to.throw(InvalidArgumentError, "from 1");
  });

  it("parses durations with a unit (a bare number is seconds) and decimals within bounds", () => {
    expect(["5m", "30s", "1500ms", "1h", "2", "0.5s"].map(parseDurationMs)).to.deep.equal([300_000, 30_000, 1_500, 3_600_000, 2_000, 500]);
    for (const bad of ["5x", "-1s", "", "m", "1e3"]) expect(() => parseDurationMs(bad)).to.throw(InvalidArgumentError, "duration");
    expect(decimalBetween(0, 1)("0.1")).to.equal(0.1);
    for (const bad of ["1.5", "-0.1", "abc"]) expect(() => decimalBetween(0, 1)(bad)).to.throw(InvalidArgumentError, "from 0 to 1");
  });

  it("accepts only http(s) scheduler URLs, without a trailing slash or /v1", () => {
    expect(schedulerBaseUrl("http://127.0.0.1:8070/")).to.equal("http://127.0.0.1:8070");
    expect(schedulerBaseUrl("https://pool.example/v1")).to.equal("https://pool.example");
    for (const bad of ["127.0.0.1:8070", "ftp://pool.example", "not a url"]) {
      expect(() => schedulerBaseUrl(bad)).to.throw().with.property("code", "INVALID_URL");
    }
  });

  it("prints events as one compact JSON line each with --json, else the human line", () => {
    const written = { json: "", human: "" };
    new CliOutput({ stdout: (text) => (written.json += text), stderr: () => undefined }, true).event({ event: "task", n: 1n }, "ignored");
    new CliOutput({ stdout: (text) => (written.human += text), stderr: () => undefined }, false).event({ event: "task" }, "task line");
    expect(written.json).to.equal('{"event":"task","n":"1"}\n');
    expect(written.human).to.equal("task line\n");
  });

  it("describes each task step on one line, failures with their code", () => {
    expect(describeTaskEvent({ ...TASK, stage: "assigned" })).to.equal(`task ${TASK.taskId} assigned (deal ${TASK.dealId}, index 0, attempt 2)`);
    expect(describeTaskEvent({ ...TASK, stage: "running" })).to.equal(`task ${TASK.taskId} running in the enclave`);
    expect(describeTaskEvent({ ...TASK, stage: "result-uploaded", resultCid: "bafy" })).to.include("result uploaded (bafy)");
    expect(describeTaskEvent({ ...TASK, stage: "failed", code: "SMS_REFUSED", message: "no" })).to.equal(`task ${TASK.taskId} failed [SMS_REFUSED]: no`);
  });

  it("counts SIGINT and SIGTERM, resolves on the first and stops listening when disposed", async () => {
    const heard: [StopSignal, number][] = [];
    const before = process.listenerCount("SIGINT");
    const signals = listenForStopSignals((signal, count) => heard.push([signal, count]));
    process.emit("SIGTERM", "SIGTERM");
    process.emit("SIGINT", "SIGINT");
    expect(await signals.first).to.equal("SIGTERM");
    expect(heard).to.deep.equal([["SIGTERM", 1], ["SIGINT", 2]]);
    signals.dispose();
    expect(process.listenerCount("SIGINT")).to.equal(before);
  });
});
