// Writes the example WebAssembly modules from their encoder sources:
//   node examples/wasm/buildWasmExamples.ts
// The committed .wasm files must equal what this writes (a test checks), so the bytes a
// measurement covers can always be rebuilt from readable source.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lineCountModule } from "./lineCountModule.ts";

export const LINE_COUNT_WASM = fileURLToPath(new URL("../apps/wasi-line-count/line-count.wasm", import.meta.url));

if (import.meta.main) {
  writeFileSync(LINE_COUNT_WASM, lineCountModule());
  console.log(`wrote ${LINE_COUNT_WASM}`);
}
