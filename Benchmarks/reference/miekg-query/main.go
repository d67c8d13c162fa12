// SPDX-License-Identifier: Apache-2.0
// The same-run reference for sequential queries, one at a time: miekg/dns over UDP, TCP and
// DNS over TLS on one reused socket or connection (its Client.ExchangeWithConn), with the
// same EDNS OPT record (payload 1232) the component sends; or miekg/dns messages as RFC 8484
// POSTs over Go's net/http (HTTP/2 over TLS) on one reused connection, with message ID 0.
// With -concurrency C > 1 (UDP only) it is the fan-out reference instead: C goroutines, each
// query through Client.Exchange, which dials a fresh socket (a fresh random port) per query.
// Prints {"qps": …, "errors": …}.
//
//	miekg-query -server 127.0.0.1:53530 -net udp|tcp|tcp-tls [-ca ca.crt] -names FILE -queries N
//	miekg-query -server 127.0.0.1:53530 -net udp -concurrency 100 -names FILE -queries N
//	miekg-query -net https -url https://127.0.0.1:8443/dns-query -ca ca.crt -names FILE -queries N
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
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

type question struct {
	name  string
	qtype uint16
}

// loadNames reads a dnsperf data file: `name TYPE` per line.
func loadNames(path string) []question {
	file, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer file.Close()
	var names []question
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
	return names
}

func trustAnchors(caFile string) *x509.CertPool {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		fail(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return pool
}

// dnsExchanger sends each query on one socket or connection dialled once.
func dnsExchanger(server, network, caFile string) func(*dns.Msg) error {
	client := &dns.Client{Net: network, Timeout: 5 * time.Second}
	if network == "tcp-tls" {
		host := strings.Trim(server[:strings.LastIndex(server, ":")], "[]")
		client.TLSConfig = &tls.Config{RootCAs: trustAnchors(caFile), ServerName: host}
	}
	conn, err := client.Dial(server)
	if err != nil {
		fail(err)
	}
	return func(msg *dns.Msg) error {
		msg.SetEdns0(1232, false)
		_, _, err := client.ExchangeWithConn(msg, conn)
		return err
	}
}

// dohExchanger POSTs each query to url; net/http keeps one HTTP/2 connection.
func dohExchanger(url, caFile string) func(*dns.Msg) error {
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: trustAnchors(caFile)}, ForceAttemptHTTP2: true}}
	return func(msg *dns.Msg) error {
		msg.Id = 0
		wire, _ := msg.Pack()
		request, _ := http.NewRequest("POST", url, bytes.NewReader(wire))
		request.Header.Set("content-type", "application/dns-message")
		request.Header.Set("accept", "application/dns-message")
		response, err := client.Do(request)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(response.Body)
		response.Body.Close()
		if err != nil {
			return err
		}
		if response.StatusCode != 200 {
			return fmt.Errorf("HTTP status %d", response.StatusCode)
		}
		return new(dns.Msg).Unpack(body)
	}
}

// fanOut runs queries from `concurrency` goroutines, each query on a socket of its own
// (Client.Exchange dials one per call); returns the errors.
func fanOut(server string, names []question, queries, concurrency int) int {
	client := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
	var next, errors int64
	var group sync.WaitGroup
	for g := 0; g < concurrency; g++ {
		group.Add(1)
		go func() {
			defer group.Done()
			for {
				i := atomic.AddInt64(&next, 1) - 1
				if i >= int64(queries) {
					return
				}
				q := names[int(i)%len(names)]
				msg := new(dns.Msg)
				msg.SetQuestion(q.name, q.qtype)
				msg.SetEdns0(1232, false)
				if _, _, err := client.Exchange(msg, server); err != nil {
					atomic.AddInt64(&errors, 1)
				}
			}
		}()
	}
	group.Wait()
	return int(errors)
}

func main() {
	server := flag.String("server", "", "address:port (udp, tcp, tcp-tls)")
	url := flag.String("url", "", "DoH URL (https)")
	network := flag.String("net", "udp", "udp, tcp, tcp-tls or https")
	caFile := flag.String("ca", "", "CA certificate (PEM), for tcp-tls and https")
	namesFile := flag.String("names", "", "dnsperf data file: name TYPE per line")
	queries := flag.Int("queries", 10000, "queries to send")
	concurrency := flag.Int("concurrency", 1, "UDP only: goroutines each sending on a fresh socket per query")
	flag.Parse()

	names := loadNames(*namesFile)
	if *concurrency > 1 {
		start := time.Now()
		errors := fanOut(*server, names, *queries, *concurrency)
		elapsed := time.Since(start).Seconds()
		out, _ := json.Marshal(map[string]any{"qps": float64(*queries-errors) / elapsed, "errors": errors})
		fmt.Println(string(out))
		return
	}
	var exchange func(*dns.Msg) error
	if *network == "https" {
		exchange = dohExchanger(*url, *caFile)
	} else {
		exchange = dnsExchanger(*server, *network, *caFile)
	}
	errors := 0
	start := time.Now()
	for i := 0; i < *queries; i++ {
		q := names[i%len(names)]
		msg := new(dns.Msg)
		msg.SetQuestion(q.name, q.qtype)
		if exchange(msg) != nil {
			errors++
		}
	}
	elapsed := time.Since(start).Seconds()
	out, _ := json.Marshal(map[string]any{"qps": float64(*queries-errors) / elapsed, "errors": errors})
	fmt.Println(string(out))
}
