#!/usr/bin/env node
// The `continuum` command: run with `node bin/continuum.ts <command>` (Node 22 strips the types).
import { enableCompileCache } from "node:module";

// Caches compiled modules on disk (Node's own cache under the OS temp folder), halving start-up
// time; the CLI is imported after this call so its modules use the cache.
enableCompileCache();
const { runCli } = await import("../src/cli/main.ts");
const { SERVICE_COMMANDS } = await import("../src/serve/index.ts");

process.exitCode = await runCli(process.argv.slice(2), {
  io: { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
  env: process.env,
  cwd: process.cwd(),
}, SERVICE_COMMANDS);
