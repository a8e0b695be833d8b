# ward-stats entrypoint: reads every dataset file in the input directory (CSV or JSON readings of
# ward, day, patient, heartRate, systolic, spo2, temperature) and writes ward-stats.json.
import os
import sys

from wardstats import compute_ward_stats, parse_params, parse_readings, thresholds_from, to_json, utf16_order

OUTPUT_FILE = "ward-stats.json"


def argument(name):
    flag = f"--{name}"
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv[:-1] else None


def fail(message):
    sys.stderr.write(f"ward-stats: {message}\n")
    sys.exit(2)


def main():
    input_directory = os.environ.get("CONTINUUM_INPUT") or argument("input")
    output_directory = os.environ.get("CONTINUUM_OUTPUT") or argument("output")
    if not input_directory or not output_directory:
        fail("set CONTINUUM_INPUT and CONTINUUM_OUTPUT (or --input and --output)")
    try:
        params = parse_params(os.environ.get("CONTINUUM_PARAMS") or None)
    except ValueError:
        fail('task params must be JSON, e.g. {"thresholds":{"spo2":{"min":90}}}')

    with os.scandir(input_directory) as entries:
        files = sorted((entry.name for entry in entries if entry.is_file(follow_symlinks=False)), key=utf16_order)
    if not files:
        fail("the input directory holds no dataset")

    try:
        rows = []
        for name in files:
            with open(os.path.join(input_directory, name), "rb") as dataset:
                rows.extend(parse_readings(dataset.read().decode("utf-8", errors="replace")))
        thresholds = thresholds_from(params)
    except ValueError as error:
        fail(str(error))

    statistics = {"app": "ward-stats", "version": "2.0.0", **compute_ward_stats(rows, thresholds)}
    with open(os.path.join(output_directory, OUTPUT_FILE), "w", encoding="utf-8", newline="") as out:
        out.write(to_json(statistics) + "\n")


main()
