// The `continuum` CLI run in-process as one of the devnet's roles (each with its own password-
// protected key file), exactly as typed in a terminal, with the --json output parsed: how the demo,
// the end-to-end tests and the end-to-end benchmark drive the real surfaces.
import { access, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../cli/main.ts";
import { ContinuumError } from "../core/ContinuumError.ts";
import { devnetPrivateKey } from "../devnet/devnetKeys.ts";

/** The devnet test accounts playing each role of the e-Health story. */
export const DEMO_ROLES = { appDeveloper: 1, hospital: 2, provider: 3, healthDepartment: 4 } as const;
/** The city's two data owners of the confidential-pipeline demo, on accounts the e-Health demo leaves free. */
export const CITY_DATA_OWNERS = { environmentDepartment: 5, mobilityDepartment: 6 } as const;
/** Every role that signs, with its devnet account. */
const ROLE_ACCOUNTS = { ...DEMO_ROLES, ...CITY_DATA_OWNERS } as const;
export type SigningRole = keyof typeof ROLE_ACCOUNTS;
export type DemoRole = SigningRole | "auditor";

/** Each role as the demo's output names it. */
export const DEMO_ROLE_NAMES: Readonly<Record<keyof typeof DEMO_ROLES, string>> = {
  appDeveloper: "app developer",
  hospital: "hospital",
  provider: "compute provider",
  healthDepartment: "health department",
};

/** Protects the roles' key files and result key: these are devnet test keys. */
export const DEMO_PASSWORD = "devnet demo password";

export type RoleCliOptions = {
  /** The devnet's data directory (deployment.json, IPFS blocks). */
  dataDir: string;
  marketUrl: string;
  smsUrl: string;
  /** Where key files live (under keys/) and relative paths resolve. */
  workDir: string;
};

export type RoleCli = {
  /** Runs `continuum --json <args>` as `role`; resolves to the parsed output, throws DEMO_STEP_FAILED on a non-zero exit. */
  json(role: DemoRole, args: readonly string[]): Promise<Record<string, any>>;
  /** Imports the role's devnet key into its key file (once). */
  importKey(role: SigningRole): Promise<void>;
};

export class DemoError extends ContinuumError {}

export function createRoleCli(options: RoleCliOptions): RoleCli {
  const keyFile = (role: DemoRole) => join(options.workDir, "keys", `${role}.json`);
  const env = {
    CONTINUUM_PASSWORD: DEMO_PASSWORD,
    CONTINUUM_MARKET_URL: options.marketUrl,
    CONTINUUM_SMS_URL: options.smsUrl,
    CONTINUUM_LOG_LEVEL: "silent",
  };
  async function run(role: DemoRole, args: readonly string[]): Promise<Record<string, any>> {
    let stdout = "";
    let stderr = "";
    const globals = ["--json", "--data-dir", options.dataDir, ...(role === "auditor" ? [] : ["--key-file", keyFile(role)])];
    const code = await runCli([...globals, ...args], {
      io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
      env,
      cwd: options.workDir,
    });
    if (code !== 0) {
      const reported = safeJson(stderr) as { error?: { code?: string; message?: string } } | undefined;
      throw new DemoError(
        "DEMO_STEP_FAILED",
        `\`continuum ${args.join(" ")}\` (${role}) failed: ${reported?.error?.message ?? stderr.trim()}`,
        { role, code: reported?.error?.code },
      );
    }
    return (safeJson(stdout) as Record<string, any>) ?? {};
  }
  return {
    json: run,
    async importKey(role: SigningRole): Promise<void> {
      if (await exists(keyFile(role))) return;
      await mkdir(join(options.workDir, "keys"), { recursive: true });
      const secretFile = join(options.workDir, "keys", `${role}.private`);
      await writeFile(secretFile, `${devnetPrivateKey(ROLE_ACCOUNTS[role])}\n`, { mode: 0o600 });
      try {
        // A cheaper key derivation than the default: these are the devnet's public test keys.
        await run(role, ["--scrypt-log-n", "14", "wallet", "import", "--private-key-file", secretFile, "--out", keyFile(role)]);
      } finally {
        await rm(secretFile, { force: true });
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

function safeJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    const last = trimmed.split("\n").at(-1)!;
    try {
      return JSON.parse(last);
    } catch {
      return undefined;
    }
  }
}
