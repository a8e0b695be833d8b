// Where a key file's password comes from: `--password-file` (first line of the file) or the
// CONTINUUM_PASSWORD variable. The password is returned to the caller only, never printed or logged.
import { readFile } from "node:fs/promises";
import { CliError, UsageError } from "./errors.ts";

export const PASSWORD_VARIABLE = "CONTINUUM_PASSWORD";

export type PasswordSource = { passwordFile?: string; environmentPassword?: string };

export async function readPassword(source: PasswordSource): Promise<string> {
  if (source.passwordFile !== undefined) return readPasswordFile(source.passwordFile);
  if (source.environmentPassword !== undefined && source.environmentPassword !== "") return source.environmentPassword;
  throw new UsageError(
    "PASSWORD_REQUIRED",
    `This command needs the key file's password: set ${PASSWORD_VARIABLE} or pass --password-file <file>`,
  );
}

async function readPasswordFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new CliError("PASSWORD_FILE_UNREADABLE", "Cannot read the password file", { path }, { cause });
  }
  // Editors and `echo` end the file with a newline that is not part of the password.
  const password = text.replace(/\r?\n$/, "");
  if (password === "") throw new UsageError("PASSWORD_REQUIRED", "The password file is empty", { path });
  return password;
}
