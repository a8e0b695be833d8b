// Hands the app its released secrets as files it may read: <secrets>/app/<name> and
// <secrets>/requester/<name>, raw bytes, mode 0600. Files rather than environment variables, because
// secrets are bytes and the environment is text. The copies in memory are zeroed once written.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EnclaveError } from "./EnclaveError.ts";
import type { ReleasedSecrets } from "./SecretsClient.ts";

/** The names the SMS accepts for app and requester secrets; always a safe single file name. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function provisionSecrets(secrets: ReleasedSecrets, directory: string): Promise<void> {
  const groups: [string, Record<string, Uint8Array> | undefined][] = [
    ["app", secrets.appSecrets],
    ["requester", secrets.requesterSecrets],
  ];
  for (const [group, named] of groups) {
    const groupDirectory = join(directory, group);
    await mkdir(groupDirectory, { mode: 0o700 });
    for (const [name, value] of Object.entries(named ?? {})) {
      if (!SECRET_NAME.test(name)) {
        throw new EnclaveError("SMS_UNAVAILABLE", "The SMS released a secret under a name that is not a safe file name.", {
          reason: "BAD_SECRET_NAME",
        });
      }
      await writeFile(join(groupDirectory, name), value, { mode: 0o600, flag: "wx" });
    }
  }
}

/** Overwrites every released secret in memory. */
export function wipeSecrets(secrets: ReleasedSecrets): void {
  secrets.datasetKey?.fill(0);
  for (const named of [secrets.appSecrets, secrets.requesterSecrets]) {
    for (const value of Object.values(named ?? {})) value.fill(0);
  }
  for (const input of secrets.stageKeys?.inputs ?? []) input.key.fill(0);
}
