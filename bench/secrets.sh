#!/usr/bin/env bash
# Times trustmap's secret scanning against Kingfisher on the same inputs, in one run, and
# prints medians and ratios (wall time and peak RSS):
#
#   files    trustmap secrets DIR            vs  kingfisher scan DIR --git-history none
#   history  trustmap secrets REPO --history vs  kingfisher scan REPO --git-history full
#
#   bash bench/secrets.sh [RUNS]
#
# FILES    directories to scan as files     (default: every /work/corpus/*)
# REPOS    git repositories for history     (default: every /work/.mirror/*/repo)
# TRUSTMAP the trustmap binary              (default: target/release/trustmap; built if missing)
# VENV     venv holding kingfisher-bin      (default: $HOME/.cache/trustmap-bench/kf-venv)
#
# Both tools run offline: Kingfisher with --no-validate (no network), 2 jobs (its default; the
# same as rayon's default on a 2-core machine). Rounds alternate tools (A B A B ...) so
# background load hits both alike; round 0 warms the page cache and Kingfisher's compiled rule
# cache and is not counted. The inputs are public repositories; never commit them.
set -uo pipefail
runs=${1:-3}
cd "$(dirname "$0")/.."
TRUSTMAP=${TRUSTMAP:-target/release/trustmap}
VENV=${VENV:-$HOME/.cache/trustmap-bench/kf-venv}
FILES=${FILES:-$(find /work/corpus -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort)}
REPOS=${REPOS:-$(find /work/.mirror -mindepth 2 -maxdepth 2 -type d -name repo 2>/dev/null | sort)}
[ -x "$TRUSTMAP" ] || cargo build --release --locked -p trustmap || exit 2
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; } || exit 2
if [ ! -x "$VENV/bin/kingfisher" ]; then
  (cd /tmp && python3 -m venv "$VENV" && "$VENV/bin/pip" install -q kingfisher-bin) || exit 2
fi
KF="$VENV/bin/kingfisher"
echo "trustmap: $("$TRUSTMAP" --version)  kingfisher: $("$KF" --version)  cores: $(nproc)"

cmd_of() { # tool mode target
  case $1/$2 in
    trustmap/files)   echo "$TRUSTMAP secrets $3 --format json --quiet" ;;
    trustmap/history) echo "$TRUSTMAP secrets $3 --history --format json --quiet" ;;
    kingfisher/files)   echo "$KF scan $3 --git-history none --no-validate --no-update-check -q -f json" ;;
    kingfisher/history) echo "$KF scan $3 --git-history full --no-validate --no-update-check -q -f json" ;;
  esac
}

count_of() { # tool json-file → number of findings
  # Kingfisher writes one JSON document per git repository it finds (nested repositories
  # included), one after the other: count the findings of every document.
  python3 - "$1" "$2" <<'PY'
import json, sys
try:
    text, dec, pos, n = open(sys.argv[2]).read(), json.JSONDecoder(), 0, 0
    while pos < len(text.rstrip()):
        d, pos = dec.raw_decode(text, pos)
        n += len(d.get("findings", []))
        while pos < len(text) and text[pos].isspace():
            pos += 1
    print(n)
except Exception:
    print("?")
PY
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run_mode() { # mode targets...
  local mode=$1; shift
  for target in "$@"; do
    local name
    name=$(basename "$target"); [ "$name" = repo ] && name=$(basename "$(dirname "$target")")
    for r in $(seq 0 "$runs"); do
      for t in trustmap kingfisher; do
        /usr/bin/time -f '%e %M' -o "$tmp/t" bash -c "$(cmd_of "$t" "$mode" "$target") >$tmp/out.json 2>/dev/null"
        if [ "$r" -gt 0 ]; then
          echo "$mode $name $t $(tail -n1 "$tmp/t") $(count_of "$t" "$tmp/out.json")" >> "$tmp/all"
        fi
      done
    done
  done
}
# shellcheck disable=SC2086
run_mode files $FILES
# shellcheck disable=SC2086
run_mode history $REPOS

python3 - "$tmp/all" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    mode, name, tool, wall, rss, n = line.split()
    rows[(mode, name)][tool].append((float(wall), int(rss), n))
print(f"{'mode':8s} {'input':40s} {'tm s':>7s} {'kf s':>7s} {'kf/tm':>6s} {'tm MiB':>7s} {'kf MiB':>7s} {'tm #':>5s} {'kf #':>5s}")
ratios = collections.defaultdict(list)
for (mode, name), tools in rows.items():
    med = {t: (statistics.median(w for w, _, _ in v), max(r for _, r, _ in v) / 1024, v[-1][2]) for t, v in tools.items()}
    tm, kf = med.get("trustmap"), med.get("kingfisher")
    if not tm or not kf:
        continue
    ratio = kf[0] / max(tm[0], 0.005)
    ratios[mode].append(ratio)
    print(f"{mode:8s} {name:40s} {tm[0]:7.2f} {kf[0]:7.2f} {ratio:6.1f} {tm[1]:7.0f} {kf[1]:7.0f} {tm[2]:>5s} {kf[2]:>5s}")
for mode, rs in ratios.items():
    geo = statistics.geometric_mean(rs)
    print(f"{mode}: Kingfisher takes {geo:.1f}x trustmap's wall time (geometric mean of {len(rs)} inputs, median of runs)")
print("(# = findings reported; the tools' rules differ, so counts are context, not a score)")
PY
