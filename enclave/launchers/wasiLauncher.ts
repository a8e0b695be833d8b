// The "wasi" runtime: Node's WASI preview 1 host (enclave/wasi/wasiHost.mjs) runs the module inside
// the bubblewrap sandbox, which holds only the Node executable, its shared libraries, the host
// script and the task's directories. node:wasi is experimental and, by its own documentation, no
// file system sandbox, hence the bubblewrap around it. Limits: wall-clock time (no fuel: node:wasi
// cannot meter instructions), the resident memory of the sandbox's processes, the V8 heap.
import { realpath } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { sharedLibraries, WASI_PROFILE } from "../../src/apps/index.ts";
import { bubblewrapCommand, type SandboxTools } from "../sandbox/bubblewrap.ts";
import { handOverAppDirectories } from "../sandbox/handOver.ts";
import { probeCommand } from "../sandbox/probeCommand.ts";
import { findSandboxTools } from "../sandbox/sandboxTools.ts";
import type { RuntimeLauncher } from "./RuntimeLauncher.ts";

const WASI_HOST = fileURLToPath(new URL("../wasi/wasiHost.mjs", import.meta.url));
/** Node's own threads (libuv pool, V8 workers) count against the process limit too. */
const NODE_THREADS = 24;
const PROBE_UID = 0x2fffe;

interface Ready {
  node: string;
  nodeFiles: string[];
  tools: SandboxTools;
}

export function wasiLauncher(nodePath: string): RuntimeLauncher {
  let ready: Ready | undefined;
  let probe: Promise<string | undefined> | undefined;
  const get = (): Ready => {
    if (ready === undefined) throw new Error("wasiLauncher: unavailableReason() must succeed before use");
    return ready;
  };
  return {
    confinement: "self",
    watchProcessTree: true,
    memoryExhaustedMarkers: ["JavaScript heap out of memory", "Reached heap limit", "Out of memory"],
    unavailableReason() {
      probe ??= (async () => {
        const tools = await findSandboxTools();
        if (typeof tools === "string") return tools;
        const node = await realpath(nodePath);
        const nodeFiles = [node, ...(await sharedLibraries([node])), WASI_HOST];
        const trial = bubblewrapCommand({
          tools,
          readOnlyPaths: nodeFiles,
          writablePaths: [],
          isolateNetwork: true,
          uid: PROBE_UID,
          workingDirectory: "/",
          limits: { maxProcesses: NODE_THREADS + 8 },
          program: node,
          args: ["-e", "require('node:wasi')"],
        });
        if (!(await probeCommand(trial.command, trial.args))) return `${node} with node:wasi does not start in the bubblewrap sandbox`;
        ready = { node, nodeFiles, tools };
        return undefined;
      })();
      return probe;
    },
    profile: () => WASI_PROFILE,
    prepare: handOverAppDirectories,
    command(request) {
      const { node, nodeFiles, tools } = get();
      const sandbox = request.sandbox!;
      return bubblewrapCommand({
        tools,
        readOnlyPaths: [...nodeFiles, request.bundleDirectory, request.inputDirectory, request.secretsDirectory],
        writablePaths: [request.outputDirectory],
        isolateNetwork: sandbox.isolateNetwork,
        uid: sandbox.uid,
        workingDirectory: request.outputDirectory,
        limits: { maxFileBytes: sandbox.maxFileBytes, maxProcesses: sandbox.maxProcesses + NODE_THREADS },
        program: node,
        args: [
          `--max-old-space-size=${request.memoryMb}`,
          "--disable-warning=ExperimentalWarning",
          WASI_HOST,
          request.entrypoint,
          request.bundleDirectory,
          request.inputDirectory,
          request.secretsDirectory,
          request.outputDirectory,
        ],
      });
    },
  };
}
