// Which OS isolation mechanisms work here, probed once per Node executable: an empty network
// namespace (`unshare -rn`), resource limits (`prlimit`), and /proc for watching resident memory.
import { readFile } from "node:fs/promises";
import { probeCommand } from "./probeCommand.ts";

export interface SandboxCapabilities {
  /** `unshare -rn` starts programs in a new user and network namespace with no interfaces up. */
  networkNamespace: boolean;
  /** `prlimit` sets per-process limits (file size, core dumps) before the program starts. */
  resourceLimits: boolean;
  /** /proc/<pid>/status is readable, so resident memory can be watched. */
  residentMemoryWatch: boolean;
}

const probes = new Map<string, Promise<SandboxCapabilities>>();

/** Probes with `nodePath -e 0` as the program, so a capability means it works for that Node. */
export function probeSandboxCapabilities(nodePath: string): Promise<SandboxCapabilities> {
  let probe = probes.get(nodePath);
  if (probe === undefined) {
    probe = probeAll(nodePath);
    probes.set(nodePath, probe);
  }
  return probe;
}

async function probeAll(nodePath: string): Promise<SandboxCapabilities> {
  const program = [nodePath, "-e", "0"];
  const [networkNamespace, resourceLimits, residentMemoryWatch] = await Promise.all([
    process.platform === "linux" ? probeCommand("unshare", ["-rn", "--", ...program]) : false,
    process.platform === "linux" ? probeCommand("prlimit", ["--core=0", "--fsize=1048576", "--", ...program]) : false,
    readFile("/proc/self/status", "utf8").then(
      (status) => /^VmRSS:/m.test(status),
      () => false,
    ),
  ]);
  return { networkNamespace, resourceLimits, residentMemoryWatch };
}
