// The smart-city confidential-pipeline demo, played through the real surfaces (every step a
// `continuum` CLI command against the running devnet):
//
//   environment department (account #5)  sells its air-quality sensor readings to district-air only
//   mobility department (account #6)     sells its traffic counts to district-air only
//   app developer (account #1)           deploys and sells district-air (Python, three steps)
//   compute provider (account #3)        offers the devnet workerpool
//   requester (account #4)               submits a three-stage pipeline: clean-air and clean-traffic
//                                        each on one dataset, then a join per district reading both
//                                        (fan-in); watches it; decrypts the join's result, the only
//                                        one encrypted to its key, and fails to open an intermediate
//
// The cleaned intermediate data never leaves an enclave: each cleaning stage's output is sealed
// under a key the SMS releases only to the attested enclave of the join of this pipeline.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCityMobility } from "../../examples/datasets/cityMobility.ts";
import type { PipelineStatusJson } from "../wire/marketApi/pipelineStatus.ts";
import { fanInPipeline, setUpPipelineMarket, submitPipelineDocument, type PipelineMarketOptions } from "./pipelineMarket.ts";
import { DemoError } from "./roleCli.ts";

export const DISTRICT_AIR_APP = fileURLToPath(new URL("../../examples/apps/district-air/", import.meta.url));

/** Each stage's step of the district-air app. */
export const DISTRICT_AIR_STEPS = {
  "clean-air": { step: "clean-air" },
  "clean-traffic": { step: "clean-traffic" },
  join: { step: "join" },
} as const;

export type CityPipelineDemoOptions = Omit<PipelineMarketOptions, "progress"> & {
  gatewayUrl: string;
  /** Seed of the generated city datasets (default 2030). */
  seed?: number;
  /** How long to wait for the pipeline (default 10 minutes). */
  timeout?: string;
  progress?: (line: string) => void;
};

export type DistrictSummary = {
  district: string;
  hours: number;
  meanPm25: number;
  meanNo2: number;
  meanVehiclesPerHour: number;
  trafficPm25Correlation: number | null;
};

export type CleaningCounts = { kept: number; dropped: number; brokenWritten: number };

export type CityPipelineDemoResult = {
  pipeline: PipelineStatusJson;
  explorerUrl: string;
  districts: DistrictSummary[];
  /** What each cleaning stage dropped, as the join reported it, beside the broken rows the owners wrote. */
  cleaning: { air: CleaningCounts; traffic: CleaningCounts };
  /** Why the requester's own key could not open the clean-air stage's output. */
  intermediateRefusal: string;
  resultDir: string;
};

export async function runCityPipelineDemo(options: CityPipelineDemoOptions): Promise<CityPipelineDemoResult> {
  const say = options.progress ?? (() => undefined);
  const data = generateCityMobility({ seed: options.seed ?? 2030 });
  const market = await setUpPipelineMarket(options, {
    appDir: DISTRICT_AIR_APP,
    appName: "district-air",
    datasets: {
      air: { name: "air quality sensor readings", owner: "environmentDepartment", content: data.airQualityCsv, file: "air-quality.csv" },
      traffic: { name: "traffic counts", owner: "mobilityDepartment", content: data.trafficCsv, file: "traffic-counts.csv" },
    },
  });
  const { cli } = market;

  say("requester: submitting the three-stage pipeline (clean-air, clean-traffic, join) ...");
  const submitted = await submitPipelineDocument(market, fanInPipeline(market, "air quality against traffic per district", DISTRICT_AIR_STEPS));
  say(`requester: pipeline ${submitted.id} accepted; its cleaning stages are in the book, the join waits for both ...`);
  const pipeline = (await cli.json("healthDepartment", ["pipeline", "watch", submitted.id, "--timeout", options.timeout ?? "10m", "--interval", "1s"])) as PipelineStatusJson;
  if (pipeline.state !== "completed") {
    throw new DemoError("DEMO_PIPELINE_FAILED", `pipeline ${pipeline.id} ended ${pipeline.state}: ${pipeline.failure?.stage ?? "?"} ${pipeline.failure?.message ?? ""}`, { pipeline });
  }

  const stage = (id: string) => pipeline.stages.find((candidate) => candidate.id === id)!;
  const joined = stage("join");
  const resultDir = join(options.workDir, "result");
  say(`requester: the join completed in deal ${joined.dealId}; downloading and decrypting its result ...`);
  await cli.json("healthDepartment", ["result", "download", joined.dealId!, joined.taskIndex!, "--result-key", market.resultKey, "--out", resultDir, "--gateway", options.gatewayUrl]);
  const result = JSON.parse(await readFile(join(resultDir, "districts.json"), "utf8")) as {
    districts: DistrictSummary[];
    cleaning: Record<string, { kept: number; dropped: number }>;
  };

  say("requester: trying its own key on the clean-air stage's output (sealed for the join's enclave only) ...");
  const air = stage("clean-air");
  const intermediateRefusal = await cli
    .json("healthDepartment", ["result", "download", air.dealId!, air.taskIndex!, "--result-key", market.resultKey, "--out", join(options.workDir, "intermediate"), "--gateway", options.gatewayUrl])
    .then(
      () => {
        throw new DemoError("DEMO_INTERMEDIATE_READABLE", "the requester decrypted an intermediate stage's output: intermediate keys leaked");
      },
      // The CLI's own words, without the command line the demo ran.
      (error: unknown) => (error instanceof DemoError && error.code === "DEMO_STEP_FAILED" ? error.message.replace(/^.* failed: /s, "") : Promise.reject(error)),
    );

  const counts = (stageId: string, broken: number): CleaningCounts => ({
    kept: result.cleaning[stageId]?.kept ?? 0,
    dropped: result.cleaning[stageId]?.dropped ?? 0,
    brokenWritten: broken,
  });
  return {
    pipeline,
    explorerUrl: `${options.marketUrl.replace(/\/+$/, "")}/explorer/pipelines/${pipeline.id}`,
    districts: result.districts,
    cleaning: { air: counts("clean-air", data.broken.air), traffic: counts("clean-traffic", data.broken.traffic) },
    intermediateRefusal,
    resultDir,
  };
}

/** The demo's outcome for a person: stages, districts, what cleaning dropped, where to look. */
export function formatCityPipelineDemo(result: CityPipelineDemoResult): string {
  const lines = [
    "",
    `Pipeline ${result.pipeline.id}: ${result.pipeline.state}`,
    ...result.pipeline.stages.map((stage) => `  ${stage.id.padEnd(14)} ${stage.state.padEnd(10)} deal ${stage.dealId} task ${stage.taskIndex}${stage.final ? "  (final: encrypted to the requester)" : "  (sealed for the consuming enclave)"}`),
    "",
    "Per district (decrypted by the requester only):",
    "  district      hours  PM2.5 µg/m³  NO2 µg/m³  vehicles/h  corr(traffic, PM2.5)",
    ...result.districts.map(
      (district) =>
        `  ${district.district.padEnd(13)} ${String(district.hours).padStart(5)}  ${district.meanPm25.toFixed(2).padStart(11)}  ${district.meanNo2.toFixed(2).padStart(9)}  ${district.meanVehiclesPerHour.toFixed(1).padStart(10)}  ${district.trafficPm25Correlation === null ? "—" : district.trafficPm25Correlation.toFixed(3)}`,
    ),
    "",
    `Cleaning: air readings kept ${result.cleaning.air.kept}, dropped ${result.cleaning.air.dropped} (the owner wrote ${result.cleaning.air.brokenWritten} broken);` +
      ` traffic counts kept ${result.cleaning.traffic.kept}, dropped ${result.cleaning.traffic.dropped} (${result.cleaning.traffic.brokenWritten} broken).`,
    `The requester's key on an intermediate output: refused (${result.intermediateRefusal}).`,
    `Result files: ${result.resultDir}`,
    `See the DAG: ${result.explorerUrl}`,
  ];
  return lines.join("\n");
}
