// SPDX-License-Identifier: Apache-2.0
// The same-run reference for sequential queries over UDP, TCP and DNS over TLS: miekg/dns
// sends one query at a time on one reused socket or connection (its Client.ExchangeWithConn),
// with the same EDNS OPT record (payload 1232) the component sends. Prints {"qps": …, "errors": …}.
//
//	miekg-query -server 127.0.0.1:53530 -net udp|tcp|tcp-tls [-ca ca.crt] -names FILE -queries N
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	server := flag.String("server", "", "address:port")
	network := flag.String("net", "udp", "udp, tcp or tcp-tls")
	caFile := flag.String("ca", "", "CA certificate (PEM), for tcp-tls")
	namesFile := flag.String("names", "", "dnsperf data file: name TYPE per line")
	queries := flag.Int("queries", 10000, "queries to send")
	flag.Parse()

	client := &dns.Client{Net: *network, Timeout: 5 * time.Second}
	if *network == "tcp-tls" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fail(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		host := (*server)[:strings.LastIndex(*server, ":")]
		client.TLSConfig = &tls.Config{RootCAs: pool, ServerName: strings.Trim(host, "[]")}
	}

	type question struct {
		name  string
		qtype uint16
	}
	var names []question
	file, err := os.Open(*namesFile)
	if err != nil {
		fail(err)
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

	conn, err := client.Dial(*server)
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	errors := 0
	start := time.Now()
	for i := 0; i < *queries; i++ {
		q := names[i%len(names)]
		msg := new(dns.Msg)
		msg.SetQuestion(q.name, q.qtype)
		msg.SetEdns0(1232, false)
		if _, _, err := client.ExchangeWithConn(msg, conn); err != nil {
			errors++
		}
	}
	elapsed := time.Since(start).Seconds()
	out, _ := json.Marshal(map[string]any{"qps": float64(*queries-errors) / elapsed, "errors": errors})
	fmt.Println(string(out))
}
