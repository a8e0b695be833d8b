// Shared helpers for the enclave runtime tests: scratch directories, waiting for a process to be
// gone, and assertions on EnclaveError codes.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnclaveError, type EnclaveErrorCode } from "../../../enclave/index.ts";

export async function makeTempDir(prefix = "continuum-enclave-test-"): Promise<string> {
  return realpath(await mkdtemp(join(tmpdir(), prefix)));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

export async function makeDirs(root: string, ...names: string[]): Promise<string[]> {
  return Promise.all(
    names.map(async (name) => {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      return dir;
    }),
  );
}

/** Whether `pid` is a running process; a zombie waiting for its orphan reaper counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

export async function readPids(path: string): Promise<number[]> {
  return (await readFile(path, "utf8")).trim().split(/\s+/).map(Number);
}

export async function expectEnclaveError(action: Promise<unknown>, code: EnclaveErrorCode): Promise<EnclaveError> {
  let failure: unknown;
  try {
    await action;
  } catch (error) {
    failure = error;
  }
  expect(failure, `expected EnclaveError ${code}`).to.be.instanceOf(EnclaveError);
  expect((failure as EnclaveError).code, (failure as Error).message).to.equal(code);
  return failure as EnclaveError;
}
