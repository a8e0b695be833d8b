# Statistics of vital-sign readings per hospital ward: counts, means and how many readings fall
# outside the normal ranges below. Pure functions; main.py does the file handling. The same rules,
# numbers and output as the JavaScript version (examples/apps/ward-stats-node), via jscompat.
import math
import re

from jscompat import js_number, js_round, js_string, js_trim, js_trim_start, parse_json, to_json, utf16_order

__all__ = ["DEFAULT_THRESHOLDS", "VITALS", "compute_ward_stats", "parse_params", "parse_readings", "thresholds_from", "to_json", "utf16_order"]

# Normal ranges, inclusive: a value below min or above max is anomalous.
DEFAULT_THRESHOLDS = {
    "heartRate": {"min": 50, "max": 120, "unit": "beats/min"},
    "systolic": {"min": 90, "max": 180, "unit": "mmHg"},
    "spo2": {"min": 92, "max": 100, "unit": "%"},
    "temperature": {"min": 35, "max": 38, "unit": "°C"},
}
VITALS = ("heartRate", "systolic", "spo2", "temperature")
COLUMNS = ("ward", "day", "patient", *VITALS)
RULE = "A reading is anomalous when any of its vital signs lies outside [min, max]."


def parse_params(text):
    """The task params (JSON) or None when there are none; ValueError when they are not JSON."""
    return None if text is None else parse_json(text)


def parse_readings(text):
    """Rows from CSV text (header line naming the columns) or JSON text (an array of objects)."""
    trimmed = js_trim_start(text)
    if trimmed.startswith("[") or trimmed.startswith("{"):
        data = parse_json(trimmed)
        rows = data if isinstance(data, list) else data.get("readings") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise ValueError("a JSON dataset is an array of readings or { readings: [...] }")
        return rows
    return _parse_csv(trimmed)


def _parse_csv(text):
    lines = [line for line in re.split(r"\r?\n", text) if js_trim(line) != ""]
    if not lines:
        return []
    header = [js_trim(name) for name in _split_csv_line(lines[0])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ValueError(f"the CSV header lacks column(s): {', '.join(missing)}")
    rows = []
    for line in lines[1:]:
        cells = _split_csv_line(line)
        rows.append({name: cells[index] if index < len(cells) else None for index, name in enumerate(header)})
    return rows


def _split_csv_line(line):
    """Splits one CSV line, honouring double-quoted cells with "" as an escaped quote."""
    cells, cell, quoted, index = [], "", False, 0
    while index < len(line):
        character = line[index]
        if quoted and character == '"' and line[index + 1 : index + 2] == '"':
            cell += '"'
            index += 1
        elif character == '"':
            quoted = not quoted
        elif character == "," and not quoted:
            cells.append(cell)
            cell = ""
        else:
            cell += character
        index += 1
    cells.append(cell)
    return cells


def _finite_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def thresholds_from(params):
    """Thresholds with the overrides given in task params, e.g. {"thresholds": {"spo2": {"min": 90}}}."""
    overrides = params.get("thresholds") if isinstance(params, dict) else None
    thresholds = {}
    for vital in VITALS:
        limits = dict(DEFAULT_THRESHOLDS[vital])
        override = overrides.get(vital) if isinstance(overrides, dict) else None
        if isinstance(override, dict):
            limits.update(override)
        if not (_finite_number(limits.get("min")) and _finite_number(limits.get("max")) and limits["min"] <= limits["max"]):
            raise ValueError(f"threshold for {vital} must have numeric min <= max")
        thresholds[vital] = limits
    return thresholds


def _number_of(value):
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    text = "" if value is None else js_trim(js_string(value))
    return math.nan if text == "" else js_number(text)


def _normalize(row):
    """A reading with numeric vitals, or None when a field is missing or not a number."""
    if not isinstance(row, dict):
        return None
    ward = js_trim(row["ward"]) if isinstance(row.get("ward"), str) else ""
    patient = "" if row.get("patient") is None else js_trim(js_string(row["patient"]))
    day = "" if row.get("day") is None else js_trim(js_string(row["day"]))
    if ward == "" or patient == "" or day == "":
        return None
    reading = {"ward": ward, "patient": patient, "day": day}
    for vital in VITALS:
        value = _number_of(row.get(vital))
        if not math.isfinite(value):
            return None
        reading[vital] = value
    return reading


def compute_ward_stats(rows, thresholds=None):
    thresholds = thresholds if thresholds is not None else thresholds_from(None)
    wards = {}
    skipped_rows = 0
    for row in rows:
        reading = _normalize(row)
        if reading is None:
            skipped_rows += 1
            continue
        _add_reading(wards.setdefault(reading["ward"], _empty_ward()), reading, thresholds)
    summaries = [_summarize(name, wards[name]) for name in sorted(wards, key=utf16_order)]
    readings = sum(ward["readings"] for ward in summaries)
    anomalous = sum(ward["anomalousReadings"] for ward in summaries)
    return {
        "thresholds": thresholds,
        "rule": RULE,
        "totals": {"readings": readings, "anomalousReadings": anomalous, "anomalousShare": _share(anomalous, readings), "skippedRows": skipped_rows},
        "wards": summaries,
    }


def _empty_ward():
    return {"readings": 0, "anomalous": 0, "patients": set(), "days": set(), "sums": dict.fromkeys(VITALS, 0.0), "anomalies": dict.fromkeys(VITALS, 0)}


def _add_reading(ward, reading, thresholds):
    ward["readings"] += 1
    ward["patients"].add(reading["patient"])
    ward["days"].add(reading["day"])
    anomalous = False
    for vital in VITALS:
        value = reading[vital]
        ward["sums"][vital] += value
        if value < thresholds[vital]["min"] or value > thresholds[vital]["max"]:
            ward["anomalies"][vital] += 1
            anomalous = True
    if anomalous:
        ward["anomalous"] += 1


def _summarize(name, ward):
    return {
        "ward": name,
        "readings": ward["readings"],
        "patients": len(ward["patients"]),
        "days": len(ward["days"]),
        "mean": {vital: js_round(ward["sums"][vital] / ward["readings"], 2) for vital in VITALS},
        "anomalies": dict(ward["anomalies"]),
        "anomalousReadings": ward["anomalous"],
        "anomalousShare": _share(ward["anomalous"], ward["readings"]),
    }


def _share(part, whole):
    return 0 if whole == 0 else js_round(part / whole, 4)
