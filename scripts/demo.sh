#!/usr/bin/env bash
# The main job end to end on embedded defaults with synthetic data (README, first command).
set -euo pipefail
DEMO_DIR=${DEMO_DIR:-demo-output}
UV=${UV:-python3 -m uv}
export HANDISTAT_DATA_DIR=${HANDISTAT_DATA_DIR:-$DEMO_DIR/data}
H="$UV run --frozen handistat"
YEAR=$(( $(date +%Y) - 1 ))   # the latest complete year

rm -rf "$DEMO_DIR" && mkdir -p "$DEMO_DIR/tables"
$H init
$H synth --scale small --seed 1 --out "$DEMO_DIR/synth"
$H population load "$DEMO_DIR/synth/population"
$H deliver handbu "$DEMO_DIR"/synth/deliveries/handbu/*.csv > "$DEMO_DIR/handbu-intake.txt" || true
grep -c "partially_accepted\|rejected" "$DEMO_DIR/handbu-intake.txt" \
  | xargs -I{} echo "HANDBU: {} leverancer med afviste rækker (se $DEMO_DIR/handbu-intake.txt)"
$H process handbu
for t in HANDBU01 HANDBU02 HANDBU03 HANDBU04; do
  $H table "$t" --year "$YEAR"
  $H table "$t" --year "$YEAR" --format csv --out "$DEMO_DIR/tables/${t}_${YEAR}.csv"
done
echo "Tabellerne for $YEAR er skrevet som CSV i $DEMO_DIR/tables/"
