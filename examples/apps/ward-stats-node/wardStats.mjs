// Statistics of vital-sign readings per hospital ward: counts, means and how many readings fall
// outside the normal ranges below. Pure functions; main.mjs does the file handling.

/** Normal ranges, inclusive: a value below `min` or above `max` is anomalous. */
export const DEFAULT_THRESHOLDS = Object.freeze({
  heartRate: Object.freeze({ min: 50, max: 120, unit: "beats/min" }),
  systolic: Object.freeze({ min: 90, max: 180, unit: "mmHg" }),
  spo2: Object.freeze({ min: 92, max: 100, unit: "%" }),
  temperature: Object.freeze({ min: 35, max: 38, unit: "°C" }),
});

export const VITALS = Object.freeze(["heartRate", "systolic", "spo2", "temperature"]);
const COLUMNS = Object.freeze(["ward", "day", "patient", ...VITALS]);

/** Rows from CSV text (header line naming the columns) or JSON text (an array of objects). */
export function parseReadings(text) {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    const json = JSON.parse(trimmed);
    const rows = Array.isArray(json) ? json : json.readings;
    if (!Array.isArray(rows)) throw new Error("a JSON dataset is an array of readings or { readings: [...] }");
    return rows;
  }
  return parseCsv(trimmed);
}

function parseCsv(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length === 0) return [];
  const header = splitCsvLine(lines[0]).map((name) => name.trim());
  const missing = COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new Error(`the CSV header lacks column(s): ${missing.join(", ")}`);
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    return Object.fromEntries(header.map((name, index) => [name, cells[index]]));
  });
}

/** Splits one CSV line, honouring double-quoted cells with "" as an escaped quote. */
function splitCsvLine(line) {
  const cells = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quoted && character === '"' && line[index + 1] === '"') {
      cell += '"';
      index += 1;
    } else if (character === '"') {
      quoted = !quoted;
    } else if (character === "," && !quoted) {
      cells.push(cell);
      cell = "";
    } else {
      cell += character;
    }
  }
  cells.push(cell);
  return cells;
}

/** Thresholds with the overrides given in task params, e.g. { "thresholds": { "spo2": { "min": 90 } } }. */
export function thresholdsFrom(params) {
  const overrides = params?.thresholds ?? {};
  const thresholds = {};
  for (const vital of VITALS) {
    const range = { ...DEFAULT_THRESHOLDS[vital], ...(overrides[vital] ?? {}) };
    if (!Number.isFinite(range.min) || !Number.isFinite(range.max) || range.min > range.max) {
      throw new Error(`threshold for ${vital} must have numeric min <= max`);
    }
    thresholds[vital] = range;
  }
  return thresholds;
}

/** A reading with numeric vitals, or undefined when a field is missing or not a number. */
function normalize(row) {
  const ward = typeof row.ward === "string" ? row.ward.trim() : "";
  const patient = row.patient === undefined || row.patient === null ? "" : String(row.patient).trim();
  const day = row.day === undefined || row.day === null ? "" : String(row.day).trim();
  if (ward === "" || patient === "" || day === "") return undefined;
  const reading = { ward, patient, day };
  for (const vital of VITALS) {
    const value = numberOf(row[vital]);
    if (!Number.isFinite(value)) return undefined;
    reading[vital] = value;
  }
  return reading;
}

function numberOf(value) {
  if (typeof value === "number") return value;
  const text = String(value ?? "").trim();
  return text === "" ? Number.NaN : Number(text);
}

export function computeWardStats(rows, thresholds = thresholdsFrom(undefined)) {
  const wards = new Map();
  let skippedRows = 0;
  for (const row of rows) {
    const reading = normalize(row);
    if (reading === undefined) {
      skippedRows += 1;
      continue;
    }
    if (!wards.has(reading.ward)) wards.set(reading.ward, emptyWard());
    addReading(wards.get(reading.ward), reading, thresholds);
  }
  const summaries = [...wards.keys()].sort().map((ward) => summarize(ward, wards.get(ward)));
  const readings = summaries.reduce((sum, ward) => sum + ward.readings, 0);
  const anomalousReadings = summaries.reduce((sum, ward) => sum + ward.anomalousReadings, 0);
  return {
    thresholds,
    rule: "A reading is anomalous when any of its vital signs lies outside [min, max].",
    totals: { readings, anomalousReadings, anomalousShare: share(anomalousReadings, readings), skippedRows },
    wards: summaries,
  };
}

function emptyWard() {
  const zeroes = () => Object.fromEntries(VITALS.map((vital) => [vital, 0]));
  return { readings: 0, anomalousReadings: 0, patients: new Set(), days: new Set(), sums: zeroes(), anomalies: zeroes() };
}

function addReading(ward, reading, thresholds) {
  ward.readings += 1;
  ward.patients.add(reading.patient);
  ward.days.add(reading.day);
  let anomalous = false;
  for (const vital of VITALS) {
    const value = reading[vital];
    ward.sums[vital] += value;
    if (value < thresholds[vital].min || value > thresholds[vital].max) {
      ward.anomalies[vital] += 1;
      anomalous = true;
    }
  }
  if (anomalous) ward.anomalousReadings += 1;
}

function summarize(name, ward) {
  return {
    ward: name,
    readings: ward.readings,
    patients: ward.patients.size,
    days: ward.days.size,
    mean: Object.fromEntries(VITALS.map((vital) => [vital, round(ward.sums[vital] / ward.readings, 2)])),
    anomalies: { ...ward.anomalies },
    anomalousReadings: ward.anomalousReadings,
    anomalousShare: share(ward.anomalousReadings, ward.readings),
  };
}

function share(part, whole) {
  return whole === 0 ? 0 : round(part / whole, 4);
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
