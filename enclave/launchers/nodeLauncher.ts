// The "node" runtime: the entrypoint runs under Node's permission model, which allows reading only
// the bundle, input, secrets and output directories, writing only the output directory, and refuses child
// processes, worker threads, native addons and the inspector. The V8 heap is capped at the budget.
import { NODE_PROFILE } from "../../src/apps/index.ts";
import { probeCommand } from "../sandbox/probeCommand.ts";
import type { LaunchRequest, RuntimeLauncher } from "./RuntimeLauncher.ts";

const permissionProbes = new Map<string, Promise<boolean>>();

export function nodeLauncher(nodePath: string): RuntimeLauncher {
  return {
    async unavailableReason() {
      let probe = permissionProbes.get(nodePath);
      if (probe === undefined) {
        probe = probeCommand(nodePath, ["--permission", "-e", "0"]);
        permissionProbes.set(nodePath, probe);
      }
      return (await probe) ? undefined : `${nodePath} does not support --permission (Node.js 22 or later is needed)`;
    },
    profile: () => NODE_PROFILE,
    command(request: LaunchRequest) {
      return {
        command: nodePath,
        args: [
          "--permission",
          `--allow-fs-read=${request.bundleDirectory}`,
          `--allow-fs-read=${request.inputDirectory}`,
          `--allow-fs-read=${request.secretsDirectory}`,
          `--allow-fs-read=${request.outputDirectory}`,
          `--allow-fs-write=${request.outputDirectory}`,
          `--max-old-space-size=${request.memoryMb}`,
          request.entrypoint,
          "--input",
          request.inputDirectory,
          "--output",
          request.outputDirectory,
        ],
      };
    },
  };
}
