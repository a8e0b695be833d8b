// Runs one WebAssembly module through WASI preview 1 (node:wasi) inside the bubblewrap sandbox:
//   node wasiHost.mjs <module.wasm> <bundle> <input> <secrets> <output>
// The four directories are preopened under their own paths (the same ones the app's environment
// and arguments name); the sandbox's mounts, not node:wasi, make all but the output read-only.
// The module's exit code becomes this process's; a trap fails the process.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { WASI } from "node:wasi";

const [modulePath, bundle, input, secrets, output] = process.argv.slice(2);
const environment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name.startsWith("CONTINUUM_") || name === "LANG" || name === "TZ"),
);
const wasi = new WASI({
  version: "preview1",
  args: [basename(modulePath), "--input", input, "--output", output],
  env: environment,
  preopens: { [bundle]: bundle, [input]: input, [secrets]: secrets, [output]: output },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(modulePath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
