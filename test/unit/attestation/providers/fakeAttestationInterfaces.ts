// Temporary directories laid out like Gramine's /dev/attestation and the kernel's configfs-tsm
// report directory, with the file system the providers use wrapped so that it answers as Gramine
// and the kernel do: every operation is the provider's own, made on real files; the wrapper only
// adds what the other side does in reaction (a quote when one is read, attribute files in a new
// report entry, the generation counting writes).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { nodeAttestationFileSystem, type AttestationFileSystem } from "../../../../src/attestation/providers/attestationFileSystem.ts";

export type QuoteFor = (reportData: Uint8Array) => Uint8Array;

/** Lays out Gramine's attestation files in `directory`; its `quote` answers the current user_report_data. */
export async function gramineInterface(
  directory: string,
  options: { attestationType?: string; quoteFor: QuoteFor },
): Promise<{ fileSystem: AttestationFileSystem; operations: string[] }> {
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, "attestation_type"), options.attestationType ?? "dcap");
  await writeFile(join(directory, "user_report_data"), new Uint8Array(64));
  await writeFile(join(directory, "target_info"), new Uint8Array(512));
  await writeFile(join(directory, "my_target_info"), new Uint8Array(512));
  await writeFile(join(directory, "report"), new Uint8Array(432));
  await writeFile(join(directory, "quote"), new Uint8Array(0));
  const operations: string[] = [];
  const fileSystem: AttestationFileSystem = {
    ...nodeAttestationFileSystem,
    readFile: async (path) => {
      operations.push(`read ${basename(path)}`);
      if (basename(path) === "quote") {
        const reportData = await readFile(join(directory, "user_report_data"));
        await writeFile(path, options.quoteFor(new Uint8Array(reportData)));
      }
      return nodeAttestationFileSystem.readFile(path);
    },
    writeFile: async (path, data) => {
      operations.push(`write ${basename(path)}`);
      await nodeAttestationFileSystem.writeFile(path, data);
    },
  };
  return { fileSystem, operations };
}

export interface ConfigfsOptions {
  provider?: string;
  quoteFor: QuoteFor;
  /** Runs as another process would, right before the kernel answers a read of `attribute`. */
  intruder?: { before: "outblob" | "generation"; act: (entry: string) => Promise<void> };
}

/**
 * Emulates configfs-tsm under `reportDirectory`: mkdir makes an entry with provider, generation,
 * inblob, outblob (and the optional attributes), each inblob write bumps the generation, reading
 * outblob produces the quote for inblob, rmdir removes the entry with its attributes.
 */
export function configfsInterface(reportDirectory: string, options: ConfigfsOptions): { fileSystem: AttestationFileSystem; operations: string[] } {
  const operations: string[] = [];
  let intruded = false;
  const bumpGeneration = async (entry: string): Promise<void> => {
    const generation = Number((await readFile(join(entry, "generation"), "utf8")).trim());
    await writeFile(join(entry, "generation"), `${generation + 1}\n`);
  };
  const fileSystem: AttestationFileSystem = {
    mkdir: async (path) => {
      operations.push(`mkdir ${dirname(path) === reportDirectory ? "<entry>" : path}`);
      await nodeAttestationFileSystem.mkdir(path);
      await writeFile(join(path, "provider"), `${options.provider ?? "tdx_guest"}\n`);
      await writeFile(join(path, "generation"), "0\n");
      for (const attribute of ["inblob", "outblob", "auxblob"]) await writeFile(join(path, attribute), new Uint8Array(0));
      await writeFile(join(path, "privlevel"), "0\n");
      await writeFile(join(path, "privlevel_floor"), "0\n");
    },
    writeFile: async (path, data) => {
      operations.push(`write ${basename(path)}`);
      await nodeAttestationFileSystem.writeFile(path, data);
      if (basename(path) === "inblob") await bumpGeneration(dirname(path));
    },
    readFile: async (path) => {
      const entry = dirname(path);
      const attribute = basename(path);
      operations.push(`read ${attribute}`);
      if (options.intruder && !intruded && options.intruder.before === attribute && (await readFile(join(entry, "inblob"))).length > 0) {
        intruded = true;
        await options.intruder.act(entry);
      }
      if (attribute === "outblob") await writeFile(path, options.quoteFor(new Uint8Array(await readFile(join(entry, "inblob")))));
      return nodeAttestationFileSystem.readFile(path);
    },
    rmdir: async (path) => {
      operations.push("rmdir <entry>");
      await rm(path, { recursive: true });
    },
  };
  return { fileSystem, operations };
}

/** Another process writing its own report data to the entry: the kernel bumps the generation. */
export async function writeForeignInblob(entry: string): Promise<void> {
  await writeFile(join(entry, "inblob"), new Uint8Array(64).fill(0xee));
  const generation = Number((await readFile(join(entry, "generation"), "utf8")).trim());
  await writeFile(join(entry, "generation"), `${generation + 1}\n`);
}
