// Specification of the "wasi" runtime with real parts: Node's WASI host inside the real bubblewrap
// sandbox runs the example module, and modules written for the test try to write outside the
// output and to run forever.
import { expect } from "chai";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AppManifest } from "../../../src/apps/index.ts";
import { runtimeLaunchers } from "../../../enclave/launchers/runtimeLaunchers.ts";
import { planIsolation, runApp, type AppDirectories } from "../../../enclave/runApp.ts";
import { probeSandboxCapabilities } from "../../../enclave/sandbox/sandboxCapabilities.ts";
import { LINE_COUNT_WASM } from "../../../examples/wasm/buildWasmExamples.ts";
import { lineCountModule } from "../../../examples/wasm/lineCountModule.ts";
import { encodeModule, op } from "../../../examples/wasm/wasmEncoder.ts";
import { expectEnclaveError, makeDirs, makeTempDir, removeDir } from "./enclaveTestKit.ts";

const MANIFEST: AppManifest = { name: "probe", version: "1.0.0", description: "WASI probe.", runtime: "wasi", entrypoint: "main.wasm" };
const LIMITS = { memoryMb: 128, maxOutputBytes: 1024 * 1024, maxOutputFiles: 100, maxProcesses: 32, timeLimitMs: 20_000 };

/** A module whose _start opens `file` under the preopened descriptor `fd` for writing and exits with the errno. */
function openForWriting(fd: number, file: string): Uint8Array {
  return encodeModule({
    types: [
      { params: ["i32", "i32", "i32", "i32", "i32", "i64", "i64", "i32", "i32"], results: ["i32"] },
      { params: ["i32"], results: [] },
      { params: [], results: [] },
    ],
    imports: [
      { module: "wasi_snapshot_preview1", field: "path_open", type: 0 },
      { module: "wasi_snapshot_preview1", field: "proc_exit", type: 1 },
    ],
    memoryPages: 1,
    data: [{ offset: 0, bytes: Buffer.from(file) }],
    exports: [{ name: "_start", function: 2 }],
    functions: [
      {
        type: 2,
        i32Locals: 0,
        body: [
          op.i32Const(fd), op.i32Const(0), op.i32Const(0), op.i32Const(Buffer.byteLength(file)), op.i32Const(9),
          op.i64Const(64n), op.i64Const(0n), op.i32Const(0), op.i32Const(512), op.call(0), op.call(1),
        ],
      },
    ],
  });
}

const FOREVER = encodeModule({
  types: [{ params: [], results: [] }],
  imports: [],
  memoryPages: 1,
  data: [],
  exports: [{ name: "_start", function: 0 }],
  functions: [{ type: 0, i32Locals: 0, body: [op.loop(), op.br(0), op.end()] }],
});

describe("wasi app sandbox (node:wasi in bubblewrap)", function () {
  this.timeout(60_000);
  const launcher = runtimeLaunchers({ nodePath: process.execPath }).wasi;
  let root: string;
  let directories: AppDirectories;
  before(async () => {
    expect(await launcher.unavailableReason(), "the wasi sandbox must work on this machine").to.equal(undefined);
  });
  beforeEach(async () => {
    root = await makeTempDir();
    const [bundle, input, secrets, output] = await makeDirs(root, "bundle", "input", "secrets", "output");
    directories = { bundle, input, secrets, output };
    await writeFile(join(input, "dataset"), "ward,day\nicu,1\nicu,2\n");
  });
  afterEach(async () => removeDir(root));

  async function run(module: Uint8Array, limits: Partial<typeof LIMITS> = {}) {
    await writeFile(join(directories.bundle, "main.wasm"), module);
    const isolation = await planIsolation(launcher, await probeSandboxCapabilities(process.execPath), "when-available");
    return runApp({
      manifest: MANIFEST,
      launcher,
      directories,
      environment: { CONTINUUM_OUTPUT: directories.output },
      limits: { ...LIMITS, ...limits },
      isolation,
    });
  }

  it("ships the example module exactly as its source builds it", async () => {
    expect(Buffer.from(await readFile(LINE_COUNT_WASM)).equals(Buffer.from(lineCountModule()))).to.equal(true);
  });

  it("runs the line-count example on the input and writes its output", async () => {
    await copyFile(LINE_COUNT_WASM, join(directories.bundle, "main.wasm"));
    await run(await readFile(LINE_COUNT_WASM));
    expect(await readFile(join(directories.output, "lines.txt"), "utf8")).to.equal("3\n");
  });

  it("refuses writes into the input directory, and allows them into the output", async () => {
    await expectEnclaveError(run(openForWriting(4, "dataset")), "APP_FAILED");
    expect(await readFile(join(directories.input, "dataset"), "utf8")).to.equal("ward,day\nicu,1\nicu,2\n");
    await run(openForWriting(6, "written"));
    expect(await readFile(join(directories.output, "written"), "utf8")).to.equal("");
  });

  it("refuses paths that climb out of a preopened directory", async () => {
    await expectEnclaveError(run(openForWriting(6, "../escape")), "APP_FAILED");
  });

  it("kills a module running past its time limit as APP_TIMEOUT", async () => {
    await expectEnclaveError(run(FOREVER, { timeLimitMs: 1_500 }), "APP_TIMEOUT");
  });
});
