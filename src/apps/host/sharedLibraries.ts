// The shared libraries programs load, by the path the dynamic loader finds each at (as `ldd`
// reports it), so a sandbox can expose exactly those files and nothing else of the host.
import { execFile } from "node:child_process";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const LDD_TIMEOUT_MS = 60_000;
const SHARED_OBJECT = /\.so(\.|$)/;

/** Libraries loaded by `executables` and by every shared object under `roots` (files or directories). */
export async function sharedLibraries(executables: readonly string[], roots: readonly string[] = []): Promise<string[]> {
  const objects = [...executables];
  for (const root of roots) await collectSharedObjects(root, objects);
  const { stdout } = await run("ldd", objects, { env: {}, timeout: LDD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }).catch(
    // ldd exits non-zero when one of many files is not dynamic; the others are still listed.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
  );
  const libraries = new Set<string>();
  for (const match of stdout.matchAll(/(?:=>\s+|^\s+)(\/\S+)\s+\(0x/gm)) libraries.add(match[1]!);
  return [...libraries].sort();
}

async function collectSharedObjects(path: string, into: string[]): Promise<void> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isFile() && SHARED_OBJECT.test(path)) into.push(path);
  if (!stats?.isDirectory()) return;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await collectSharedObjects(child, into);
    else if (entry.isFile() && SHARED_OBJECT.test(entry.name)) into.push(child);
  }
}
