// Quotes from inside a Gramine SGX enclave through its /dev/attestation pseudo-files: check that
// Gramine attests with DCAP, write the report data to user_report_data, read the quote back.
import { join } from "node:path";
import { nodeAttestationFileSystem, type AttestationFileSystem } from "./attestationFileSystem.ts";
import { checkReturnedQuote } from "./checkReturnedQuote.ts";
import { attributeText, checkReportData, deviceFailure } from "./deviceFailure.ts";
import type { QuoteProvider, QuoteProviderDescription } from "./QuoteProvider.ts";
import { QuoteProviderError } from "./QuoteProviderError.ts";

export const GRAMINE_ATTESTATION_DIRECTORY = "/dev/attestation";

export interface GramineSgxOptions {
  /** Where Gramine mounts its attestation interface; /dev/attestation unless given. */
  attestationDirectory?: string;
  fileSystem?: AttestationFileSystem;
}

export class GramineSgxQuoteProvider implements QuoteProvider {
  readonly kind = "gramine-sgx" as const;
  readonly tee = "sgx" as const;
  readonly #directory: string;
  readonly #fs: AttestationFileSystem;
  /** user_report_data then quote is one exchange per enclave: calls take turns. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(options: GramineSgxOptions = {}) {
    this.#directory = options.attestationDirectory ?? GRAMINE_ATTESTATION_DIRECTORY;
    this.#fs = options.fileSystem ?? nodeAttestationFileSystem;
  }

  describe(): QuoteProviderDescription {
    return { kind: this.kind, tee: this.tee, source: this.#directory };
  }

  async getQuote(reportData: Uint8Array): Promise<Uint8Array> {
    checkReportData(reportData);
    const requested = reportData.slice();
    const quote = this.#turn.then(() => this.#exchange(requested));
    this.#turn = quote.catch(() => undefined);
    return quote;
  }

  async #exchange(reportData: Uint8Array): Promise<Uint8Array> {
    const type = attributeText(await this.#read("attestation_type"));
    if (type !== "dcap") {
      throw new QuoteProviderError("UNSUPPORTED_ATTESTATION_TYPE", `Gramine attests with "${type}", not "dcap"`, { attestationType: type });
    }
    await this.#write("user_report_data", reportData);
    return checkReturnedQuote(await this.#read("quote"), this.tee, reportData);
  }

  async #read(name: string): Promise<Uint8Array> {
    const path = join(this.#directory, name);
    try {
      return await this.#fs.readFile(path);
    } catch (error) {
      throw deviceFailure(error, "read", path);
    }
  }

  async #write(name: string, data: Uint8Array): Promise<void> {
    const path = join(this.#directory, name);
    try {
      await this.#fs.writeFile(path, data);
    } catch (error) {
      throw deviceFailure(error, "write", path);
    }
  }
}
