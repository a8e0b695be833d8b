// The file operations the Gramine and configfs-tsm providers make on their attestation interface,
// as one small boundary: Node's file system in production; tests run the same operations on a
// temporary directory through a wrapper that plays the part of Gramine or the kernel.
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";

export interface AttestationFileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** One write of the whole buffer, as pseudo-files expect. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Creates one directory (not recursively): on configfs this creates a report entry. */
  mkdir(path: string): Promise<void>;
  /** Removes one directory: on configfs this removes the report entry with its attributes. */
  rmdir(path: string): Promise<void>;
}

export const nodeAttestationFileSystem: AttestationFileSystem = {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  writeFile: (path, data) => writeFile(path, data),
  mkdir: async (path) => {
    await mkdir(path);
  },
  rmdir: (path) => rmdir(path),
};
