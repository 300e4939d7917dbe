#!/bin/bash
# A/B of the whole GENBRUG pipeline on the national world between two checkouts, alternating:
# each run is `benchmarks.run --national WORLD --skip-pandas` on a fresh data directory, so a
# change that alters what later stages read (the population's storage) is measured in all of
# them. For a change of one stage, `ab.sh` on one prepared directory is cheaper.
#
#   benchmarks/ab_pipeline.sh WORLD ROUNDS /tmp/before /tmp/after > ab.log
#   python -m benchmarks.ab_record ab.log --what "..." --before "..." --after "..." > ab.json
#
# Prints the lines of `ab.sh` (stage, checkout, wall s, CPU s, 1-minute load), one per stage.
set -euo pipefail
world=$1; rounds=$2; a=$3; b=$4
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for _ in $(seq 1 "$rounds"); do
  for side in "$a" "$b"; do
    (cd "$side" && python3 -m uv run python -m benchmarks.run --national "$world" \
      --handbu-rows '' --skip-pandas --data-dir "$work/data" --out "$work/run.json" \
      > "$work/run.log" 2>&1)
    python3 -c "import json, sys
s = json.load(open(sys.argv[1]))['sizes'][0]['stages']
for name, st in s.items():
    print(name, sys.argv[2], round(st['seconds'], 2), round(st['cpu_seconds'], 2),
          st['load_1min'][-1], flush=True)" "$work/run.json" "$(basename "$side")"
  done
done
