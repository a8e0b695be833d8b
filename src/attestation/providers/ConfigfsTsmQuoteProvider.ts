// TDX quotes through the kernel's configfs-tsm interface: make a report entry, check its provider,
// write the report data to inblob, read the quote from outblob, and use the entry's generation to
// detect another writer in between; the entry is removed whatever happens.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { nodeAttestationFileSystem, type AttestationFileSystem } from "./attestationFileSystem.ts";
import { checkReturnedQuote } from "./checkReturnedQuote.ts";
import { attributeText, checkReportData, deviceFailure } from "./deviceFailure.ts";
import type { QuoteProvider, QuoteProviderDescription } from "./QuoteProvider.ts";
import { QuoteProviderError } from "./QuoteProviderError.ts";

export const CONFIGFS_TSM_REPORT_DIRECTORY = "/sys/kernel/config/tsm/report";
export const TDX_GUEST_PROVIDER = "tdx_guest";

export interface ConfigfsTsmOptions {
  /** The configfs-tsm report directory; /sys/kernel/config/tsm/report unless given. */
  reportDirectory?: string;
  /** The provider the entries must name; tdx_guest unless given. */
  expectedProvider?: string;
  fileSystem?: AttestationFileSystem;
}

export class ConfigfsTsmQuoteProvider implements QuoteProvider {
  readonly kind = "configfs-tsm" as const;
  readonly tee = "tdx" as const;
  readonly #directory: string;
  readonly #expectedProvider: string;
  readonly #fs: AttestationFileSystem;

  constructor(options: ConfigfsTsmOptions = {}) {
    this.#directory = options.reportDirectory ?? CONFIGFS_TSM_REPORT_DIRECTORY;
    this.#expectedProvider = options.expectedProvider ?? TDX_GUEST_PROVIDER;
    this.#fs = options.fileSystem ?? nodeAttestationFileSystem;
  }

  describe(): QuoteProviderDescription {
    return { kind: this.kind, tee: this.tee, source: this.#directory };
  }

  /** Each call has its own report entry, so calls may run side by side. */
  async getQuote(reportData: Uint8Array): Promise<Uint8Array> {
    checkReportData(reportData);
    const requested = reportData.slice();
    const entry = join(this.#directory, `continuum-${process.pid}-${randomBytes(8).toString("hex")}`);
    await this.#step("create", entry, () => this.#fs.mkdir(entry));
    let quote: Uint8Array;
    try {
      quote = await this.#report(entry, requested);
    } catch (error) {
      await this.#remove(entry).catch(() => undefined);
      throw error;
    }
    await this.#remove(entry);
    return quote;
  }

  async #report(entry: string, reportData: Uint8Array): Promise<Uint8Array> {
    const provider = attributeText(await this.#read(entry, "provider"));
    if (provider !== this.#expectedProvider) {
      throw new QuoteProviderError("WRONG_PROVIDER", `configfs-tsm reports come from "${provider}", not "${this.#expectedProvider}"`, {
        provider,
        expected: this.#expectedProvider,
      });
    }
    const before = await this.#generation(entry);
    await this.#step("write", join(entry, "inblob"), () => this.#fs.writeFile(join(entry, "inblob"), reportData));
    // Our write is the only one allowed between these reads: the generation counts every write.
    const written = await this.#generation(entry);
    if (written !== before + 1) concurrentWriter(before + 1, written);
    const outblob = await this.#read(entry, "outblob");
    const after = await this.#generation(entry);
    if (after !== written) concurrentWriter(written, after);
    return checkReturnedQuote(outblob, this.tee, reportData);
  }

  async #generation(entry: string): Promise<number> {
    const text = attributeText(await this.#read(entry, "generation"));
    if (!/^\d{1,15}$/.test(text)) {
      throw new QuoteProviderError("DEVICE_ERROR", `the report entry's generation "${text}" is not a number`, { entry });
    }
    return Number(text);
  }

  #read(entry: string, name: string): Promise<Uint8Array> {
    const path = join(entry, name);
    return this.#step("read", path, () => this.#fs.readFile(path));
  }

  async #remove(entry: string): Promise<void> {
    await this.#step("remove", entry, () => this.#fs.rmdir(entry));
  }

  async #step<T>(operation: string, path: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw deviceFailure(error, operation, path);
    }
  }
}

function concurrentWriter(expected: number, found: number): never {
  throw new QuoteProviderError("CONCURRENT_WRITER", "another writer changed the report entry while the quote was made", {
    expectedGeneration: expected,
    generation: found,
  });
}
