#!/usr/bin/env bash
# The main job end to end on embedded defaults with synthetic data (README, first command).
set -euo pipefail
DEMO_DIR=${DEMO_DIR:-demo-output}
UV=${UV:-python3 -m uv}
export HANDISTAT_DATA_DIR=${HANDISTAT_DATA_DIR:-$DEMO_DIR/data}
H="$UV run --frozen handistat"
YEAR=$(( $(date +%Y) - 1 ))   # the latest complete year
SYNTH="$DEMO_DIR/synth"

rm -rf "$DEMO_DIR" && mkdir -p "$DEMO_DIR/tables"
$H init
$H synth --scale small --seed 1 --out "$SYNTH"
$H population load "$SYNTH/population"

echo "== HANDBU: leverancer, behandling, tabeller"
$H deliver handbu "$SYNTH"/deliveries/handbu/*.csv > "$DEMO_DIR/handbu-intake.txt" || true
echo "$(grep -c ': accepted' "$DEMO_DIR/handbu-intake.txt") leverancer modtaget uden fejl," \
     "$(grep -c 'partially_accepted\|: rejected' "$DEMO_DIR/handbu-intake.txt") med afviste" \
     "rækker (rapporter: $DEMO_DIR/handbu-intake.txt)"
$H process handbu
for t in HANDBU01 HANDBU02 HANDBU03 HANDBU04; do
  $H table "$t" --year "$YEAR"
  $H table "$t" --year "$YEAR" --format csv --out "$DEMO_DIR/tables/${t}_${YEAR}.csv"
done

echo "== GENBRUG: HMI-katalog, systemskifte, fulde leverancer, behandling, tabeller"
$H hmi load "$SYNTH/hmi_katalog.csv"
tail -n +2 "$SYNTH/systemskifter.csv" | while IFS=';' read -r kommune fra til dato; do
  $H systemskifte --kommune "$kommune" --fra "$fra" --til "$til" --dato "$dato"
done
$H deliver genbrug --dir "$SYNTH/deliveries/genbrug" > "$DEMO_DIR/genbrug-intake.txt"
$H process genbrug
$H rapport vis rensning --csv > "$DEMO_DIR/genbrug-rensning.csv"
for t in HJALP1 HJALP2; do
  $H table "$t" --year "$YEAR"
  $H table "$t" --year "$YEAR" --format csv --out "$DEMO_DIR/tables/${t}_${YEAR}.csv"
done
echo "Tabellerne for $YEAR er skrevet som Statbank-CSV i $DEMO_DIR/tables/"

echo "== Udgivelser: frys, godkend og offentliggør (kl. 08:00 eller nu)"
for stat in handbu genbrug; do
  id=$($H release create "$stat" --year "$YEAR" --at now | tail -1)
  $H release publish "$id"
done
$H release list
echo "Start webserveren med: make serve  (http://127.0.0.1:8000)"
