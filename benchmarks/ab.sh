#!/bin/bash
# A/B of benchmark stages between two checkouts of this repository, alternating, each run on
# a fresh copy of one prepared work directory, so that a change of a few CPU seconds can be
# told from the machine's noise (issue 15; results/ab-national-view.json).
#
#   git worktree add /tmp/before OLD && git worktree add /tmp/after NEW   # then `uv sync` in each
#   (cd /tmp/after && uv run python -m benchmarks.run _stage population WORLD /tmp/prepared r.json)
#   (cd /tmp/after && uv run python -m benchmarks.run _stage intake WORLD /tmp/prepared r.json)
#   benchmarks/ab.sh "process tables" WORLD /tmp/prepared 3 /tmp/before /tmp/after
#
# Prints one line per stage and run: stage, checkout, wall s, CPU s, 1-minute load.
set -euo pipefail
stages=$1; world=$2; prepared=$3; rounds=$4; a=$5; b=$6
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for _ in $(seq 1 "$rounds"); do
  for side in "$a" "$b"; do
    rm -rf "$work/run" && cp -a "$prepared" "$work/run"
    for stage in $stages; do
      (cd "$side" && python3 -m uv run python -m benchmarks.run _stage "$stage" "$world" \
        "$work/run" "$work/result.json" > "$work/stage.log" 2>&1)
      python3 -c "import json, os, sys; d = json.load(open(sys.argv[1])); print(sys.argv[2], \
sys.argv[3], round(d['seconds'], 2), round(d['cpu_seconds'], 2), os.getloadavg()[0], flush=True)" \
        "$work/result.json" "$stage" "$(basename "$side")"
    done
  done
done
