// Deterministic city datasets for the confidential-pipeline demo: the environment department's
// air-quality sensor readings and the mobility department's traffic counts, per district and hour.
// Fine dust rises with traffic (plus noise), so the per-district join has something to find; a known
// share of rows is broken the way field data is (offline sensors, negative counts, empty fields),
// so the cleaning stages have something to drop.
import { mulberry32, type Random } from "./wardVitals.ts";

/** Districts with their traffic level (vehicles per hour at the busiest hour, per counter). */
export const CITY_DISTRICTS: Readonly<Record<string, number>> = Object.freeze({
  "old-town": 1_400,
  harbour: 2_300,
  "north-park": 500,
  university: 900,
  "west-end": 1_800,
});

export interface CityMobilityOptions {
  seed: number;
  /** Hours of readings (from 00:00 of the start date). */
  hours?: number;
  sensorsPerDistrict?: number;
  countersPerDistrict?: number;
  /** Share of rows written broken (default 0.04). */
  brokenShare?: number;
  startDate?: string;
}

export interface CityMobilityData {
  /** sensor,district,hour,pm25,no2 */
  airQualityCsv: string;
  /** counter,district,hour,vehicles */
  trafficCsv: string;
  /** Rows written broken on purpose, per dataset: what the cleaning stages should drop. */
  broken: { air: number; traffic: number };
}

/** How busy an hour of the day is, 0.1 at night to 1 at the rush hours. */
function rushFactor(hourOfDay: number): number {
  const morning = Math.exp(-((hourOfDay - 8) ** 2) / 4);
  const evening = Math.exp(-((hourOfDay - 17.5) ** 2) / 5);
  return 0.1 + 0.9 * Math.max(morning, evening);
}

export function generateCityMobility(options: CityMobilityOptions): CityMobilityData {
  const random = mulberry32(options.seed);
  const hours = options.hours ?? 48;
  const sensors = options.sensorsPerDistrict ?? 3;
  const counters = options.countersPerDistrict ?? 2;
  const brokenShare = options.brokenShare ?? 0.04;
  const start = Date.parse(`${options.startDate ?? "2030-06-03"}T00:00:00Z`);
  const air = ["sensor,district,hour,pm25,no2"];
  const traffic = ["counter,district,hour,vehicles"];
  const broken = { air: 0, traffic: 0 };
  for (const [district, peak] of Object.entries(CITY_DISTRICTS)) {
    for (let hour = 0; hour < hours; hour += 1) {
      const stamp = new Date(start + hour * 3_600_000).toISOString().slice(0, 13) + ":00Z";
      const vehicles = peak * rushFactor(hour % 24);
      for (let counter = 1; counter <= counters; counter += 1) {
        const count = Math.round(vehicles * (0.85 + 0.3 * random()));
        const row = [`${district}-c${counter}`, district, stamp, String(count)];
        if (random() < brokenShare) {
          broken.traffic += 1;
          breakRow(random, row, 3, ["-1", "", "n/a"]);
        }
        traffic.push(row.join(","));
      }
      for (let sensor = 1; sensor <= sensors; sensor += 1) {
        const pm25 = 4 + vehicles / 80 + 6 * random();
        const no2 = 8 + vehicles / 45 + 10 * random();
        const row = [`${district}-s${sensor}`, district, stamp, pm25.toFixed(1), no2.toFixed(1)];
        if (random() < brokenShare) {
          broken.air += 1;
          breakRow(random, row, 3, ["-999", "", "NaN", "9999"]);
        }
        air.push(row.join(","));
      }
    }
  }
  return { airQualityCsv: `${air.join("\n")}\n`, trafficCsv: `${traffic.join("\n")}\n`, broken };
}

/** Breaks a measurement field of `row` (from index `first`) or its district, as field data breaks. */
function breakRow(random: Random, row: string[], first: number, values: readonly string[]): void {
  if (random() < 0.2) {
    row[1] = "";
    return;
  }
  const field = first + Math.floor(random() * (row.length - first));
  row[field] = values[Math.floor(random() * values.length)]!;
}
