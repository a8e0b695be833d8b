# district-air entrypoint: params.step says which pipeline step this task is.
#   clean-air      reads the dataset (sensor,district,hour,pm25,no2), writes air.csv + cleaning.json
#   clean-traffic  reads the dataset (counter,district,hour,vehicles), writes traffic.csv + cleaning.json
#   join           reads air.csv and traffic.csv from the stages it consumes (<input>/stages/<stage>/),
#                  or, run outside a pipeline, from a dataset {"air.csv": ..., "traffic.csv": ...};
#                  writes districts.json (with the cleaning stages' kept/dropped counts)
import json
import os
import sys

from districtair import clean_air, clean_traffic, join_districts, to_json


def fail(message):
    sys.stderr.write(f"district-air: {message}\n")
    sys.exit(2)


def write(directory, name, text):
    with open(os.path.join(directory, name), "w", encoding="utf-8", newline="") as out:
        out.write(text)


def dataset_text(input_directory):
    path = os.environ.get("CONTINUUM_DATASET_FILE")
    if not path:
        fail("this step reads a dataset, and the task has none")
    with open(path, "rb") as dataset:
        return dataset.read().decode("utf-8", errors="replace")


def stage_files(input_directory, name):
    """{stage: text} of every consumed stage's output file `name`."""
    stages = os.path.join(input_directory, "stages")
    found = {}
    if os.path.isdir(stages):
        for stage in sorted(os.listdir(stages)):
            candidate = os.path.join(stages, stage, name)
            if os.path.isfile(candidate):
                with open(candidate, encoding="utf-8") as source:
                    found[stage] = source.read()
    return found


def stage_file(input_directory, name):
    found = stage_files(input_directory, name)
    if len(found) != 1:
        fail(f"the join reads exactly one {name} from the stages it consumes, found {len(found)}")
    return next(iter(found.values()))


def main():
    input_directory = os.environ.get("CONTINUUM_INPUT")
    output_directory = os.environ.get("CONTINUUM_OUTPUT")
    if not input_directory or not output_directory:
        fail("set CONTINUUM_INPUT and CONTINUUM_OUTPUT")
    try:
        params = json.loads(os.environ.get("CONTINUUM_PARAMS") or "{}")
    except ValueError:
        fail('task params must be JSON, e.g. {"step":"join"}')
    step = params.get("step") if isinstance(params, dict) else None
    try:
        if step == "clean-air":
            csv, report = clean_air(dataset_text(input_directory))
            write(output_directory, "air.csv", csv)
            write(output_directory, "cleaning.json", to_json(report) + "\n")
        elif step == "clean-traffic":
            csv, report = clean_traffic(dataset_text(input_directory))
            write(output_directory, "traffic.csv", csv)
            write(output_directory, "cleaning.json", to_json(report) + "\n")
        elif step == "join" and os.path.isdir(os.path.join(input_directory, "stages")):
            result = join_districts(stage_file(input_directory, "air.csv"), stage_file(input_directory, "traffic.csv"))
            # What each cleaning stage kept and dropped: counts only, no readings.
            result["cleaning"] = {stage: json.loads(text) for stage, text in stage_files(input_directory, "cleaning.json").items()}
            write(output_directory, "districts.json", to_json(result) + "\n")
        elif step == "join":
            # Without a pipeline, the cleaned files come hand-carried as one dataset:
            # {"air.csv": "...", "traffic.csv": "...", "cleaning": {...}}.
            try:
                carried = json.loads(dataset_text(input_directory))
                result = join_districts(carried["air.csv"], carried["traffic.csv"])
            except (KeyError, TypeError):
                fail('a join without stage inputs reads a dataset {"air.csv": ..., "traffic.csv": ...}')
            result["cleaning"] = carried.get("cleaning", {})
            write(output_directory, "districts.json", to_json(result) + "\n")
        else:
            fail('params.step must be "clean-air", "clean-traffic" or "join"')
    except ValueError as error:
        fail(str(error))


main()
