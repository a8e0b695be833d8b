// Gives a sandboxed app's directories to the uid it runs as, so it can read its bundle, input and
// secrets and write its output although it is not root. The mounts, not these modes, make all but
// the output directory read-only; the task's scratch directory stays root's and closed (0700).
import { randomInt } from "node:crypto";
import { lchown, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { LaunchRequest } from "../launchers/RuntimeLauncher.ts";

/** Sandbox uids are drawn at random from this range, one per task, so tasks never share a process budget. */
export const SANDBOX_UID_FIRST = 0x30000;
export const SANDBOX_UID_COUNT = 0x10000;

export function sandboxUid(): number {
  return randomInt(SANDBOX_UID_FIRST, SANDBOX_UID_FIRST + SANDBOX_UID_COUNT);
}

/** chown -R `directory` to uid:uid, never following links. */
export async function handOver(directory: string, uid: number): Promise<void> {
  await lchown(directory, uid, uid);
  const stats = await lstat(directory);
  if (!stats.isDirectory()) return;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await handOver(path, uid);
    else await lchown(path, uid, uid);
  }
}

/** Gives the bundle, input, secrets and output directories of a launch to its sandbox uid. */
export async function handOverAppDirectories(request: LaunchRequest): Promise<void> {
  const uid = request.sandbox!.uid;
  for (const directory of [request.bundleDirectory, request.inputDirectory, request.secretsDirectory, request.outputDirectory]) {
    await handOver(directory, uid);
  }
}
