// The devnet chain's journal: <dataDir>/chain/journal.ndjson, one JSON line per state-changing
// call in the order the node executed it. Each line is appended and fsynced before the caller
// hears back, so whatever a client saw succeed survives a crash; a line torn by a crash is dropped.
import { mkdir, open, readFile, truncate, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { ChainJournalError } from "./ChainJournalError.ts";

const hash = z.string().regex(/^0x[0-9a-f]{64}$/);
const blockNumberField = z.number().int().nonnegative();

const genesisSchema = z.strictObject({
  kind: z.literal("genesis"),
  version: z.literal(1),
  /** The node's `initialDate` (ISO, whole seconds): genesis timestamp, and so genesis hash, follow from it. */
  initialDate: z.string(),
  chainId: z.number().int().positive(),
  hash,
  /** The node that recorded the chain (a journal replays on that node only); absent in Hardhat journals written before Anvil. */
  node: z.enum(["hardhat", "anvil"]).optional(),
});

const callSchema = z.strictObject({
  kind: z.literal("call"),
  seq: z.number().int().positive(),
  method: z.string(),
  params: z.array(z.unknown()),
  /** False when the node answered with an error yet still mined (a reverted transaction). */
  ok: z.boolean(),
  /** Head block number after the call. */
  head: blockNumberField,
  /** Blocks the call mined: the first one's timestamp (pinned on replay), the last one's hash (checked). */
  blocks: z
    .strictObject({
      first: blockNumberField,
      firstTimestamp: z.number().int().nonnegative(),
      last: blockNumberField,
      lastHash: hash,
    })
    .optional(),
});

export type GenesisRecord = z.infer<typeof genesisSchema>;
export type JournalCall = z.infer<typeof callSchema>;
export type ChainJournalContents = { genesis: GenesisRecord; calls: JournalCall[] };

/**
 * Reads a journal, or returns undefined when there is none (or it never got past its header).
 * An unterminated last line is a write a crash interrupted: it is cut off the file and ignored.
 */
export async function readChainJournal(path: string): Promise<ChainJournalContents | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  if (complete.length < text.length) await truncate(path, Buffer.byteLength(complete));
  const lines = complete.split("\n").filter((line) => line.length > 0);
  if (lines.length === 0) return undefined;
  const genesis = parseLine(path, lines[0], 1, genesisSchema);
  const calls = lines.slice(1).map((line, index) => parseLine(path, line, index + 2, callSchema));
  calls.forEach((call, index) => {
    if (call.seq !== index + 1) {
      throw new ChainJournalError("CHAIN_JOURNAL_CORRUPT", `journal line ${index + 2} has sequence ${call.seq}, expected ${index + 1}`, { path, line: index + 2 });
    }
  });
  return { genesis, calls };
}

function parseLine<T>(path: string, line: string, lineNumber: number, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(line));
  } catch (error) {
    throw new ChainJournalError("CHAIN_JOURNAL_CORRUPT", `journal line ${lineNumber} of ${path} is not a valid entry`, { path, line: lineNumber }, { cause: error });
  }
}

/** Appends entries durably: each `append` resolves once its line is on disk. */
export class ChainJournalWriter {
  private readonly file: FileHandle;
  private seq: number;

  private constructor(file: FileHandle, lastSeq: number) {
    this.file = file;
    this.seq = lastSeq;
  }

  /** Opens a journal holding `genesis` and `lastSeq` calls already (both read back or just written). */
  static async open(path: string, lastSeq: number): Promise<ChainJournalWriter> {
    return new ChainJournalWriter(await open(path, "a"), lastSeq);
  }

  /** Starts a new journal with its genesis line; refuses to overwrite an existing one. */
  static async create(path: string, genesis: GenesisRecord): Promise<ChainJournalWriter> {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, "wx");
    const writer = new ChainJournalWriter(file, 0);
    await writer.writeLine(genesisSchema.parse(genesis));
    return writer;
  }

  get lastSeq(): number {
    return this.seq;
  }

  async append(call: Omit<JournalCall, "kind" | "seq">): Promise<JournalCall> {
    const entry = callSchema.parse({ kind: "call", seq: this.seq + 1, ...call });
    await this.writeLine(entry);
    this.seq = entry.seq;
    return entry;
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private async writeLine(entry: object): Promise<void> {
    await this.file.write(`${JSON.stringify(entry)}\n`);
    await this.file.datasync();
  }
}
