// Runs Anvil (a native binary) as this Node process's child and ties their lives together: the
// devnet preloads exitWithParent.ts here, so when the devnet dies, even by SIGKILL, this process
// exits and takes Anvil with it; a SIGINT from the devnet is passed on and awaited.
import { spawn } from "node:child_process";

const [binary, ...args] = process.argv.slice(2);
const anvil = spawn(binary!, args, { stdio: ["ignore", "inherit", "inherit"] });
anvil.once("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 0 : 1)));
anvil.once("error", (error) => {
  process.stderr.write(`cannot run ${binary}: ${error.message}\n`);
  process.exit(1);
});
process.on("SIGINT", () => anvil.kill("SIGINT"));
process.on("SIGTERM", () => anvil.kill("SIGTERM"));
process.on("exit", () => {
  if (anvil.exitCode === null && anvil.signalCode === null) anvil.kill("SIGKILL");
});
