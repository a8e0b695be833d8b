// `continuum attestation verify`: the operator's check of any DCAP quote (SGX or TDX) against a
// trusted root and collateral, as of a chosen time; a refused quote exits 1 naming the failing check.
import { readFile, stat } from "node:fs/promises";
import type { Command } from "commander";
import { parseIsoTime } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";

/** Quotes are a few kilobytes; the parser bounds them far below this. */
const MAX_QUOTE_FILE_BYTES = 1024 * 1024;

type VerifyOptions = { collateral: string; at?: Date; root?: string };

export function registerAttestationCommands(program: Command, kit: CommandKit): void {
  const attestation = withExamples(
    program.command("attestation").description("verify Intel DCAP attestation quotes (SGX and TDX)"),
    "continuum attestation verify quote.bin --collateral https://api.trustedservices.intel.com",
  );
  withExamples(
    attestation
      .command("verify")
      .description(
        "verify a DCAP quote (PCK chain, CRLs, QE report, quote signature, TCB info and QE identity) and print its validity, " +
          "TCB status, advisories and enclave identity; exit 1 naming the failing check when it is refused",
      )
      .argument("<quote-file>", "the quote's raw bytes")
      .requiredOption("--collateral <file|url>", "collateral: a PCCS or Intel PCS base URL, or a collateral JSON file or directory of them")
      .option("--at <time>", "judge validity windows as of this ISO 8601 time (default: now)", parseIsoTime)
      .option("--root <pem>", "the trusted root certificate, PEM (default: Intel's SGX Root CA)"),
    "continuum attestation verify sgx_quote --collateral sgx_quote_collateral.json --at 2025-07-01T00:00:00Z",
    "continuum --json attestation verify quote.bin --collateral http://127.0.0.1:8081 --root devnet-root.pem",
  ).action((quoteFile: string, options: VerifyOptions, command: Command) => verifyQuoteFile(kit.contextOf(command), quoteFile, options));
}

async function verifyQuoteFile(context: CliContext, quoteFile: string, options: VerifyOptions): Promise<void> {
  const path = context.resolvePath(quoteFile);
  if ((await stat(path)).size > MAX_QUOTE_FILE_BYTES) {
    throw new CliError("QUOTE_TOO_LARGE", `${path} is larger than any quote (${MAX_QUOTE_FILE_BYTES} bytes)`, { path });
  }
  const quote = new Uint8Array(await readFile(path));
  // The verifier and its X.509 stack load only when a quote is verified.
  const { DcapVerifier } = await import("../../attestation/dcap/index.ts");
  const { collateralSourceFrom, trustedRootFrom } = await import("../attestationTrust.ts");
  const { verdictDocument, verdictRows } = await import("../quoteVerdict.ts");
  const root = await trustedRootFrom(context, options.root);
  const source = await collateralSourceFrom(context, options.collateral);
  const at = options.at ?? new Date();
  const verdict = await new DcapVerifier({ trustedRoot: root }).verifyWithSource(quote, source, at);
  const document = verdictDocument(verdict, at, root);
  context.output.result(document, verdictRows(verdict, at, root));
  if (!verdict.ok) {
    throw new CliError("QUOTE_REFUSED", `The quote is refused by check ${verdict.check}: ${verdict.detail}`, {
      path,
      check: verdict.check,
      ...(verdict.code ? { code: verdict.code } : {}),
    });
  }
}
