// Runs a short probe command without a shell and tells whether it exited cleanly in time; used to
// discover, once per process, which isolation mechanisms this machine offers.
import { execFile } from "node:child_process";

const PROBE_TIMEOUT_MS = 10_000;

export function probeCommand(command: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: PROBE_TIMEOUT_MS, env: {}, windowsHide: true }, (error) => resolve(error === null));
  });
}
