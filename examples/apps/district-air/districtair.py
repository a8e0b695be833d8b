# The three steps of the district-air pipeline app, as plain functions over text: cleaning the
# environment department's sensor readings, cleaning the mobility department's traffic counts, and
# joining both per district. Pure Python (no native packages), so its measurement is the bundle.
import json
import math

AIR_HEADER = "district,hour,pm25,no2"
TRAFFIC_HEADER = "district,hour,vehicles"
# Readings outside these bounds are sensor faults, not air.
PM25_RANGE = (0.0, 500.0)
NO2_RANGE = (0.0, 1000.0)


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _rows(text, columns):
    lines = [line for line in text.splitlines() if line.strip() != ""]
    if not lines:
        raise ValueError("the dataset is empty")
    header = [name.strip() for name in lines[0].split(",")]
    missing = [name for name in columns if name not in header]
    if missing:
        raise ValueError(f"the dataset has no column {', '.join(missing)}")
    for line in lines[1:]:
        fields = line.split(",")
        if len(fields) != len(header):
            yield None
            continue
        yield {name: fields[header.index(name)].strip() for name in columns}


def clean_air(text):
    """Hourly means per district of the valid readings; returns (csv, report)."""
    kept, dropped = {}, 0
    for row in _rows(text, ["district", "hour", "pm25", "no2"]):
        pm25 = _number(row["pm25"]) if row else None
        no2 = _number(row["no2"]) if row else None
        if row is None or row["district"] == "" or row["hour"] == "" or pm25 is None or no2 is None \
                or not PM25_RANGE[0] <= pm25 <= PM25_RANGE[1] or not NO2_RANGE[0] <= no2 <= NO2_RANGE[1]:
            dropped += 1
            continue
        kept.setdefault((row["district"], row["hour"]), []).append((pm25, no2))
    lines = [AIR_HEADER]
    for (district, hour), values in sorted(kept.items()):
        pm25 = sum(value[0] for value in values) / len(values)
        no2 = sum(value[1] for value in values) / len(values)
        lines.append(f"{district},{hour},{pm25:.2f},{no2:.2f}")
    readings = sum(len(values) for values in kept.values())
    return "\n".join(lines) + "\n", {"step": "clean-air", "kept": readings, "dropped": dropped, "hours": len(kept)}


def clean_traffic(text):
    """Vehicles per hour and district (all counters summed) of the valid counts; returns (csv, report)."""
    kept, dropped, counted = {}, 0, 0
    for row in _rows(text, ["district", "hour", "vehicles"]):
        vehicles = _number(row["vehicles"]) if row else None
        if row is None or row["district"] == "" or row["hour"] == "" or vehicles is None or vehicles < 0:
            dropped += 1
            continue
        counted += 1
        key = (row["district"], row["hour"])
        kept[key] = kept.get(key, 0) + vehicles
    lines = [TRAFFIC_HEADER]
    for (district, hour), vehicles in sorted(kept.items()):
        lines.append(f"{district},{hour},{vehicles:.0f}")
    return "\n".join(lines) + "\n", {"step": "clean-traffic", "kept": counted, "dropped": dropped, "hours": len(kept)}


def _correlation(pairs):
    if len(pairs) < 3:
        return None
    xs, ys = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return round(sxy / math.sqrt(sxx * syy), 3)


def join_districts(air_csv, traffic_csv):
    """Per district: hours seen by both, mean PM2.5 and NO2, mean vehicles per hour, and the hourly
    correlation of traffic with PM2.5; districts sorted by mean PM2.5, highest first."""
    air = {(row["district"], row["hour"]): (float(row["pm25"]), float(row["no2"])) for row in _rows(air_csv, ["district", "hour", "pm25", "no2"]) if row}
    traffic = {(row["district"], row["hour"]): float(row["vehicles"]) for row in _rows(traffic_csv, ["district", "hour", "vehicles"]) if row}
    districts = {}
    for key in sorted(set(air) & set(traffic)):
        districts.setdefault(key[0], []).append((traffic[key], air[key][0], air[key][1]))
    summary = []
    for district, hours in districts.items():
        summary.append({
            "district": district,
            "hours": len(hours),
            "meanPm25": round(sum(hour[1] for hour in hours) / len(hours), 2),
            "meanNo2": round(sum(hour[2] for hour in hours) / len(hours), 2),
            "meanVehiclesPerHour": round(sum(hour[0] for hour in hours) / len(hours), 1),
            "trafficPm25Correlation": _correlation([(hour[0], hour[1]) for hour in hours]),
        })
    summary.sort(key=lambda entry: (-entry["meanPm25"], entry["district"]))
    return {"app": "district-air", "version": "1.0.0", "districts": summary}


def to_json(value):
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)
