// The starting files `continuum app init` writes for each runtime: a manifest and an app that
// runs as written (it summarises the files of its input), plus sample input for `app run`.
import { readFile } from "node:fs/promises";
import type { AppRuntime } from "../../apps/index.ts";

const WASI_EXAMPLE = new URL("../../../examples/apps/wasi-line-count/", import.meta.url);
const SAMPLE_DATASET = "ward,day,patient,heartRate\nicu,2030-03-01,icu-1,82\nicu,2030-03-01,icu-2,131\n";

export type ScaffoldFile = { path: string; content: string | Uint8Array };

export async function appScaffold(runtime: AppRuntime, name: string): Promise<ScaffoldFile[]> {
  const files = await runtimeFiles(runtime);
  const entrypoint = { node: "main.mjs", python: "main.py", wasi: "line-count.wasm" }[runtime];
  const manifest = {
    name,
    version: "0.1.0",
    description: runtime === "wasi" ? "Counts the lines of the dataset (WASI preview 1)." : "Summarises the files of its input: bytes and lines of each.",
    runtime,
    entrypoint,
    limits: { memoryMb: runtime === "wasi" ? 128 : 256, outputMb: 1 },
  };
  return [
    { path: "continuum.json", content: `${JSON.stringify(manifest, null, 2)}\n` },
    ...files,
    { path: "example-input/dataset", content: SAMPLE_DATASET },
  ];
}

async function runtimeFiles(runtime: AppRuntime): Promise<ScaffoldFile[]> {
  if (runtime === "node") return [{ path: "main.mjs", content: NODE_MAIN }];
  if (runtime === "python") return [{ path: "main.py", content: PYTHON_MAIN }, { path: "requirements.txt", content: REQUIREMENTS }];
  return [
    { path: "line-count.wasm", content: await readFile(new URL("line-count.wasm", WASI_EXAMPLE)) },
    { path: "line-count.wat", content: await readFile(new URL("line-count.wat", WASI_EXAMPLE), "utf8") },
  ];
}

const NODE_MAIN = `// Summarises every file of the input directory into summary.json in the output directory.
// The worker passes the directories as CONTINUUM_INPUT and CONTINUUM_OUTPUT (and --input/--output).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const input = process.env.CONTINUUM_INPUT;
const output = process.env.CONTINUUM_OUTPUT;
const files = readdirSync(input, { withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => {
    const text = readFileSync(join(input, entry.name), "utf8");
    return { name: entry.name, bytes: Buffer.byteLength(text), lines: text.split("\\n").filter((line) => line !== "").length };
  });
writeFileSync(join(output, "summary.json"), \`\${JSON.stringify({ files }, null, 2)}\\n\`);
`;

const PYTHON_MAIN = `# Summarises every file of the input directory into summary.json in the output directory.
# The worker passes the directories as CONTINUUM_INPUT and CONTINUUM_OUTPUT (and --input/--output).
# Pure-Python packages go under vendor/ (\`continuum app bundle --vendor-from\` fills it from requirements.txt);
# native ones (numpy, pandas) come from the worker's declared set: list them in continuum.json,
# e.g. "python": {"packages": {"numpy": "1.24.2"}}.
import json
import os

input_directory = os.environ["CONTINUUM_INPUT"]
output_directory = os.environ["CONTINUUM_OUTPUT"]
files = []
for name in sorted(os.listdir(input_directory)):
    path = os.path.join(input_directory, name)
    if os.path.isfile(path):
        with open(path, "rb") as source:
            data = source.read()
        files.append({"name": name, "bytes": len(data), "lines": len([line for line in data.split(b"\\n") if line])})
with open(os.path.join(output_directory, "summary.json"), "w", encoding="utf-8") as out:
    out.write(json.dumps({"files": files}, indent=2) + "\\n")
`;

const REQUIREMENTS = `# Pure-Python dependencies, pinned with hashes, e.g.
#   six==1.16.0 --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254
# \`continuum app bundle <dir> --vendor-from <folder of wheels or sdists>\` verifies and unpacks them into vendor/.
`;
