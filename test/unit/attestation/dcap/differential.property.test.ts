// Differential specification of our DCAP verifier: on devnet SGX and TDX quotes with their
// collateral, honest or mutated (quote bytes and fields, collateral documents signed again,
// signatures, CRLs, issuer chains, verification time), it reaches dcap-qvl's verdict: accepted
// or refused, and when accepted the same TCB status and advisories. Disagreements are failures
// unless they are one of the reported divergences of differentialDivergences.ts.
import { expect } from "chai";
import fc from "fast-check";
import { NOW, REPORT_DATA, sgxEnclave } from "./devnetFixture.ts";
import { knownDivergence, KNOWN_DIVERGENCES } from "./differentialDivergences.ts";
import {
  agreement,
  createWorld,
  destroyWorld,
  honestQuote,
  ourVerdict,
  quoteRegions,
  theirVerdict,
  type World,
} from "./differentialHarness.ts";
import { caseArbitrary, prepareCase, type DifferentialCase } from "./differentialMutations.ts";

const MUTATED_CASES = 1_400;
const MIN_AGREEING_CASES = 1_000;

describe("differential: our DCAP verifier and dcap-qvl on devnet quotes", function () {
  let world: World;

  before(async function () {
    world = await createWorld();
  });

  after(async function () {
    await destroyWorld(world);
  });

  const platformIndex = (name: string): number => world.platforms.findIndex((platform) => platform.name === name);

  async function judge(testCase: DifferentialCase) {
    const prepared = await prepareCase(world, testCase);
    const ours = ourVerdict(world, prepared.quote, prepared.collateral, prepared.now);
    const theirs = theirVerdict(world, prepared.quote, prepared.collateral, prepared.now);
    return { prepared, ours, theirs, agree: JSON.stringify(agreement(ours)) === JSON.stringify(agreement(theirs)) };
  }

  it("agrees on every honest quote: both TEEs, every TCB state, revoked PCKs, old QEs, debug or not", async function () {
    let accepted = 0;
    for (let index = 0; index < world.platforms.length; index++) {
      for (const debug of [false, true]) {
        const { ours, theirs, agree } = await judge({ platformIndex: index, debug, mutation: { kind: "none" } });
        expect(agree, `${world.platforms[index]!.name}${debug ? " (debug)" : ""}: ours ${JSON.stringify(ours)}, dcap-qvl ${JSON.stringify(theirs)}`).to.equal(true);
        if (ours.ok) accepted++;
      }
    }
    expect(accepted).to.equal(world.platforms.filter((p) => !/revoked|belowalllevels|ancient/.test(p.name)).length);
  });

  it(`agrees on ${MUTATED_CASES} mutated cases but for the reported divergences`, async function () {
    const tally = { agreeing: 0, acceptedByBoth: 0, divergences: new Map<string, number>() };
    await fc.assert(
      fc.asyncProperty(caseArbitrary(world), async (testCase) => {
        const { prepared, ours, theirs, agree } = await judge(testCase);
        if (agree) {
          tally.agreeing++;
          if (ours.ok) tally.acceptedByBoth++;
          return;
        }
        const divergence = knownDivergence(testCase, prepared.platform.tee, ours, theirs);
        if (!divergence) {
          expect.fail(
            `${prepared.platform.name} at ${prepared.now.toISOString()}, ${JSON.stringify(testCase.mutation)}:\n` +
              `  ours     ${JSON.stringify(ours)}\n  dcap-qvl ${JSON.stringify(theirs)}`,
          );
        }
        tally.divergences.set(divergence.id, (tally.divergences.get(divergence.id) ?? 0) + 1);
      }),
      { numRuns: MUTATED_CASES },
    );
    // Enough cases where equality was demanded, and enough of them accepted, for the test to mean something.
    expect(tally.agreeing).to.be.at.least(MIN_AGREEING_CASES);
    expect(tally.acceptedByBoth).to.be.at.least(MUTATED_CASES / 10);
  });

  it("SGX v4 quotes: ours judges them as dcap-qvl judges the same enclave's v3 quote (dcap-qvl refuses version 4 for SGX)", async function () {
    for (const platform of world.platforms.filter((p) => p.tee === "sgx")) {
      const enclave = world.devnet.quotingEnclave(platform.name);
      const v3 = honestQuote(world, platform, false);
      const v4 = enclave.sgxQuote(sgxEnclave(), REPORT_DATA, { version: 4 });
      const collateral = world.collateral.sgx;
      expect(theirVerdict(world, v4, collateral, NOW)).to.deep.equal({ ok: false, reason: "SGX TEE quote must have version 3" });
      expect(agreement(ourVerdict(world, v4, collateral, NOW)), platform.name).to.deep.equal(agreement(theirVerdict(world, v3, collateral, NOW)));
    }
  });

  it("refuses, as dcap-qvl does, a PCK certificate whose PEM decodes to DER with a byte after the certificate (MISMATCHES.md M1)", async function () {
    let checked = 0;
    for (const platform of world.platforms) {
      const quote = honestQuote(world, platform, false);
      const [start, end] = quoteRegions(quote).pckChain;
      const chain = Buffer.from(quote.subarray(start, end)).toString("latin1");
      const leafEnd = chain.indexOf("\n-----END CERTIFICATE-----");
      // The leaf's last base64 quantum "xyz=" becomes "xyz8", canonical base64 for one more DER byte (0x3c).
      const padding = chain.slice(0, leafEnd).search(/=+$/);
      if (padding < 0 || chain.slice(padding, leafEnd) !== "=") continue;
      const mutated = quote.slice();
      mutated[start + padding] = "8".charCodeAt(0);
      checked++;
      const collateral = world.collateral[platform.tee];
      expect(theirVerdict(world, mutated, collateral, NOW).ok, `dcap-qvl on ${platform.name}`).to.equal(false);
      expect(agreement(ourVerdict(world, mutated, collateral, NOW)), `ours on ${platform.name}`).to.deep.equal({ ok: false });
    }
    expect(checked, "platforms whose PCK certificate ends in one padding character").to.be.greaterThan(0);
  });

  describe("reported divergences (remove an entry once either verifier changes)", function () {
    const examples: Record<string, (index: (name: string) => number) => DifferentialCase> = {
      "D1-D3": (index) => ({ platformIndex: index("sgx-uptodate"), debug: false, mutation: { kind: "crl", change: { swap: true } } }),
      D4: (index) => ({ platformIndex: index("sgx-uptodate"), debug: false, mutation: { kind: "crl", change: { revoke: "leaf", in: "root" } } }),
      "D5-D6": (index) => ({ platformIndex: index("tdx-uptodate"), debug: false, mutation: { kind: "length", cut: 0, append: [1, 2, 3] } }),
      D7: (index) => ({
        platformIndex: index("sgx-uptodate"),
        debug: false,
        mutation: { kind: "field", target: "header", offset: 12, bytes: new Array<number>(16).fill(0x42), resign: true },
      }),
      D8: (index) => ({
        platformIndex: index("sgx-uptodate"),
        debug: false,
        mutation: { kind: "field", target: "qeReport", offset: 383, bytes: [1], resign: true },
      }),
      D9: (index) => ({
        platformIndex: index("tdx-uptodate"),
        debug: false,
        mutation: { kind: "tcbInfo", edit: { path: ["tdxModuleIdentities", 0, "id"], value: "TDX_02" }, resign: true },
      }),
      D10: (index) => ({
        platformIndex: index("sgx-configurationneeded"),
        debug: false,
        mutation: { kind: "qeIdentity", edit: { path: ["tcbLevels", 0, "tcbStatus"], value: "OutOfDate" }, resign: true },
      }),
      "D11-D14": (index) => ({
        platformIndex: index("sgx-uptodate"),
        debug: false,
        mutation: { kind: "tcbInfo", edit: { path: ["pceId"], value: "FFFF" }, resign: true },
      }),
      D15: (index) => ({
        platformIndex: index("sgx-uptodate"),
        debug: false,
        mutation: { kind: "qeIdentity", edit: { path: ["attributesMask"], value: "00000000000000000000000000000000" }, resign: true },
      }),
      D17: (index) => ({
        platformIndex: index("tdx-uptodate"),
        debug: false,
        mutation: { kind: "tcbInfo", edit: { path: ["tcbLevels", 0, "tcb", "tdxtcbcomponents", 1, "svn"], value: 5 }, resign: true },
      }),
    };

    for (const divergence of KNOWN_DIVERGENCES) {
      it(`${divergence.id}: ${divergence.summary}`, async function () {
        const example = examples[divergence.id];
        expect(example, `an example case for ${divergence.id}`).to.not.equal(undefined);
        const testCase = example!(platformIndex);
        const { prepared, ours, theirs, agree } = await judge(testCase);
        expect(agree, `still diverging: ours ${JSON.stringify(ours)}, dcap-qvl ${JSON.stringify(theirs)}`).to.equal(false);
        expect(knownDivergence(testCase, prepared.platform.tee, ours, theirs)?.id).to.equal(divergence.id);
      });
    }
  });
});
