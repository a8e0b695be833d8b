// Puts a launch command inside the OS isolation available: `unshare -rn` for an empty network
// namespace, `prlimit` for a file size ceiling and no core dumps. Both exec the program, so the
// process id the runtime watches and kills is the app's own. No shell is involved.

export interface LaunchCommand {
  command: string;
  args: string[];
}

export interface WrapOptions {
  isolateNetwork: boolean;
  /** RLIMIT_FSIZE for every file the app writes, or undefined for none. */
  maxFileBytes: number | undefined;
}

export function wrapCommand(launch: LaunchCommand, options: WrapOptions): LaunchCommand {
  let wrapped = launch;
  if (options.maxFileBytes !== undefined) {
    wrapped = {
      command: "prlimit",
      args: ["--core=0", `--fsize=${options.maxFileBytes}`, "--", wrapped.command, ...wrapped.args],
    };
  }
  if (options.isolateNetwork) {
    wrapped = { command: "unshare", args: ["-rn", "--", wrapped.command, ...wrapped.args] };
  }
  return wrapped;
}
