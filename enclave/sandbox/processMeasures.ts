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

/** Resident set size of `pid` and all its descendants in bytes, or undefined when `pid` cannot be read. */
export async function treeResidentBytes(pid: number): Promise<number | undefined> {
  const children = new Map<number, number[]>();
  for (const name of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const parent = await parentOf(Number(name));
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const own = await residentBytes(pid);
  if (own === undefined) return undefined;
  let total = own;
  const pending = [...(children.get(pid) ?? [])];
  while (pending.length > 0) {
    const next = pending.pop() as number;
    total += (await residentBytes(next)) ?? 0;
    pending.push(...(children.get(next) ?? []));
  }
  return total;
}

async function parentOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
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
