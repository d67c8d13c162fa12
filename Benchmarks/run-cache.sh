#!/usr/bin/env bash
# What a cache hit costs, beside dnspython's Resolver cache in the same invocation, and the
# memory of a bounded cache under a flood of distinct names.
#
#   Benchmarks/run-cache.sh [--iterations N] [--rounds R] [--flood N] [--json]
#
# Per round (default 3): `dnsbench cache` times N (default 200000) hits each of the cache
# lookup alone, a synchronous query() through the component (CacheSize=10000) and a query
# through DNSClient (a cache of 10,000 entries, looked up on the caller's thread), then
# Benchmarks/reference/dnspython-cache.py times N Resolver.resolve() calls answered from its
# LRUCache (dnspython from the testbed's venv). All against the testbed's BIND, name
# www.testbed.test. The table shows the medians over the rounds of each p50 and p99, and of
# the ratios ours/dnspython. The last round also stores --flood N (default 1000000) distinct
# names in a 10,000-entry cache and prints entries and RSS every tenth of the way.
set -euo pipefail
# shellcheck source=Benchmarks/common.sh
. "$(dirname "$0")/common.sh"

iterations=200000
rounds=3
flood=1000000
json=0
while (($#)); do
    case "$1" in
        --iterations) iterations="${2:?}"; shift ;;
        --rounds) rounds="${2:?}"; shift ;;
        --flood) flood="${2:?}"; shift ;;
        --json) json=1 ;;
        *) bench_usage ;;
    esac
    shift
done

bench_prelude
python=.testbed/venv/bin/python

runs=()
for ((round = 1; round <= rounds; round++)); do
    size=10
    [ "$round" = "$rounds" ] && size=$flood
    ours=$(.build/release/dnsbench cache --server 127.0.0.1 --port "$TESTBED_PORT" --iterations "$iterations" --flood "$size" --json)
    theirs=$("$python" Benchmarks/reference/dnspython-cache.py --server 127.0.0.1 --port "$TESTBED_PORT" --iterations "$iterations")
    echo "run-cache: round $round: ours $ours" >&2
    echo "run-cache: round $round: dnspython $theirs" >&2
    runs+=("$ours|$theirs")
done

printf '%s\n' "${runs[@]}" | JSON=$json python3 -c '
import json, os, statistics, sys
rounds = [tuple(json.loads(part) for part in line.strip().split("|")) for line in sys.stdin if line.strip()]
def med(values): return statistics.median(values)
out = {"dnspython_version": rounds[0][1]["dnspython_version"], "dnspython_p50_us": med([t["p50_us"] for _, t in rounds]),
       "dnspython_p99_us": med([t["p99_us"] for _, t in rounds])}
for what in ("lookup", "component", "dnsclient"):
    out[f"{what}_p50_us"] = med([o[f"{what}_p50_us"] for o, _ in rounds])
    out[f"{what}_p99_us"] = med([o[f"{what}_p99_us"] for o, _ in rounds])
    if what != "lookup":
        out[f"{what}_ratio"] = round(med([o[f"{what}_p50_us"] / t["p50_us"] for o, t in rounds]), 3)
out["flood"] = rounds[-1][0]["flood"]
if os.environ["JSON"] == "1":
    print(json.dumps(out))
else:
    print("cache lookup hit:            p50 {:.2f} µs, p99 {:.2f} µs".format(out["lookup_p50_us"], out["lookup_p99_us"]))
    for what, label in (("component", "component query() hit:"), ("dnsclient", "DNSClient query hit:")):
        print("{:28} p50 {:.2f} µs, p99 {:.2f} µs, {:.2f}x dnspython".format(
            label, out[what + "_p50_us"], out[what + "_p99_us"], out[what + "_ratio"]))
    print("dnspython {} resolve() hit: p50 {:.2f} µs, p99 {:.2f} µs".format(
        out["dnspython_version"], out["dnspython_p50_us"], out["dnspython_p99_us"]))
    for sample in out["flood"]:
        print("flood: {} names, {} entries, RSS {} kB".format(sample["names"], sample["entries"], sample["rss_kb"]))
'
