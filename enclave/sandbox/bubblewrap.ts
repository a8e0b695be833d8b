// The bubblewrap sandbox of the python and wasi runtimes, as one command line: `prlimit` sets the
// limits every process inherits (file size, address space, processes), `bwrap` builds an empty
// root holding only the granted paths (read-only, except the output directory) in new PID, IPC,
// UTS and network namespaces, and `setpriv` drops from root to the task's own unprivileged uid with
// no capabilities and no_new_privs before the program starts. Processes count against
// RLIMIT_NPROC only once the uid is not root, hence the drop to a uid of the task's own.
import type { LaunchCommand } from "./wrapCommand.ts";

export interface SandboxTools {
  bwrap: string;
  setpriv: string;
  prlimit: string;
  /** Files setpriv needs inside the sandbox: itself and its shared libraries. */
  setprivFiles: readonly string[];
}

export interface BubblewrapSpec {
  tools: SandboxTools;
  /** Host paths bound read-only at the same place. */
  readOnlyPaths: readonly string[];
  /** Host paths bound read-write at the same place. */
  writablePaths: readonly string[];
  /** Directories inside read-only paths replaced by an empty read-only directory. */
  hiddenPaths?: readonly string[];
  isolateNetwork: boolean;
  /** The unprivileged uid (and gid) the program runs as. */
  uid: number;
  workingDirectory: string;
  limits: { maxFileBytes?: number; maxProcesses: number; addressSpaceBytes?: number };
  program: string;
  args: readonly string[];
}

export function bubblewrapCommand(spec: BubblewrapSpec): LaunchCommand {
  const granted = [...spec.tools.setprivFiles, ...spec.readOnlyPaths, ...spec.writablePaths];
  const args = [
    "--core=0",
    `--nproc=${spec.limits.maxProcesses}`,
    ...(spec.limits.maxFileBytes === undefined ? [] : [`--fsize=${spec.limits.maxFileBytes}`]),
    ...(spec.limits.addressSpaceBytes === undefined ? [] : [`--as=${spec.limits.addressSpaceBytes}`]),
    "--",
    spec.tools.bwrap,
    "--die-with-parent",
    "--new-session",
    "--unshare-ipc",
    "--unshare-pid",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(spec.isolateNetwork ? ["--unshare-net"] : []),
    "--hostname",
    "continuum-app",
    ...parentDirectories(granted).flatMap((directory) => ["--perms", "0755", "--dir", directory]),
    ...[...spec.tools.setprivFiles, ...spec.readOnlyPaths].flatMap((path) => ["--ro-bind", path, path]),
    ...spec.writablePaths.flatMap((path) => ["--bind", path, path]),
    ...(spec.hiddenPaths ?? []).flatMap((path) => ["--perms", "0755", "--tmpfs", path, "--remount-ro", path]),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--remount-ro",
    "/dev",
    "--chdir",
    spec.workingDirectory,
    "--cap-add",
    "CAP_SETUID,CAP_SETGID",
    "--",
    spec.tools.setpriv,
    `--reuid=${spec.uid}`,
    `--regid=${spec.uid}`,
    "--clear-groups",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--no-new-privs",
    "--",
    spec.program,
    ...spec.args,
  ];
  return { command: spec.tools.prlimit, args };
}

/** Every directory above a granted path that is not itself granted, shallowest first. */
function parentDirectories(paths: readonly string[]): string[] {
  const granted = new Set(paths);
  const parents = new Set<string>();
  for (const path of paths) {
    const segments = path.split("/").filter((segment) => segment !== "");
    for (let end = 1; end < segments.length; end += 1) {
      const parent = `/${segments.slice(0, end).join("/")}`;
      if (!granted.has(parent)) parents.add(parent);
    }
  }
  return [...parents].sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : 1));
}
