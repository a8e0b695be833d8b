// Shared helpers for the bundle and archive tests: scratch directories, writing a file tree, and a
// minimal valid manifest.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export async function makeTempDir(prefix = "continuum-apps-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

export type FileTree = Record<string, string | { content: string; mode: number }>;

/** Writes `files` (relative path to content) under `root`, in the order given. */
export async function writeTree(root: string, files: FileTree): Promise<void> {
  for (const [path, spec] of Object.entries(files)) {
    const target = join(root, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    const content = typeof spec === "string" ? spec : spec.content;
    await writeFile(target, content);
    if (typeof spec !== "string") await chmod(target, spec.mode);
  }
}

export const MINIMAL_MANIFEST = {
  name: "hello",
  version: "1.0.0",
  description: "Writes a greeting.",
  runtime: "node",
  entrypoint: "main.mjs",
};
