// The quote provider configuration of a worker, validated once at the edge, and the factory that
// turns it into a QuoteProvider:
//   { "kind": "simulated", "devnetDirectory": "...", "platform": "sgx-1", "enclave": { ... } }
//     (without enclave or td: the enclave runtime quotes each task's app on that platform)
//   { "kind": "gramine-sgx", "attestationDirectory": "/dev/attestation" }
//   { "kind": "configfs-tsm", "reportDirectory": "/sys/kernel/config/tsm/report", "expectedProvider": "tdx_guest" }
import { z } from "zod";
import { DevnetDcap } from "../dcap/devnet/DevnetDcap.ts";
import type { AttestationFileSystem } from "./attestationFileSystem.ts";
import { CONFIGFS_TSM_REPORT_DIRECTORY, ConfigfsTsmQuoteProvider, TDX_GUEST_PROVIDER } from "./ConfigfsTsmQuoteProvider.ts";
import { GRAMINE_ATTESTATION_DIRECTORY, GramineSgxQuoteProvider } from "./GramineSgxQuoteProvider.ts";
import type { QuoteProvider } from "./QuoteProvider.ts";
import { QuoteProviderError } from "./QuoteProviderError.ts";
import { SimulatedQuoteProvider, type SimulatedWorkload } from "./SimulatedQuoteProvider.ts";

const hexBytes = (length: number) =>
  z
    .string()
    .regex(new RegExp(`^(?:0x)?[0-9a-fA-F]{${length * 2}}$`), `${length} bytes of hex`)
    .transform((text) => new Uint8Array(Buffer.from(text.replace(/^0x/, ""), "hex")));
const u16 = z.number().int().min(0).max(0xffff);
const directory = z.string().min(1);

const sgxEnclaveSchema = z.strictObject({
  mrEnclave: hexBytes(32),
  mrSigner: hexBytes(32),
  isvProdId: u16,
  isvSvn: u16,
  debug: z.boolean().default(false),
});

const tdSchema = z.strictObject({
  mrTd: hexBytes(48),
  rtmr: z.tuple([hexBytes(48), hexBytes(48), hexBytes(48), hexBytes(48)]),
  mrConfigId: hexBytes(48).optional(),
  mrOwner: hexBytes(48).optional(),
  mrOwnerConfig: hexBytes(48).optional(),
  debug: z.boolean().default(false),
});

const configSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({
      kind: z.literal("simulated"),
      /** The devnet DCAP state directory (DevnetDcap.open's directory). */
      devnetDirectory: directory,
      platform: z.string().min(1),
      enclave: sgxEnclaveSchema.optional(),
      quoteVersion: z.union([z.literal(3), z.literal(4)]).optional(),
      td: tdSchema.optional(),
    })
    .refine((config) => config.enclave === undefined || config.td === undefined, "give enclave (SGX) or td (TDX), not both"),
  z.strictObject({ kind: z.literal("gramine-sgx"), attestationDirectory: directory.default(GRAMINE_ATTESTATION_DIRECTORY) }),
  z.strictObject({
    kind: z.literal("configfs-tsm"),
    reportDirectory: directory.default(CONFIGFS_TSM_REPORT_DIRECTORY),
    expectedProvider: z.string().min(1).default(TDX_GUEST_PROVIDER),
  }),
]);

export type QuoteProviderConfig = z.output<typeof configSchema>;

/** Validates a provider configuration (JSON); throws QuoteProviderError("INVALID_CONFIGURATION") naming the fields. */
export function parseQuoteProviderConfig(value: unknown): QuoteProviderConfig {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new QuoteProviderError("INVALID_CONFIGURATION", `invalid quote provider configuration: ${issues.join("; ")}`, { issues });
  }
  return parsed.data;
}

export interface QuoteProviderDependencies {
  /** For the Gramine and configfs-tsm providers; Node's file system unless given. */
  fileSystem?: AttestationFileSystem;
  /** For the simulated provider; loaded from `devnetDirectory` unless given. */
  devnet?: DevnetDcap;
}

export async function createQuoteProvider(config: QuoteProviderConfig, dependencies: QuoteProviderDependencies = {}): Promise<QuoteProvider> {
  const fileSystem = dependencies.fileSystem;
  switch (config.kind) {
    case "gramine-sgx":
      return new GramineSgxQuoteProvider({ attestationDirectory: config.attestationDirectory, ...(fileSystem ? { fileSystem } : {}) });
    case "configfs-tsm":
      return new ConfigfsTsmQuoteProvider({
        reportDirectory: config.reportDirectory,
        expectedProvider: config.expectedProvider,
        ...(fileSystem ? { fileSystem } : {}),
      });
    case "simulated": {
      const devnet = dependencies.devnet ?? (await DevnetDcap.load(config.devnetDirectory));
      let quotingEnclave;
      try {
        quotingEnclave = devnet.quotingEnclave(config.platform);
      } catch (error) {
        throw new QuoteProviderError("INVALID_CONFIGURATION", `the devnet has no platform "${config.platform}"`, { platform: config.platform }, { cause: error });
      }
      if (config.enclave === undefined && config.td === undefined) {
        throw new QuoteProviderError(
          "INVALID_CONFIGURATION",
          "a simulated quote provider quotes one workload: give enclave (SGX) or td (TDX); the enclave runtime quotes each app itself",
        );
      }
      const workload: SimulatedWorkload = config.enclave
        ? { tee: "sgx", enclave: config.enclave, ...(config.quoteVersion ? { quoteVersion: config.quoteVersion } : {}) }
        : { tee: "tdx", td: config.td! };
      return new SimulatedQuoteProvider({ quotingEnclave, platform: config.platform, workload });
    }
  }
}
