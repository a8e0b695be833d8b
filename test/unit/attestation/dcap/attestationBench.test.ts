// The attestation benchmark run tiny: its corpus (Intel's vectors and devnet SGX and TDX quotes),
// the verdict comparison with dcap-qvl, and the shape of its result. No timing is asserted.
import { expect } from "chai";
import { formatAttestationBench, runAttestationBench } from "../../../../scripts/bench/attestation/attestationBench.ts";

describe("attestation benchmark (tiny run)", function () {
  this.timeout(120_000);

  it("verifies the same corpus with both verifiers and finds no verdict mismatch", async function () {
    const result = await runAttestationBench({ rounds: 2, warmQuotesPerRound: 20, coldQuotesPerRound: 2, referenceQuotesPerRound: 2, quotesPerDevnetPlatform: 1 });
    expect(result.details.corpus).to.deep.equal({ intelVectors: 2, devnetSgxV3: 6, devnetTdxV4: 6, refusedCompared: 8 });
    expect(result.details.comparedVerdicts).to.equal(22);
    expect(result.details.mismatches).to.deep.equal([]);
    expect(result.verdictMismatches).to.equal(0);
    for (const rounds of Object.values(result.details.rounds)) expect(rounds).to.have.length(2);
    for (const figure of [result.quotesPerSec, result.coldQuotesPerSec, result.referencePerSec, result.speedup]) expect(figure).to.be.above(0);
    expect(formatAttestationBench(result)).to.include("verdict mismatches");
  });
});
