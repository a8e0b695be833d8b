// Installs the Hardhat EDR native binding for this platform when npm skipped it.
// npm skips optional platform packages whose `engines` do not match the Node that runs npm
// (the system Node may be older than the project's pinned Node 22), which breaks Hardhat.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const modules = join(import.meta.dirname, "..", "..", "node_modules");

function platformSuffix() {
  const { platform, arch } = process;
  if (platform === "linux") {
    const glibc = process.report?.getReport()?.header?.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? "gnu" : "musl"}`;
  }
  if (platform === "win32") return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

const manifest = (name) => join(modules, name, "package.json");

// Hardhat absent (a production install): nothing to do.
if (!existsSync(manifest("@nomicfoundation/edr"))) process.exit(0);
const edrVersion = JSON.parse(readFileSync(manifest("@nomicfoundation/edr"), "utf8")).version;

const binding = `@nomicfoundation/edr-${platformSuffix()}`;
if (!existsSync(manifest(binding))) {
  console.log(`installing missing native binding ${binding}@${edrVersion}`);
  execFileSync("npm", ["install", "--no-save", "--ignore-scripts", `${binding}@${edrVersion}`], {
    stdio: "inherit",
  });
}
