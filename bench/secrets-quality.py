#!/usr/bin/env python3
"""Precision and recall of trustmap and Kingfisher on the labelled secret sets.

    python3 bench/secrets-quality.py [SET.txt ...]

Default sets: crates/trustmap_secrets/tests/data/labelled.txt (the tuning set) and
heldout.txt (held out: never used to tune). Each record is written as its own file,
`<tmp>/<set>/rNNNN/<record path>`, and both tools scan the whole directory once, offline:

    trustmap   secrets DIR --format json --quiet
    kingfisher scan DIR --git-history none --no-validate --no-update-check --no-dedup -f json
               (its default, medium confidence and up; and again with --confidence low)

Counting is per record, the same for both tools (and the same as the Rust tests'
"per record" line): a true record is found when a finding in its file covers its secret's
lines (`L<a>-<b>` in the header; the whole file when absent); a false record with any
finding is a false positive. For trustmap the script also repeats `tests/labelled.rs`'s own
count (the record's detector id must fire; every other finding is a false positive) so the
two can be compared.

Environment: TRUSTMAP (default target/release/trustmap, built if missing), VENV (the venv
holding pip's `kingfisher-bin`, default $HOME/.cache/trustmap-bench/kf-venv, created if
missing), VERBOSE=1 to list each tool's misses and false alarms.
"""

import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates/trustmap_secrets/tests/data")
HEADER = re.compile(r"^### (true|false) (\S+) (\S+)(?: L(\d+)-(\d+))?\s*$")


def records(path):
    out = []
    for line in open(path, encoding="utf-8").read().splitlines():
        if line.startswith("### "):
            m = HEADER.match(line)
            if not m:
                sys.exit(f"{path}: bad header {line!r}")
            truth, det, rel, a, b = m.groups()
            lines = (int(a), int(b)) if a else None
            out.append({"truth": truth == "true", "detector": det, "path": rel, "lines": lines, "body": []})
        elif out:
            out[-1]["body"].append(line)
    return out


def materialise(recs, root):
    for i, r in enumerate(recs):
        r["dir"] = f"r{i:04d}"
        full = os.path.join(root, r["dir"], r["path"])
        os.makedirs(os.path.dirname(full), exist_ok=True)
        # The Rust tests scan the lines joined by "\n" without a final newline: the same bytes.
        with open(full, "w", encoding="utf-8") as f:
            f.write("\n".join(r["body"]))


def tools():
    trustmap = os.environ.get("TRUSTMAP", os.path.join(ROOT, "target/release/trustmap"))
    if not os.access(trustmap, os.X_OK):
        subprocess.run(["cargo", "build", "--release", "--locked", "-p", "trustmap"], cwd=ROOT, check=True)
    venv = os.environ.get("VENV", os.path.expanduser("~/.cache/trustmap-bench/kf-venv"))
    kf = os.path.join(venv, "bin/kingfisher")
    if not os.access(kf, os.X_OK):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True, cwd="/tmp")
        subprocess.run([os.path.join(venv, "bin/pip"), "install", "-q", "kingfisher-bin"], check=True, cwd="/tmp")
    return trustmap, kf


def run_json(cmd):
    """The findings of every JSON document the tool printed (Kingfisher prints one per git
    repository it finds)."""
    p = subprocess.run(cmd, capture_output=True)
    text, dec, pos, findings = p.stdout.decode(errors="replace"), json.JSONDecoder(), 0, []
    try:
        while pos < len(text.rstrip()):
            d, pos = dec.raw_decode(text, pos)
            findings += d.get("findings", [])
            while pos < len(text) and text[pos].isspace():
                pos += 1
    except json.JSONDecodeError:
        sys.exit(f"{cmd[0]} gave no JSON (exit {p.returncode}): {p.stderr.decode(errors='replace')[:2000]}")
    return {"findings": findings}


def trustmap_findings(bin_, root):
    d = run_json([bin_, "secrets", root, "--format", "json", "--quiet"])
    out = collections.defaultdict(list)
    for f in d.get("findings", []):
        out[f["path"]].append((f["start_line"], f["end_line"], f["rule_id"]))
    return out


def kingfisher_findings(bin_, root, *extra):
    d = run_json([bin_, "scan", root, "--git-history", "none", "--no-validate", "--no-update-check",
                  "--no-dedup", "-q", "-f", "json", *extra])
    out = collections.defaultdict(list)
    for f in d.get("findings", []):
        fd = f["finding"]
        path = os.path.relpath(os.path.abspath(fd["path"]), root)
        out[path].append((fd["line"], fd["line"], f["rule"]["id"]))
    return out


def score(recs, found):
    s = collections.Counter()
    misses, alarms = [], []
    for r in recs:
        hits = found.get(os.path.join(r["dir"], r["path"]), [])
        if r["truth"]:
            a, b = r["lines"] or (1, len(r["body"]))
            if any(start <= b and a <= end for start, end, _ in hits):
                s["tp"] += 1
            else:
                s["fn"] += 1
                misses.append(f"{r['dir']} {r['detector']} {r['path']}")
        elif hits:
            s["fp"] += 1
            alarms.append(f"{r['dir']} {r['path']}: {sorted({h[2] for h in hits})}")
        else:
            s["tn"] += 1
    return s, misses, alarms


def detector_score(recs, found):
    """tests/labelled.rs's count: the record's detector must fire; other findings are FPs."""
    tp = fn = fp = 0
    for r in recs:
        ids = [h[2] for h in found.get(os.path.join(r["dir"], r["path"]), [])]
        if r["truth"]:
            if r["detector"] in ids:
                tp += 1
            else:
                fn += 1
            fp += sum(1 for i in ids if i != r["detector"])
        else:
            fp += len(ids)
    return tp, fn, fp


def ratio(a, b):
    return a / b if b else 0.0


def main():
    sets = sys.argv[1:] or [os.path.join(DATA, "labelled.txt"), os.path.join(DATA, "heldout.txt")]
    trustmap, kf = tools()
    version = subprocess.run([kf, "--version"], capture_output=True, text=True).stdout.strip()
    tm_version = subprocess.run([trustmap, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{tm_version}; {version}; counted per record (see the script's doc)")
    print(f"{'set':10s} {'tool':11s} {'true':>5s} {'false':>5s} {'TP':>4s} {'FN':>4s} {'FP':>4s} {'precision':>9s} {'recall':>7s}")
    verbose = os.environ.get("VERBOSE") == "1"
    with tempfile.TemporaryDirectory() as tmp:
        for path in sets:
            name = os.path.splitext(os.path.basename(path))[0]
            recs = records(path)
            root = os.path.join(tmp, name)
            materialise(recs, root)
            found = {
                "trustmap": trustmap_findings(trustmap, root),
                "kingfisher": kingfisher_findings(kf, root),
                # Kingfisher's default reports medium and high confidence; low adds the rest.
                "kf -c low": kingfisher_findings(kf, root, "--confidence", "low"),
            }
            pos = sum(r["truth"] for r in recs)
            for tool, f in found.items():
                s, misses, alarms = score(recs, f)
                p, rc = ratio(s["tp"], s["tp"] + s["fp"]), ratio(s["tp"], s["tp"] + s["fn"])
                print(f"{name:10s} {tool:11s} {pos:5d} {len(recs) - pos:5d} {s['tp']:4d} {s['fn']:4d} {s['fp']:4d} {p:9.3f} {rc:7.3f}")
                if verbose:
                    for m in misses:
                        print(f"    missed {m}")
                    for a in alarms:
                        print(f"    false alarm {a}")
            tp, fn, fp = detector_score(recs, found["trustmap"])
            print(f"{'':10s} trustmap by detector id (tests/labelled.rs's count): TP {tp}, FN {fn}, FP {fp}; "
                  f"precision {ratio(tp, tp + fp):.3f}, recall {ratio(tp, tp + fn):.3f}")
            # Records found by one tool only, to see where each is better.
            t_miss = set(score(recs, found["trustmap"])[1])
            k_miss = set(score(recs, found["kingfisher"])[1])
            print(f"{'':10s} true records only Kingfisher finds: {len(t_miss - k_miss)}; only trustmap finds: {len(k_miss - t_miss)}")
            if verbose:
                for m in sorted(t_miss - k_miss):
                    print(f"    only kingfisher: {m}")


if __name__ == "__main__":
    main()
