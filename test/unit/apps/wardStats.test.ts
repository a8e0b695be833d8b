// Specification of the ward-stats example app in both its versions, the e-Health demo's Python one
// and the Node one it was ported from, each run as a real process on a small dataset whose
// statistics are worked out by hand; a property test holds the two to byte-identical output; and
// the deterministic vital-signs generator.
import { expect } from "chai";
import { execFile } from "node:child_process";
import fc from "fast-check";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  generateWardVitals,
  wardVitalsToCsv,
  wardVitalsToJson,
} from "../../../examples/datasets/wardVitals.ts";
import { makeTempDir, removeDir } from "./appsTestKit.ts";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";

/** The two implementations: the program and arguments that run each outside any sandbox. */
const IMPLEMENTATIONS = [
  { name: "python (the demo's app)", command: PYTHON, args: [fileURLToPath(new URL("../../../examples/apps/ward-stats/main.py", import.meta.url))] },
  { name: "node", command: process.execPath, args: [fileURLToPath(new URL("../../../examples/apps/ward-stats-node/main.mjs", import.meta.url))] },
] as const;

const KNOWN_CSV = [
  "ward,day,patient,heartRate,systolic,spo2,temperature",
  "icu,2030-03-01,icu-1,130,120,95,37.0",
  "icu,2030-03-01,icu-2,80,85,90,37.0",
  "icu,2030-03-02,icu-1,70,110,97,36.5",
  "icu,2030-03-02,icu-2,50,180,92,38.0",
  "maternity,2030-03-01,mat-1,90,115,99,38.5",
  "maternity,2030-03-01,mat-2,76,118,98,36.9",
  "maternity,2030-03-01,mat-3,,118,98,36.9",
].join("\n");

interface WardStatsOutput {
  totals: { readings: number; anomalousReadings: number; anomalousShare: number; skippedRows: number };
  wards: {
    ward: string;
    readings: number;
    patients: number;
    days: number;
    mean: Record<string, number>;
    anomalies: Record<string, number>;
    anomalousReadings: number;
    anomalousShare: number;
  }[];
  thresholds: Record<string, { min: number; max: number }>;
}

for (const implementation of IMPLEMENTATIONS) describe(`ward-stats app, ${implementation.name}`, () => {
  let dir: string;
  let input: string;
  let output: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    input = join(dir, "in");
    output = join(dir, "out");
    await mkdir(input);
    await mkdir(output);
  });
  afterEach(async () => removeDir(dir));

  async function wardStats(params?: string): Promise<WardStatsOutput> {
    await run(implementation.command, [...implementation.args], {
      env: { CONTINUUM_INPUT: input, CONTINUUM_OUTPUT: output, ...(params === undefined ? {} : { CONTINUUM_PARAMS: params }) },
    });
    return JSON.parse(await readFile(join(output, "ward-stats.json"), "utf8")) as WardStatsOutput;
  }

  it("computes per-ward counts, means and anomaly shares with inclusive normal ranges", async () => {
    await writeFile(join(input, "vitals.csv"), KNOWN_CSV);
    const stats = await wardStats();
    expect(stats.totals).to.deep.equal({ readings: 6, anomalousReadings: 3, anomalousShare: 0.5, skippedRows: 1 });
    expect(stats.wards).to.deep.equal([
      {
        ward: "icu",
        readings: 4,
        patients: 2,
        days: 2,
        mean: { heartRate: 82.5, systolic: 123.75, spo2: 93.5, temperature: 37.13 },
        anomalies: { heartRate: 1, systolic: 1, spo2: 1, temperature: 0 },
        anomalousReadings: 2,
        anomalousShare: 0.5,
      },
      {
        ward: "maternity",
        readings: 2,
        patients: 2,
        days: 1,
        mean: { heartRate: 83, systolic: 116.5, spo2: 98.5, temperature: 37.7 },
        anomalies: { heartRate: 0, systolic: 0, spo2: 0, temperature: 1 },
        anomalousReadings: 1,
        anomalousShare: 0.5,
      },
    ]);
    expect(stats.thresholds.heartRate).to.include({ min: 50, max: 120 });
  });

  it("reads JSON datasets the same way as CSV", async () => {
    await writeFile(join(input, "vitals.csv"), KNOWN_CSV);
    const fromCsv = await wardStats();
    const rows = KNOWN_CSV.split("\n").slice(1, 7).map((line) => {
      const [ward, day, patient, heartRate, systolic, spo2, temperature] = line.split(",");
      return { ward, day, patient, heartRate: Number(heartRate), systolic: Number(systolic), spo2: Number(spo2), temperature: Number(temperature) };
    });
    await writeFile(join(input, "vitals.csv"), wardVitalsToJson(rows));
    const fromJson = await wardStats();
    expect(fromJson.wards).to.deep.equal(fromCsv.wards);
    expect(fromJson.totals.skippedRows).to.equal(0);
  });

  it("applies threshold overrides from the task params", async () => {
    await writeFile(join(input, "vitals.csv"), KNOWN_CSV);
    const stats = await wardStats('{"thresholds":{"heartRate":{"max":140}}}');
    expect(stats.wards[0].anomalies.heartRate).to.equal(0);
    expect(stats.wards[0].anomalousShare).to.equal(0.25);
    expect(stats.totals.anomalousShare).to.equal(0.3333);
  });

  it("exits with code 2 and writes nothing for params that are not JSON or an empty input", async () => {
    const failure = await run(implementation.command, [...implementation.args], { env: { CONTINUUM_INPUT: input, CONTINUUM_OUTPUT: output } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).to.include({ code: 2 });
    expect((failure as { stderr: string }).stderr).to.contain("no dataset");
    await writeFile(join(input, "vitals.csv"), KNOWN_CSV);
    const badParams = await run(implementation.command, [...implementation.args], {
      env: { CONTINUUM_INPUT: input, CONTINUUM_OUTPUT: output, CONTINUUM_PARAMS: "{not json" },
    }).catch((error: { code: number }) => error);
    expect(badParams).to.include({ code: 2 });
    expect(await readdir(output)).to.deep.equal([]);
  });
});

describe("ward-stats, python and node", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => removeDir(dir));

  /** Both versions' ward-stats.json for the same input and params, the version field left out. */
  async function bothOutputs(files: Record<string, string>, params?: string): Promise<string[]> {
    const input = join(dir, "in");
    await rm(input, { recursive: true, force: true });
    await mkdir(input);
    for (const [name, text] of Object.entries(files)) await writeFile(join(input, name), text);
    return Promise.all(
      IMPLEMENTATIONS.map(async (implementation, index) => {
        const output = join(dir, `out-${index}`);
        await rm(output, { recursive: true, force: true });
        await mkdir(output);
        const env = { CONTINUUM_INPUT: input, CONTINUUM_OUTPUT: output, ...(params === undefined ? {} : { CONTINUUM_PARAMS: params }) };
        await run(implementation.command, [...implementation.args], { env });
        return (await readFile(join(output, "ward-stats.json"), "utf8")).replace(/"version": "[^"]*"/, '"version": ""');
      }),
    );
  }

  it("write byte-identical statistics for the demo's dataset", async () => {
    const [python, node] = await bothOutputs(
      { "vitals.csv": wardVitalsToCsv(generateWardVitals({ seed: 2026, days: 14 })) },
      '{"thresholds":{"spo2":{"min":92}}}',
    );
    expect(python).to.equal(node);
  });

  it("write byte-identical statistics for any readings, numbers in any notation and any thresholds", async () => {
    const cell = fc.oneof(
      fc.constantFrom("", " ", "x", "0x1F", "1e2", ".5", "-0", "Infinity", "36.6", "007", "1_000", "0b11", " 98 "),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
      fc.integer({ min: 0, max: 200 }).map(String),
    );
    const row = fc.tuple(fc.constantFrom("icu", "maternity", " icu ", "oncology", ""), fc.constantFrom("d1", "d2", "7"), fc.constantFrom("p1", "p2", "p3"), cell, cell, cell, cell);
    const limit = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 200, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 30 }), fc.option(fc.record({ min: limit, max: fc.constant(1000) }), { nil: undefined }), async (rows, spo2) => {
        const csv = ["ward,day,patient,heartRate,systolic,spo2,temperature", ...rows.map((cells) => cells.join(","))].join("\n");
        const params = spo2 === undefined ? undefined : JSON.stringify({ thresholds: { spo2 } });
        const [python, node] = await bothOutputs({ "vitals.csv": csv }, params);
        expect(python).to.equal(node);
      }),
      { numRuns: 25 },
    );
  });
});

describe("generateWardVitals", () => {
  it("yields the same readings for the same seed and different ones for another seed", () => {
    const csv = wardVitalsToCsv(generateWardVitals({ seed: 7 }));
    expect(wardVitalsToCsv(generateWardVitals({ seed: 7 }))).to.equal(csv);
    expect(wardVitalsToCsv(generateWardVitals({ seed: 8 }))).to.not.equal(csv);
  });

  it("makes one reading per ward, day, patient and round, with anomalies where the ward's rate says", () => {
    const readings = generateWardVitals({ seed: 3, wards: { calm: 0, stormy: 1 }, days: 2, patientsPerWard: 5, readingsPerPatientPerDay: 4 });
    expect(readings).to.have.length(2 * 2 * 5 * 4);
    const outOfRange = (reading: (typeof readings)[number]) =>
      reading.heartRate < 50 || reading.heartRate > 120 || reading.systolic < 90 || reading.systolic > 180 ||
      reading.spo2 < 92 || reading.temperature < 35 || reading.temperature > 38;
    expect(readings.filter((reading) => reading.ward === "calm").some(outOfRange)).to.equal(false);
    expect(readings.filter((reading) => reading.ward === "stormy").every(outOfRange)).to.equal(true);
    expect(new Set(readings.map((reading) => reading.day))).to.deep.equal(new Set(["2030-03-01", "2030-03-02"]));
  });
});
