// Finds, once per process, the programs the bubblewrap sandbox is made of (bwrap, setpriv,
// prlimit) and the files setpriv needs inside it; undefined names what is missing.
import { access, constants, realpath } from "node:fs/promises";
import { join } from "node:path";
import { sharedLibraries } from "../../src/apps/index.ts";
import type { SandboxTools } from "./bubblewrap.ts";

const SEARCH_PATH = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];
let tools: Promise<SandboxTools | string> | undefined;

/** The sandbox's tools, or why they are not usable here. */
export function findSandboxTools(): Promise<SandboxTools | string> {
  tools ??= locateAll();
  return tools;
}

async function locateAll(): Promise<SandboxTools | string> {
  if (process.platform !== "linux") return "the bubblewrap sandbox needs Linux";
  if (process.getuid?.() !== 0) return "the bubblewrap sandbox drops each app to a uid of its own, which needs the worker to run as root";
  const [bwrap, setpriv, prlimit] = await Promise.all(["bwrap", "setpriv", "prlimit"].map(locate));
  if (bwrap === undefined) return "bwrap (bubblewrap) is not installed: apt-get install bubblewrap";
  if (setpriv === undefined || prlimit === undefined) return "setpriv and prlimit (util-linux) are not installed";
  return { bwrap, setpriv, prlimit, setprivFiles: [setpriv, ...(await sharedLibraries([setpriv]))] };
}

async function locate(name: string): Promise<string | undefined> {
  for (const directory of SEARCH_PATH) {
    const path = join(directory, name);
    try {
      await access(path, constants.X_OK);
      return await realpath(path);
    } catch {
      continue;
    }
  }
  return undefined;
}
