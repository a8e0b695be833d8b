// The attestation benchmark as one function: our DCAP verifier warm (platforms seen before) and
// cold (a fresh verifier per quote: nothing cached), and dcap-qvl on the same quotes in the same
// rounds, side by side; and the verdicts of both on accepted and refused quotes, compared.
import { QuoteVerifier } from "@phala/dcap-qvl";
import { dcapTrustedRoot, DcapVerifier, type DcapVerdict } from "../../../src/attestation/dcap/index.ts";
import { median } from "../statistics.ts";
import { buildQuoteCorpus, type CorpusQuote, type QuoteCorpus } from "./quoteCorpus.ts";

export const ATTESTATION_TARGETS = { speedup: 20, verdictMismatches: 0 } as const;

export interface AttestationBenchOptions {
  rounds: number;
  warmQuotesPerRound: number;
  coldQuotesPerRound: number;
  referenceQuotesPerRound: number;
  quotesPerDevnetPlatform: number;
}

export const FULL_SIZE: AttestationBenchOptions = {
  rounds: 7,
  warmQuotesPerRound: 4_000,
  coldQuotesPerRound: 60,
  referenceQuotesPerRound: 120,
  quotesPerDevnetPlatform: 20,
};

export type TargetCheck = { metric: string; value: number; target: string; pass: boolean };

export interface AttestationBenchResult {
  /** Ours, platforms and collateral seen before: median of rounds. */
  quotesPerSec: number;
  /** Ours, a new verifier for every quote (nothing cached): median of rounds. */
  coldQuotesPerSec: number;
  /** dcap-qvl on the same quotes in the same rounds: median of rounds. */
  referencePerSec: number;
  /** The median of the rounds' warm / reference ratios. */
  speedup: number;
  verdictMismatches: number;
  targets: TargetCheck[];
  pass: boolean;
  details: {
    rounds: { warm: number[]; cold: number[]; reference: number[]; speedup: number[] };
    corpus: { intelVectors: number; devnetSgxV3: number; devnetTdxV4: number; refusedCompared: number };
    comparedVerdicts: number;
    mismatches: { label: string; ours: string; reference: string }[];
    node: string;
    measuredAt: string;
  };
}

/** A verdict reduced to what both verifiers state: accepted with status and advisories, or refused. */
type Outcome = string;

export async function runAttestationBench(options: AttestationBenchOptions): Promise<AttestationBenchResult> {
  const corpus = await buildQuoteCorpus({ quotesPerDevnetPlatform: options.quotesPerDevnetPlatform });
  const roots = { intel: dcapTrustedRoot(corpus.roots.intel.pem), devnet: dcapTrustedRoot(corpus.roots.devnet.pem) };
  const warm = { intel: new DcapVerifier({ trustedRoot: roots.intel }), devnet: new DcapVerifier({ trustedRoot: roots.devnet }) };
  const reference = {
    intel: QuoteVerifier.newWithRootCa(Buffer.from(corpus.roots.intel.der)),
    devnet: QuoteVerifier.newWithRootCa(Buffer.from(corpus.roots.devnet.der)),
  };
  const ours = (entry: CorpusQuote): DcapVerdict => warm[entry.root].verify(entry.quote, entry.collateral, entry.now);
  const theirs = (entry: CorpusQuote): Outcome => referenceOutcome(reference[entry.root], entry);

  const mismatches = compareVerdicts(corpus, ours, theirs);
  const rounds = measureRounds(options, corpus.accepted, {
    warm: (entry) => ours(entry),
    cold: (entry) => new DcapVerifier({ trustedRoot: roots[entry.root] }).verify(entry.quote, entry.collateral, entry.now),
    reference: (entry) => theirs(entry),
  });

  const speedup = median(rounds.speedup);
  const targets: TargetCheck[] = [
    { metric: "speedup", value: speedup, target: `>= ${ATTESTATION_TARGETS.speedup}`, pass: speedup >= ATTESTATION_TARGETS.speedup },
    { metric: "verdictMismatches", value: mismatches.length, target: `= ${ATTESTATION_TARGETS.verdictMismatches}`, pass: mismatches.length === 0 },
  ];
  return {
    quotesPerSec: median(rounds.warm),
    coldQuotesPerSec: median(rounds.cold),
    referencePerSec: median(rounds.reference),
    speedup,
    verdictMismatches: mismatches.length,
    targets,
    pass: targets.every((target) => target.pass),
    details: {
      rounds,
      corpus: {
        intelVectors: corpus.accepted.filter((entry) => entry.root === "intel").length,
        devnetSgxV3: corpus.accepted.filter((entry) => entry.label.startsWith("devnet sgx")).length,
        devnetTdxV4: corpus.accepted.filter((entry) => entry.label.startsWith("devnet tdx")).length,
        refusedCompared: corpus.refused.length,
      },
      comparedVerdicts: corpus.accepted.length + corpus.refused.length,
      mismatches,
      node: process.version,
      measuredAt: new Date().toISOString(),
    },
  };
}

/**
 * Each round times the three meters one after the other on the same quotes, cycling through the
 * accepted corpus, so that every round's ratio compares figures taken under the same load.
 */
function measureRounds(
  options: AttestationBenchOptions,
  quotes: readonly CorpusQuote[],
  meters: { warm: (entry: CorpusQuote) => unknown; cold: (entry: CorpusQuote) => unknown; reference: (entry: CorpusQuote) => unknown },
): AttestationBenchResult["details"]["rounds"] {
  for (const entry of quotes) {
    meters.warm(entry);
    meters.reference(entry);
    meters.cold(entry);
  }
  const rounds = { warm: [] as number[], cold: [] as number[], reference: [] as number[], speedup: [] as number[] };
  let next = 0;
  const timed = (count: number, meter: (entry: CorpusQuote) => unknown): number => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) meter(quotes[next++ % quotes.length]!);
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  for (let round = 0; round < options.rounds; round++) {
    const warm = timed(options.warmQuotesPerRound, meters.warm);
    const reference = timed(options.referenceQuotesPerRound, meters.reference);
    const cold = timed(options.coldQuotesPerRound, meters.cold);
    rounds.warm.push(warm);
    rounds.reference.push(reference);
    rounds.cold.push(cold);
    rounds.speedup.push(warm / reference);
  }
  return rounds;
}

function compareVerdicts(
  corpus: QuoteCorpus,
  ours: (entry: CorpusQuote) => DcapVerdict,
  theirs: (entry: CorpusQuote) => Outcome,
): { label: string; ours: string; reference: string }[] {
  const mismatches: { label: string; ours: string; reference: string }[] = [];
  for (const entry of [...corpus.accepted, ...corpus.refused]) {
    const verdict = ours(entry);
    const outcome = verdict.ok ? acceptedOutcome(verdict.status, verdict.advisoryIds) : "refused";
    const reference = theirs(entry);
    if (outcome !== reference) mismatches.push({ label: entry.label, ours: verdict.ok ? outcome : `refused ${verdict.check}`, reference });
  }
  return mismatches;
}

function referenceOutcome(verifier: QuoteVerifier, entry: CorpusQuote): Outcome {
  try {
    const report = verifier.verify(entry.quote, { ...entry.collateral }, entry.now.getTime() / 1000);
    return acceptedOutcome(report.status, report.advisory_ids);
  } catch {
    return "refused";
  }
}

function acceptedOutcome(status: string, advisoryIds: readonly string[]): Outcome {
  return `${status} [${[...advisoryIds].sort().join(",")}]`;
}

export function formatAttestationBench(result: AttestationBenchResult): string {
  const rate = (value: number): string => value.toFixed(0).padStart(8);
  const lines = [
    "DCAP quote verification (median of rounds)",
    `  ours, warm (platform seen before)     ${rate(result.quotesPerSec)} quotes/s`,
    `  ours, cold (nothing cached)            ${rate(result.coldQuotesPerSec)} quotes/s`,
    `  dcap-qvl (reference), same quotes      ${rate(result.referencePerSec)} quotes/s`,
    `  speedup (warm / reference)             ${result.speedup.toFixed(1).padStart(8)} x`,
    `  verdict mismatches                     ${String(result.verdictMismatches).padStart(8)} of ${result.details.comparedVerdicts} compared`,
    `  corpus: ${result.details.corpus.intelVectors} Intel vectors, ${result.details.corpus.devnetSgxV3} devnet SGX v3, ${result.details.corpus.devnetTdxV4} devnet TDX v4 quotes (+${result.details.corpus.refusedCompared} refused, compared only)`,
    "",
    ...result.targets.map((target) => `  ${target.pass ? "PASS" : "FAIL"}  ${target.metric} ${target.value.toFixed(target.metric === "speedup" ? 1 : 0)} (target ${target.target})`),
  ];
  for (const mismatch of result.details.mismatches) lines.push(`  mismatch: ${mismatch.label}: ours ${mismatch.ours}, dcap-qvl ${mismatch.reference}`);
  return lines.join("\n");
}

