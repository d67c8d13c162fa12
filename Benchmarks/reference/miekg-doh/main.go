// SPDX-License-Identifier: Apache-2.0
// The same-run reference for sequential DNS over HTTPS: miekg/dns builds and parses the
// messages, Go's net/http (HTTP/2 over TLS) carries them as RFC 8484 POSTs on one reused
// connection, one query at a time. Prints {"qps": …, "errors": …}.
//
//	miekg-doh -url https://127.0.0.1:8443/dns-query -ca ca.crt -names FILE -queries N
package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

func main() {
	url := flag.String("url", "", "DoH URL")
	caFile := flag.String("ca", "", "CA certificate (PEM)")
	namesFile := flag.String("names", "", "dnsperf data file: name TYPE per line")
	queries := flag.Int("queries", 10000, "queries to send")
	flag.Parse()

	pem, err := os.ReadFile(*caFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}

	type question struct {
		name  string
		qtype uint16
	}
	var names []question
	file, err := os.Open(*namesFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		qtype := dns.TypeA
		if len(fields) > 1 {
			qtype = dns.StringToType[strings.ToUpper(fields[1])]
		}
		names = append(names, question{dns.Fqdn(fields[0]), qtype})
	}

	errors := 0
	start := time.Now()
	for i := 0; i < *queries; i++ {
		q := names[i%len(names)]
		msg := new(dns.Msg)
		msg.SetQuestion(q.name, q.qtype)
		msg.Id = 0
		wire, _ := msg.Pack()
		request, _ := http.NewRequest("POST", *url, bytes.NewReader(wire))
		request.Header.Set("content-type", "application/dns-message")
		request.Header.Set("accept", "application/dns-message")
		response, err := client.Do(request)
		if err != nil {
			errors++
			continue
		}
		body, err := io.ReadAll(response.Body)
		response.Body.Close()
		answer := new(dns.Msg)
		if err != nil || response.StatusCode != 200 || answer.Unpack(body) != nil {
			errors++
		}
	}
	elapsed := time.Since(start).Seconds()
	out, _ := json.Marshal(map[string]any{"qps": float64(*queries-errors) / elapsed, "errors": errors})
	fmt.Println(string(out))
}
