#!/usr/bin/env python3
# dnspython's Resolver.resolve() answered from its LRUCache: the reference for `dnsbench cache`
# (Benchmarks/run-cache.sh). Each call timed on its own; prints p50/p99 in µs as JSON.
#
#   dnspython-cache.py --server 127.0.0.1 --port 53530 [--name www.testbed.test] [--iterations N]
import argparse
import json
import time

import dns.resolver

parser = argparse.ArgumentParser()
parser.add_argument("--server", required=True)
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--name", default="www.testbed.test")
parser.add_argument("--iterations", type=int, default=200000)
args = parser.parse_args()

resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = [args.server]
resolver.port = args.port
resolver.cache = dns.resolver.LRUCache(10000)
resolver.resolve(args.name, "A")  # fills the cache
times = []
clock = time.perf_counter_ns
for _ in range(args.iterations):
    start = clock()
    resolver.resolve(args.name, "A")
    times.append((clock() - start) / 1000)
times.sort()
print(json.dumps({"dnspython_version": dns.version.version, "p50_us": times[len(times) // 2],
                  "p99_us": times[int(len(times) * 0.99)]}))
