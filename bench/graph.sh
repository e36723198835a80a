#!/usr/bin/env bash
# Times `trustmap paths` (scan + graph build + attack-path search + fixes) on generated
# estates of 2,500, 5,000 and 10,000 resources and prints wall time, peak RSS, graph size and
# how time grows with size (near-linear means ×2 resources ≈ ×2 time).
#
#   bash bench/graph.sh [RUNS] [SIZES...]
#
# RUNS      measured runs per size (default 5; one warm-up run before them is not counted)
# SIZES     resource counts, multiples of 20 (default: 2500 5000 10000)
# TRUSTMAP  the trustmap binary (default: target/release/trustmap; built if missing)
#
# The estates are written by bench/gen_estate.py into a temporary directory and removed
# afterwards; nothing is downloaded.
set -euo pipefail
runs=${1:-5}
shift || true
sizes=${*:-2500 5000 10000}
cd "$(dirname "$0")/.."
TRUSTMAP=${TRUSTMAP:-target/release/trustmap}
[ -x "$TRUSTMAP" ] || cargo build --release --locked -p trustmap
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-9s %9s %9s %8s %8s %7s %s\n' resources nodes edges paths "median s" "MiB" "(runs: seconds)"
for n in $sizes; do
  dir="$tmp/estate-$n"
  python3 bench/gen_estate.py "$dir" "$n" >/dev/null
  # Graph size, from the same scan.
  read -r nodes edges < <("$TRUSTMAP" graph "$dir" --format json --quiet |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["nodes"]), len(d["edges"]))')
  paths=$("$TRUSTMAP" paths "$dir" --format json --quiet |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["attack_paths"]))') || true
  times=()
  rss=0
  for r in $(seq 0 "$runs"); do
    # Exit 1 means "paths found": expected here.
    /usr/bin/time -f '%e %M' -o "$tmp/t" "$TRUSTMAP" paths "$dir" --format json --quiet >/dev/null || true
    # time -o writes "Command exited with non-zero status 1" first: the figures are last.
    read -r secs kib < <(tail -n1 "$tmp/t")
    [ "$r" -eq 0 ] && continue
    times+=("$secs")
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  printf '%-9s %9s %9s %8s %8s %7s (%s)\n' "$n" "$nodes" "$edges" "$paths" "$median" "$((rss / 1024))" "${times[*]}"
  echo "$n $median" >>"$tmp/medians"
done
# Growth: time per resource relative to the smallest size (1.00 = perfectly linear).
awk 'NR==1 {n0=$1; t0=$2} {printf "%s resources: %.2f× the resources, %.2f× the time\n", $1, $1/n0, (t0>0 ? $2/t0 : 0)}' "$tmp/medians"
