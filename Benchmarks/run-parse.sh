#!/usr/bin/env bash
# Compare DNS message parsing: our Swift parser (`dnsbench parse`) against the
# miekg/dns 1.1.50 reference (Benchmarks/.bin/miekg-parse), on the same input,
# in the same invocation.
#
#   Benchmarks/run-parse.sh [--json] [--iterations N] [--rounds R] [--file MSG.bin]
#
#   --json          print only {"ours_msgs_per_s":…, "miekg_msgs_per_s":…, "ratio":…}
#                   (plus the other medians) on stdout; progress goes to stderr
#   --iterations N  parses per run for each side (default 1000000)
#   --rounds R      rounds (default 3); each round runs miekg, then ours, so both
#                   share the machine's noise; the table shows medians over rounds
#   --file F        message to parse (default Benchmarks/data/typical-response.bin)
#
# Environment:
#   DNSBENCH=path   use this dnsbench binary and skip `swift build`
#
# Steps: Benchmarks/reference/build-references.sh (Debian packages + Go build),
# `swift build -c release --product dnsbench`, then the alternating runs.
# ratio = ours msgs/s / miekg msgs/s (> 1 means ours is faster).
set -euo pipefail
# shellcheck source=Benchmarks/common.sh
. "$(dirname "$0")/common.sh"

json=0
iterations=1000000
rounds=3
file="Benchmarks/data/typical-response.bin"
while (($#)); do
    case "$1" in
        --json) json=1 ;;
        --iterations) iterations="${2:?--iterations needs a value}"; shift ;;
        --iterations=*) iterations="${1#*=}" ;;
        --rounds) rounds="${2:?--rounds needs a value}"; shift ;;
        --rounds=*) rounds="${1#*=}" ;;
        --file) file="${2:?--file needs a value}"; shift ;;
        --file=*) file="${1#*=}" ;;
        -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "Benchmarks/${0##*/}"; exit 0 ;;
        *) echo "run-parse: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ "$iterations" =~ ^[1-9][0-9]*$ ]] || { echo "run-parse: bad --iterations: $iterations" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run-parse: bad --rounds: $rounds" >&2; exit 2; }
[ -f "$file" ] || { echo "run-parse: input not found: $file (see Benchmarks/data/make-typical-response.py)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run-parse: python3 is needed to read the JSON results" >&2; exit 1; }

log() { echo "run-parse: $*" >&2; }

# 1. References.
Benchmarks/reference/build-references.sh
miekg=Benchmarks/.bin/miekg-parse

# 2. Ours.
if [ -n "${DNSBENCH:-}" ]; then
    ours="$DNSBENCH"
    log "using DNSBENCH=$ours (no swift build)"
else
    log "swift build -c release --product dnsbench"
    if ! bench_build; then
        log "error: could not build the Swift benchmark product 'dnsbench'"
        log "       (\`swift build -c release --product dnsbench\` failed; does Package.swift define it yet?)"
        exit 1
    fi
    ours=.build/release/dnsbench
fi
[ -x "$ours" ] || { log "error: $ours is not an executable"; exit 1; }

# 3. Alternate the two, R rounds.
bench_tmpdir
for ((r = 1; r <= rounds; r++)); do
    log "round $r/$rounds: miekg-parse ($iterations iterations)"
    "$miekg" -file "$file" -iterations "$iterations" -json >"$bench_tmp/miekg.$r" ||
        { log "error: miekg-parse failed"; exit 1; }

    log "round $r/$rounds: dnsbench parse ($iterations iterations)"
    "$ours" parse --file "$file" --iterations "$iterations" --json >"$bench_tmp/ours.$r" ||
        { log "error: dnsbench parse failed (exit $?)"; exit 1; }
done

# 4. Medians, table or JSON.
python3 - "$bench_tmp" "$json" "$file" "$iterations" "$rounds" <<'PY'
import json, statistics, sys, os

path, as_json, msgfile, iterations, rounds = sys.argv[1], sys.argv[2] == "1", sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
runs = {"ours": [], "miekg": []}
for r in range(1, rounds + 1):
    for who in ("miekg", "ours"):
        with open(os.path.join(path, f"{who}.{r}")) as f:
            text = f.read()
        # Take the last line that is a JSON object, in case of extra output.
        obj = None
        for cand in reversed(text.strip().splitlines()):
            cand = cand.strip()
            if cand.startswith("{"):
                try:
                    obj = json.loads(cand)
                except ValueError:
                    pass
                break
        if not isinstance(obj, dict) or "msgs_per_s" not in obj:
            sys.exit(f"run-parse: {who}: no JSON object with msgs_per_s in its output: {text!r}")
        runs[who].append(obj)

def med(who, key):
    vals = [float(o[key]) for o in runs[who] if o.get(key) is not None]
    return statistics.median(vals) if vals else None

summary = {}
for who in ("ours", "miekg"):
    mps = med(who, "msgs_per_s")
    summary[who] = {
        "msgs_per_s": mps,
        "ns_per_msg": 1e9 / mps if mps else None,
        "allocs_per_msg": med(who, "allocs_per_msg"),
        "all_msgs_per_s": [float(o["msgs_per_s"]) for o in runs[who]],
    }
ratio = summary["ours"]["msgs_per_s"] / summary["miekg"]["msgs_per_s"]

if as_json:
    print(json.dumps({
        "ours_msgs_per_s": summary["ours"]["msgs_per_s"],
        "miekg_msgs_per_s": summary["miekg"]["msgs_per_s"],
        "ratio": ratio,
        "ours_ns_per_msg": summary["ours"]["ns_per_msg"],
        "miekg_ns_per_msg": summary["miekg"]["ns_per_msg"],
        "ours_allocs_per_msg": summary["ours"]["allocs_per_msg"],
        "miekg_allocs_per_msg": summary["miekg"]["allocs_per_msg"],
        "iterations": iterations,
        "rounds": rounds,
        "message_bytes": os.path.getsize(msgfile),
    }))
    sys.exit(0)

def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)

print(f"DNS message parse: {msgfile} ({os.path.getsize(msgfile)} bytes), "
      f"{iterations} iterations x {rounds} rounds, medians")
print(f"{'parser':<24} {'msgs/s':>12} {'ns/msg':>10} {'allocs/msg':>11}   runs (msgs/s)")
for who, label in (("ours", "ours (dnsbench parse)"), ("miekg", "miekg/dns 1.1.50 Unpack")):
    s = summary[who]
    allr = ", ".join(f"{v:.0f}" for v in s["all_msgs_per_s"])
    print(f"{label:<24} {fmt(s['msgs_per_s'], '12.0f')} {fmt(s['ns_per_msg'], '10.1f')} "
          f"{fmt(s['allocs_per_msg'], '11.2f')}   {allr}")
print(f"ratio ours/miekg (msgs/s): {ratio:.2f}x")
PY
