// The "python" runtime: the worker's CPython runs the entrypoint inside the bubblewrap sandbox
// (sandbox/bubblewrap.ts), which holds only the interpreter, its standard library and shared
// libraries, the declared native packages, and the task's directories. Python starts isolated (-I:
// no environment, no user site) and never reads or writes byte-code caches (-B, and a
// pycache_prefix that does not exist), so what runs is exactly what the profile hashed. The
// memory budget is the address space limit: an allocation past it raises MemoryError.
import {
  checkPackageRequirements,
  probePythonRuntime,
  type PythonRuntime,
  type PythonRuntimeOptions,
} from "../../src/apps/index.ts";
import { isContinuumError } from "../../src/core/ContinuumError.ts";
import { bubblewrapCommand, type SandboxTools } from "../sandbox/bubblewrap.ts";
import { handOverAppDirectories } from "../sandbox/handOver.ts";
import { findSandboxTools } from "../sandbox/sandboxTools.ts";
import { probeCommand } from "../sandbox/probeCommand.ts";
import type { LaunchRequest, RuntimeLauncher } from "./RuntimeLauncher.ts";

const MIB = 1024 * 1024;
/** Where Python would look for byte-code caches: a path that exists nowhere in the sandbox. */
const NO_PYCACHE = "/nonexistent/continuum-pycache";
/** How the entrypoint is started: its directory and the bundle's vendor/ first on sys.path. */
const BOOTSTRAP = [
  "import os, runpy, sys",
  "bundle, entrypoint = sys.argv[1], sys.argv[2]",
  "sys.argv = [entrypoint] + sys.argv[3:]",
  "sys.path[0:0] = [os.path.dirname(entrypoint), os.path.join(bundle, 'vendor')]",
  "runpy.run_path(entrypoint, run_name='__main__')",
].join("\n");
const PROBE_UID = 0x2ffff;

interface Ready {
  runtime: PythonRuntime;
  tools: SandboxTools;
}

export function pythonLauncher(options: PythonRuntimeOptions): RuntimeLauncher {
  let ready: Ready | undefined;
  let probe: Promise<string | undefined> | undefined;
  const get = (): Ready => {
    if (ready === undefined) throw new Error("pythonLauncher: unavailableReason() must succeed before use");
    return ready;
  };
  const command = (request: LaunchRequest, state: Ready) => {
    const sandbox = request.sandbox!;
    return bubblewrapCommand({
      tools: state.tools,
      readOnlyPaths: [...state.runtime.readOnlyPaths, request.bundleDirectory, request.inputDirectory, request.secretsDirectory],
      writablePaths: [request.outputDirectory],
      hiddenPaths: state.runtime.hiddenPaths,
      isolateNetwork: sandbox.isolateNetwork,
      uid: sandbox.uid,
      workingDirectory: request.outputDirectory,
      limits: { maxFileBytes: sandbox.maxFileBytes, maxProcesses: sandbox.maxProcesses, addressSpaceBytes: request.memoryMb * MIB },
      program: state.runtime.executable,
      args: ["-I", "-B", "-X", `pycache_prefix=${NO_PYCACHE}`, "-c", BOOTSTRAP, request.bundleDirectory, request.entrypoint,
        "--input", request.inputDirectory, "--output", request.outputDirectory],
    });
  };
  return {
    confinement: "self",
    watchProcessTree: true,
    memoryExhaustedMarkers: ["MemoryError"],
    // One thread per native math library: threads count against the process limit.
    environment: { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
    unavailableReason() {
      probe ??= (async () => {
        const tools = await findSandboxTools();
        if (typeof tools === "string") return tools;
        let runtime: PythonRuntime;
        try {
          runtime = await probePythonRuntime(options);
        } catch (error) {
          if (isContinuumError(error)) return error.message;
          throw error;
        }
        // The declared packages must import inside the sandbox, or the set is not what it claims.
        const trial = bubblewrapCommand({
          tools,
          readOnlyPaths: runtime.readOnlyPaths,
          writablePaths: [],
          hiddenPaths: runtime.hiddenPaths,
          isolateNetwork: true,
          uid: PROBE_UID,
          workingDirectory: "/",
          limits: { maxProcesses: 64 },
          program: runtime.executable,
          args: ["-I", "-B", "-X", `pycache_prefix=${NO_PYCACHE}`, "-c", `import ${["sys", ...runtime.importNames].join(", ")}`],
        });
        if (!(await probeCommand(trial.command, trial.args))) {
          return `${runtime.executable} with the declared packages (${runtime.importNames.join(", ") || "none"}) does not start in the bubblewrap sandbox`;
        }
        ready = { runtime, tools };
        return undefined;
      })();
      return probe;
    },
    profile: () => get().runtime.profile,
    unmetRequirement(manifest) {
      try {
        checkPackageRequirements(manifest, get().runtime.profile);
        return undefined;
      } catch (error) {
        if (isContinuumError(error)) return error.message;
        throw error;
      }
    },
    prepare: handOverAppDirectories,
    command: (request) => command(request, get()),
  };
}
