// Command miekg-parse is the reference benchmark for DNS message parsing:
// it parses one raw DNS message N times with github.com/miekg/dns
// ((*dns.Msg).Unpack into a fresh dns.Msg each time, as a client would) and
// reports throughput and heap allocations per message.
//
// Built offline against Debian's packaged sources (golang-github-miekg-dns-dev
// 1.1.50 and its golang-golang-x-{net,sys,sync}-dev dependencies) in GOPATH
// mode; see ../build-references.sh:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= \
//	    go build -o Benchmarks/.bin/miekg-parse ./Benchmarks/reference/miekg-parse
//
// Usage:
//
//	miekg-parse -file Benchmarks/data/typical-response.bin [-iterations N] [-json]
//
// With -json it prints one object:
//
//	{"msgs_per_s": <float>, "ns_per_msg": <float>, "allocs_per_msg": <float>}
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/miekg/dns"
)

// sink keeps the parsed messages observable so the work cannot be elided.
var sink *dns.Msg

func parse(wire []byte) error {
	m := new(dns.Msg)
	if err := m.Unpack(wire); err != nil {
		return err
	}
	sink = m
	return nil
}

func main() {
	file := flag.String("file", "", "raw DNS message to parse (required)")
	iterations := flag.Int("iterations", 1000000, "number of timed parses")
	warmup := flag.Int("warmup", -1, "untimed parses before measuring (default: iterations/10, at least 1000)")
	asJSON := flag.Bool("json", false, "print one JSON object instead of a human line")
	flag.Parse()

	if *file == "" || *iterations <= 0 {
		fmt.Fprintln(os.Stderr, "usage: miekg-parse -file MSG.bin [-iterations N>0] [-warmup N] [-json]")
		os.Exit(2)
	}
	wire, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "miekg-parse:", err)
		os.Exit(1)
	}

	// Check once that the message parses completely, then warm up.
	if err := parse(wire); err != nil {
		fmt.Fprintf(os.Stderr, "miekg-parse: %s does not parse: %v\n", *file, err)
		os.Exit(1)
	}
	w := *warmup
	if w < 0 {
		w = *iterations / 10
		if w < 1000 {
			w = 1000
		}
	}
	for i := 0; i < w; i++ {
		_ = parse(wire)
	}

	n := *iterations
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := parse(wire); err != nil {
			fmt.Fprintln(os.Stderr, "miekg-parse:", err)
			os.Exit(1)
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)

	nsPerMsg := float64(elapsed.Nanoseconds()) / float64(n)
	msgsPerS := float64(n) / elapsed.Seconds()
	allocsPerMsg := float64(after.Mallocs-before.Mallocs) / float64(n)

	if *asJSON {
		out, _ := json.Marshal(map[string]float64{
			"msgs_per_s":     msgsPerS,
			"ns_per_msg":     nsPerMsg,
			"allocs_per_msg": allocsPerMsg,
		})
		fmt.Println(string(out))
		return
	}
	fmt.Printf("miekg/dns Unpack: %d msgs of %d bytes in %v: %.0f msgs/s, %.1f ns/msg, %.2f allocs/msg (%d answer, %d ns, %d extra RRs)\n",
		n, len(wire), elapsed.Round(time.Millisecond), msgsPerS, nsPerMsg, allocsPerMsg,
		len(sink.Answer), len(sink.Ns), len(sink.Extra))
}
