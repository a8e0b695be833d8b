// A deterministic generator of hospital vital-sign readings for the ward-stats example app and the
// demo: the same seed always yields the same dataset, with a known share of anomalous readings.

export interface VitalReading {
  ward: string;
  /** ISO date (UTC) of the reading. */
  day: string;
  patient: string;
  heartRate: number;
  systolic: number;
  spo2: number;
  temperature: number;
}

export interface WardVitalsOptions {
  seed: number;
  /** Ward names with the probability that a reading there is pushed out of its normal range. */
  wards?: Readonly<Record<string, number>>;
  days?: number;
  patientsPerWard?: number;
  readingsPerPatientPerDay?: number;
  /** First day, as an ISO date. */
  startDate?: string;
}

export const DEFAULT_WARDS: Readonly<Record<string, number>> = Object.freeze({
  cardiology: 0.12,
  geriatrics: 0.08,
  icu: 0.3,
  maternity: 0.03,
  oncology: 0.1,
});

const DAY_MS = 24 * 60 * 60 * 1000;

export function generateWardVitals(options: WardVitalsOptions): VitalReading[] {
  const random = mulberry32(options.seed);
  const wards = options.wards ?? DEFAULT_WARDS;
  const days = options.days ?? 7;
  const patients = options.patientsPerWard ?? 12;
  const perDay = options.readingsPerPatientPerDay ?? 3;
  const start = Date.parse(`${options.startDate ?? "2030-03-01"}T00:00:00Z`);
  const readings: VitalReading[] = [];
  for (const [ward, anomalyRate] of Object.entries(wards)) {
    for (let dayIndex = 0; dayIndex < days; dayIndex += 1) {
      const day = new Date(start + dayIndex * DAY_MS).toISOString().slice(0, 10);
      for (let patientIndex = 1; patientIndex <= patients; patientIndex += 1) {
        const patient = `${ward}-${String(patientIndex).padStart(3, "0")}`;
        for (let reading = 0; reading < perDay; reading += 1) {
          readings.push(vitalReading(random, { ward, day, patient }, anomalyRate));
        }
      }
    }
  }
  return readings;
}

const CSV_COLUMNS = ["ward", "day", "patient", "heartRate", "systolic", "spo2", "temperature"] as const;

export function wardVitalsToCsv(readings: readonly VitalReading[]): string {
  const lines = readings.map((reading) => CSV_COLUMNS.map((column) => String(reading[column])).join(","));
  return `${[CSV_COLUMNS.join(","), ...lines].join("\n")}\n`;
}

export function wardVitalsToJson(readings: readonly VitalReading[]): string {
  return `${JSON.stringify(readings)}\n`;
}

export type Random = () => number;

function vitalReading(random: Random, who: Pick<VitalReading, "ward" | "day" | "patient">, anomalyRate: number): VitalReading {
  const reading: VitalReading = {
    ...who,
    heartRate: Math.round(clamp(gaussian(random, 78, 9), 55, 115)),
    systolic: Math.round(clamp(gaussian(random, 122, 12), 95, 175)),
    spo2: Math.round(clamp(gaussian(random, 97, 1.2), 93, 100)),
    temperature: round1(clamp(gaussian(random, 36.8, 0.35), 35.5, 37.8)),
  };
  if (random() < anomalyRate) pushOutOfRange(random, reading);
  return reading;
}

/** Moves one vital sign outside the ward-stats normal range. */
function pushOutOfRange(random: Random, reading: VitalReading): void {
  const choice = Math.floor(random() * 4);
  const high = random() < 0.5;
  if (choice === 0) reading.heartRate = high ? between(random, 125, 160) : between(random, 38, 48);
  else if (choice === 1) reading.systolic = high ? between(random, 185, 215) : between(random, 70, 85);
  else if (choice === 2) reading.spo2 = between(random, 82, 91);
  else reading.temperature = high ? round1(38.3 + random() * 1.7) : round1(33.5 + random() * 1.2);
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function gaussian(random: Random, mean: number, deviation: number): number {
  const u = 1 - random();
  const v = random();
  return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A small, well-known 32-bit PRNG: enough for reproducible demo data, not for secrets. */
/** A small seeded generator of uniform numbers in [0, 1): the same seed, the same sequence. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
