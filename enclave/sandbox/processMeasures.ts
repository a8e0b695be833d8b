// Measurements the watchdog takes of a running app: its resident memory from /proc and the bytes
// it has written so far. Both tolerate the process or files vanishing under them.
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const VM_RSS = /^VmRSS:\s+(\d+)\s+kB/m;

/** Resident set size of `pid` in bytes, or undefined when it cannot be read. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const match = VM_RSS.exec(await readFile(`/proc/${pid}/status`, "utf8"));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Total size of the regular files under `directory`, stopping early once above `stopAbove`. */
export async function directoryBytes(directory: string, stopAbove = Infinity): Promise<number> {
  let total = 0;
  const pending = [directory];
  while (pending.length > 0 && total <= stopAbove) {
    const current = pending.pop() as string;
    let names: string[];
    try {
      names = await readdir(current);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(current, name);
      const stats = await lstat(path).catch(() => undefined);
      if (stats?.isDirectory()) pending.push(path);
      else if (stats?.isFile()) total += stats.size;
    }
  }
  return total;
}
