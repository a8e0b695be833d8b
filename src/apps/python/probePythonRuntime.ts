// Learns, once per interpreter and declared package set, everything the python runtime needs: the
// profile that app measurements bind to (interpreter identity, each declared package's version and
// files digest) and the read-only paths the sandbox must expose for that interpreter and those
// packages to work (the executable, the standard library, the packages, and each shared library
// they load, as `ldd` resolves it).
import { execFile } from "node:child_process";
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { sharedLibraries } from "../host/sharedLibraries.ts";
import { normalizePackageName } from "../manifest.ts";
import { PYTHON_SANDBOX, type DeclaredPackage, type PythonProfile } from "../measurement/runtimeProfile.ts";
import { sha256Hex } from "../measurement/sha256Hex.ts";
import { fileSha256, treeDigest } from "../measurement/treeDigest.ts";
import { PYTHON_IDENTITY_SCRIPT } from "./pythonIdentityScript.ts";
import { RuntimeProfileError } from "./RuntimeProfileError.ts";

const run = promisify(execFile);
const PROBE_TIMEOUT_MS = 60_000;

export interface PythonRuntimeOptions {
  /** Path of the Python 3 interpreter (links are resolved). */
  interpreter: string;
  /** The declared native package set: distribution name to exact version. */
  packages?: Readonly<Record<string, string>>;
}

export interface PythonRuntime {
  profile: PythonProfile;
  /** The interpreter's real executable path. */
  executable: string;
  /** Paths the sandbox binds read-only at the same place (a library link binds its target's bytes), parents first. */
  readOnlyPaths: string[];
  /** Package directories inside the standard library (site-packages, dist-packages) the sandbox hides. */
  hiddenPaths: string[];
  /** Top-level module names of the declared packages, imported once to prove the set is usable. */
  importNames: string[];
}

/** Directories under the standard library that hold installed packages rather than the library. */
const STDLIB_PACKAGE_DIRECTORIES = ["site-packages", "dist-packages"];

const probes = new Map<string, Promise<PythonRuntime>>();

/** Probes (once per process for the same options) the interpreter and its declared packages. */
export function probePythonRuntime(options: PythonRuntimeOptions): Promise<PythonRuntime> {
  const packages = Object.fromEntries(
    Object.entries(options.packages ?? {}).map(([name, version]) => [normalizePackageName(name), version] as const).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const key = JSON.stringify([options.interpreter, packages]);
  let probe = probes.get(key);
  if (probe === undefined) {
    probe = probe_(options.interpreter, packages);
    probes.set(key, probe);
    probe.catch(() => probes.delete(key));
  }
  return probe;
}

interface Identity {
  implementation: string;
  version: string;
  executable: string;
  stdlib: string;
  packages: Record<string, { version: string; roots: string[]; imports: string[] } | null>;
}

async function probe_(interpreter: string, declared: Record<string, string>): Promise<PythonRuntime> {
  const identity = await identify(interpreter, declared);
  const packages: DeclaredPackage[] = [];
  const packageRoots: string[] = [];
  const importNames: string[] = [];
  for (const [name, version] of Object.entries(declared)) {
    const found = identity.packages[name];
    if (found === null || found === undefined || found.version !== version) {
      throw new RuntimeProfileError(
        "DECLARED_PACKAGE_MISSING",
        `The declared package ${name}==${version} is ${found ? `installed at version ${found.version}` : "not installed"} for ${identity.executable}.`,
        { name, declared: version, installed: found?.version ?? null },
      );
    }
    packages.push({ name, version, filesSha256: await packageDigest(found.roots) });
    packageRoots.push(...found.roots);
    importNames.push(...found.imports);
  }
  const [executableSha256, stdlibSha256] = await Promise.all([
    fileSha256(identity.executable).then((hex) => `0x${hex}` as const),
    treeDigest(identity.stdlib, { skipDirectories: STDLIB_PACKAGE_DIRECTORIES }),
  ]);
  const libraries = await sharedLibraries([identity.executable], [identity.stdlib, ...packageRoots]);
  const profile: PythonProfile = {
    runtime: "python",
    sandbox: PYTHON_SANDBOX,
    interpreter: {
      implementation: identity.implementation,
      version: identity.version,
      executableSha256,
      stdlibSha256,
      librariesSha256: await librariesDigest(libraries),
    },
    packages,
  };
  const readOnlyPaths = [...new Set([identity.executable, identity.stdlib, ...packageRoots, ...libraries])].sort((a, b) => a.length - b.length);
  const hiddenPaths: string[] = [];
  for (const name of STDLIB_PACKAGE_DIRECTORIES) {
    const path = join(identity.stdlib, name);
    if ((await lstat(path).catch(() => undefined))?.isDirectory()) hiddenPaths.push(path);
  }
  return { profile, executable: identity.executable, readOnlyPaths, hiddenPaths, importNames };
}

async function identify(interpreter: string, declared: Record<string, string>): Promise<Identity> {
  try {
    const { stdout } = await run(interpreter, ["-I", "-c", PYTHON_IDENTITY_SCRIPT, JSON.stringify(Object.keys(declared))], {
      env: {},
      timeout: PROBE_TIMEOUT_MS,
      windowsHide: true,
    });
    const identity = JSON.parse(stdout) as Identity;
    if (!identity.version?.startsWith("3.")) throw new Error(`not Python 3: ${identity.version}`);
    return identity;
  } catch (cause) {
    throw new RuntimeProfileError("INTERPRETER_UNAVAILABLE", `The Python interpreter ${interpreter} could not be probed.`, { interpreter }, { cause });
  }
}

/** sha256 over "<root>\0<tree digest>\n" lines of a distribution's roots, sorted by path. */
async function packageDigest(roots: readonly string[]): Promise<`0x${string}`> {
  const lines = await Promise.all([...roots].sort().map(async (root) => `${root}\0${await treeDigest(root)}\n`));
  return sha256Hex(lines.join(""));
}

/** sha256 over "<path>\0<sha256 hex>\n" lines of the libraries, sorted by path. */
async function librariesDigest(libraries: readonly string[]): Promise<`0x${string}`> {
  const lines = await Promise.all([...libraries].sort().map(async (path) => `${path}\0${await fileSha256(path)}\n`));
  return sha256Hex(lines.join(""));
}
