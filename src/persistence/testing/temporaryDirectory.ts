// A fresh directory under the OS temp folder for one test's PGlite database, removed afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type TemporaryDirectory = { path: string; remove(): Promise<void> };

export async function createTemporaryDirectory(prefix = "continuum-test-"): Promise<TemporaryDirectory> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
