#!/usr/bin/env bash
# What DNSSEC validation costs: the validation work alone beside OpenSSL's own ECDSA P-256
# verification rate, a KeyTrap-style response within the work limits, and a cold chain beside
# delv and unbound-host, in one invocation so all share the machine's noise.
#
#   Benchmarks/run-dnssec.sh [--iterations N] [--chains M] [--rounds R] [--json]
#
# Per round (default 3), against the testbed's signed tree (anchor dnssec.test.,
# Scripts/testbed/README.md):
# - `dnsbench dnssec` validates the captured answer to www.alg13.dnssec.test. A (one ECDSA
#   P-256 RRSIG) N times (default 20000) with the zone's keys already trusted, no round trip:
#   answers per second, and its pieces (the A RRset alone, its one RRSIG alone, the signed
#   data alone); validates www.keytrap and trap.keytrap A (8 RRSIGs, 30 keys of one tag) 300
#   times each: the verifications used and the time per response (p50, p99, max), Bogus; and
#   M times (default 20) walks the chain for www.sub.nsec3.dnssec.test. A (two zones below the
#   anchor) with a new DNSClient and DNSSECValidator: the median time from the client's
#   creation to the Secure verdict.
# - `openssl speed -seconds 3 ecdsap256`: the verify/s of the "256 bits ecdsa (nistp256)" line
#   (one core, as ours); the ratio is our answers/s over it (the issue wants >= 0.80).
# - delv and unbound-host, M times each, as the testbed README invokes them, for the same
#   name: the median wall time of the process (each a cold cache, process start included),
#   its verdict checked ("; fully validated", "(secure)").
# The table shows the medians over the rounds (the KeyTrap verifications and maximum time: the
# largest of any round; the 2 ms limit is checked at p99, as the maximum of a few hundred runs
# on a shared machine catches preemptions), and the ratio of each round.
set -euo pipefail
# shellcheck source=Benchmarks/common.sh
. "$(dirname "$0")/common.sh"

iterations=20000
chains=20
rounds=3
json=0
while (($#)); do
    case "$1" in
        --iterations) iterations="${2:?}"; shift ;;
        --chains) chains="${2:?}"; shift ;;
        --rounds) rounds="${2:?}"; shift ;;
        --json) json=1 ;;
        *) bench_usage ;;
    esac
    shift
done

bench_prelude
name=www.sub.nsec3.dnssec.test

runs=()
for ((round = 1; round <= rounds; round++)); do
    ours=$(.build/release/dnsbench dnssec --server 127.0.0.1 --port "$TESTBED_PORT" --anchors "$TESTBED_DNSSEC_ANCHOR_DS" \
        --iterations "$iterations" --chains "$chains" --json)
    openssl=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | python3 -c '
import json, subprocess, sys
rows = [line.split() for line in sys.stdin if "ecdsa (nistp256)" in line]
if not rows:
    sys.exit("run-dnssec: no \"256 bits ecdsa (nistp256)\" line from openssl speed")
version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.split()[1]
print(json.dumps({"verify_per_s": float(rows[-1][-1]), "version": version}))')
    references=$(CHAINS=$chains NAME=$name PORT=$TESTBED_PORT DELV_ANCHOR=$TESTBED_DNSSEC_DELV_ANCHOR \
        UNBOUND_CONF=$TESTBED_DNSSEC_UNBOUND_CONF python3 -c '
import json, os, statistics, subprocess, sys, time
env, name, count = os.environ, os.environ["NAME"], int(os.environ["CHAINS"])
tools = {
    "delv": (["delv", "@127.0.0.1", "-p", env["PORT"], "-a", env["DELV_ANCHOR"], "+root=dnssec.test", name, "A"],
             "; fully validated"),
    "unbound_host": (["unbound-host", "-C", env["UNBOUND_CONF"], "-v", "-t", "A", name], "(secure)"),
}
out = {}
for tool, (command, secure) in tools.items():
    times = []
    for _ in range(count):
        start = time.perf_counter_ns()
        run = subprocess.run(command, capture_output=True, text=True)
        times.append((time.perf_counter_ns() - start) / 1e6)
        if run.returncode != 0 or secure not in run.stdout:
            sys.exit("run-dnssec: {} did not validate {}: {}{}".format(tool, name, run.stdout, run.stderr))
    out[tool + "_ms"] = statistics.median(times)
print(json.dumps(out))')
    echo "run-dnssec: round $round: ours $ours" >&2
    echo "run-dnssec: round $round: openssl $openssl, references $references" >&2
    runs+=("$ours|$openssl|$references")
done

printf '%s\n' "${runs[@]}" | JSON=$json ITERATIONS=$iterations CHAINS=$chains python3 -c '
import json, os, statistics, sys
rounds = [tuple(json.loads(part) for part in line.strip().split("|")) for line in sys.stdin if line.strip()]
def med(values): return statistics.median(values)
ratios = [round(o["answers_per_s"] / s["verify_per_s"], 3) for o, s, _ in rounds]
out = {"rounds": len(rounds), "iterations": int(os.environ["ITERATIONS"]), "chains": int(os.environ["CHAINS"]),
       "openssl_version": rounds[0][1]["version"], "openssl_verify_per_s": med([s["verify_per_s"] for _, s, _ in rounds]),
       "ratio": med(ratios), "round_ratios": ratios}
for key in ("answers_per_s", "ns_per_answer", "rrset_validate_per_s", "rrsig_verify_per_s", "signed_data_ns", "cold_chain_ms"):
    out[key] = med([o[key] for o, _, _ in rounds])
for label in ("www", "trap"):
    out[f"keytrap_{label}_verifications"] = max(o[f"keytrap_{label}_verifications"] for o, _, _ in rounds)
    out[f"keytrap_{label}_ms"] = med([o[f"keytrap_{label}_ms"] for o, _, _ in rounds])
    out[f"keytrap_{label}_p99_ms"] = med([o[f"keytrap_{label}_p99_ms"] for o, _, _ in rounds])
    out[f"keytrap_{label}_max_ms"] = max(o[f"keytrap_{label}_max_ms"] for o, _, _ in rounds)
for tool in ("delv", "unbound_host"):
    out[f"{tool}_ms"] = med([r[f"{tool}_ms"] for _, _, r in rounds])
if os.environ["JSON"] == "1":
    print(json.dumps(out))
    sys.exit()
print("www.alg13.dnssec.test. A validated (keys trusted, no round trip): {:.0f} answers/s, {:.0f} ns each".format(
    out["answers_per_s"], out["ns_per_answer"]))
print("  its pieces: RRsetValidation.validate {:.0f}/s, RRSIGVerifier.verify {:.0f}/s, signed data {:.0f} ns".format(
    out["rrset_validate_per_s"], out["rrsig_verify_per_s"], out["signed_data_ns"]))
print("openssl {} speed ecdsap256: {:.0f} verify/s".format(out["openssl_version"], out["openssl_verify_per_s"]))
verdict = "meets" if out["ratio"] >= 0.8 else "below"
print("ratio answers/s / openssl verify/s: {:.3f} ({} 0.80; each round: {})".format(
    out["ratio"], verdict, " ".join("{:.3f}".format(r) for r in ratios)))
for label in ("www", "trap"):
    count, p50, p99 = out[f"keytrap_{label}_verifications"], out[f"keytrap_{label}_ms"], out[f"keytrap_{label}_p99_ms"]
    within = "within" if count <= 16 and p99 <= 2 else "OVER"
    print("{:28} Bogus, {} verifications, p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms ({} 16 and 2 ms at p99)".format(
        label + ".keytrap.dnssec.test. A:", count, p50, p99, out[f"keytrap_{label}_max_ms"], within))
print("cold chain www.sub.nsec3.dnssec.test. A (median of {}): ours {:.2f} ms, delv {:.2f} ms, unbound-host {:.2f} ms".format(
    out["chains"], out["cold_chain_ms"], out["delv_ms"], out["unbound_host_ms"]))
'
