#!/usr/bin/env python3
"""DNS JSON API fixture server for the testbed (Scripts/testbed/start.sh).

Serves the Google/Cloudflare "application/dns-json" format over HTTPS
(HTTP/1.1 with keep-alive, ALPN "http/1.1" only) and answers every request by
asking the testbed's BIND over UDP (TCP when truncated). It is an independent
implementation used to cross-check the Swift wire parser: the DNS side is
dnspython (pinned 2.9.2 in start.sh's venv), the rest Python's standard library.

  GET /dns-query?name=NAME[&type=TYPE][&do=1|true][&cd=1|true]

  200 application/dns-json
      {"Status":0,"TC":false,"RD":true,"RA":false,"AD":false,"CD":false,
       "Question":[{"name":"www.testbed.test.","type":1}],
       "Answer":[{"name":"www.testbed.test.","type":1,"TTL":3600,"data":"192.0.2.1"}],
       "Authority":[...],"Additional":[...]}
      one object per resource record in wire order, data = dnspython's
      presentation format (relativize=False), empty sections omitted, no OPT.
  400 {"error": ...}  missing/invalid name, unknown type, bad do/cd value
  404 other paths, 405 other methods, 502 BIND did not answer.

Usage: doh-json-server.py --port 8450 --upstream-port 53530 --cert server.crt
       --key server.key --log server.log [--listen 127.0.0.1] [--upstream 127.0.0.1]
"""

import argparse
import datetime
import http.server
import json
import socket
import ssl
import sys
import threading
import time
import urllib.parse

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.version

EDNS_PAYLOAD = 1232
UPSTREAM_TIMEOUT = 2.0      # seconds, per transport (UDP, then TCP on TC)
IDLE_TIMEOUT = 30           # seconds a keep-alive connection may sit idle
MAX_DISCARD = 65536         # request body octets read and dropped to keep a connection
NOT_QUERYABLE = {dns.rdatatype.OPT, dns.rdatatype.AXFR, dns.rdatatype.IXFR}
TRUE_VALUES = {"1", "true"}
FALSE_VALUES = {"", "0", "false"}


class BadRequest(Exception):
    pass


class UpstreamError(Exception):
    pass


def parse_flag(query, key):
    values = query.get(key)
    if not values:
        return False
    value = values[-1].strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise BadRequest(f"{key} must be 1, true, 0 or false, not {values[-1]!r}")


def parse_type(text):
    text = text.strip()
    if not text:
        return dns.rdatatype.A
    if text.isdigit():
        value = int(text)
        if value > 65535:
            raise BadRequest(f"type {text} is out of range")
        rdtype = dns.rdatatype.RdataType.make(value)
    else:
        try:
            rdtype = dns.rdatatype.from_text(text.upper())
        except (dns.rdatatype.UnknownRdatatype, ValueError):
            raise BadRequest(f"unknown type {text!r}") from None
    if rdtype in NOT_QUERYABLE:
        raise BadRequest(f"type {text!r} cannot be queried here")
    return rdtype


def parse_name(query):
    values = query.get("name")
    if not values or not values[-1]:
        raise BadRequest("missing name parameter")
    text = values[-1]
    try:
        return dns.name.from_text(text)
    except (dns.exception.DNSException, UnicodeError, ValueError) as error:
        raise BadRequest(f"invalid name {text!r}: {error}") from None


def resolve(qname, rdtype, dnssec_ok, checking_disabled, upstream, port):
    query = dns.message.make_query(qname, rdtype, dns.rdataclass.IN, use_edns=0,
                                   payload=EDNS_PAYLOAD, want_dnssec=dnssec_ok)
    query.flags |= dns.flags.RD
    if checking_disabled:
        query.flags |= dns.flags.CD
    # one_rr_per_rrset: keep every record as received (wire order, its own TTL,
    # duplicates) instead of dnspython's merged RRsets.
    try:
        response = dns.query.udp(query, upstream, timeout=UPSTREAM_TIMEOUT, port=port,
                                 one_rr_per_rrset=True)
        if response.flags & dns.flags.TC:
            response = dns.query.tcp(query, upstream, timeout=UPSTREAM_TIMEOUT, port=port,
                                     one_rr_per_rrset=True)
    except dns.exception.Timeout:
        raise UpstreamError(f"no answer from {upstream}#{port} within {UPSTREAM_TIMEOUT:g} s") from None
    except (OSError, EOFError, dns.exception.DNSException) as error:
        raise UpstreamError(f"{upstream}#{port}: {type(error).__name__}: {error}") from None
    return response


def records(section):
    out = []
    for rrset in section:
        name = rrset.name.to_text()
        for rdata in rrset:
            out.append({"name": name, "type": int(rrset.rdtype), "TTL": rrset.ttl,
                        "data": rdata.to_text(origin=None, relativize=False)})
    return out


def to_json(response):
    flags = response.flags
    body = {
        "Status": response.rcode(),
        "TC": bool(flags & dns.flags.TC),
        "RD": bool(flags & dns.flags.RD),
        "RA": bool(flags & dns.flags.RA),
        "AD": bool(flags & dns.flags.AD),
        "CD": bool(flags & dns.flags.CD),
    }
    question = [{"name": rrset.name.to_text(), "type": int(rrset.rdtype)} for rrset in response.question]
    if question:
        body["Question"] = question
    for key, section in (("Answer", response.answer), ("Authority", response.authority),
                         ("Additional", response.additional)):
        rrs = records(section)
        if rrs:
            body[key] = rrs
    return body


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "testbed-doh-json/1"
    timeout = IDLE_TIMEOUT

    def version_string(self):
        return self.server_version

    # -- every method but GET gets 405 (BaseHTTPRequestHandler would say 501)
    def __getattr__(self, name):
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _method_not_allowed(self):
        self._discard_body()
        self._reply(405, {"error": f"method {self.command} not allowed; use GET"},
                    extra={"Allow": "GET"})

    def _discard_body(self):
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return
        if length > MAX_DISCARD:
            self.close_connection = True
        elif length > 0:
            self.rfile.read(length)

    def do_GET(self):
        started = time.monotonic()
        self._detail = ""
        url = urllib.parse.urlsplit(self.path)
        self._discard_body()
        if url.path != "/dns-query":
            self._reply(404, {"error": f"no such path {url.path!r}; use /dns-query"})
            return
        try:
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            qname = parse_name(query)
            rdtype = parse_type(query.get("type", [""])[-1])
            dnssec_ok = parse_flag(query, "do")
            checking_disabled = parse_flag(query, "cd")
        except BadRequest as error:
            self._reply(400, {"error": str(error)})
            return
        self._detail = f"{qname} {dns.rdatatype.to_text(rdtype)}"
        try:
            response = resolve(qname, rdtype, dnssec_ok, checking_disabled,
                               self.server.upstream, self.server.upstream_port)
        except UpstreamError as error:
            self._reply(502, {"error": str(error)})
            return
        self._detail += f" -> {dns.rcode.to_text(response.rcode())} {time.monotonic() - started:.3f}s"
        self._reply(200, to_json(response), content_type="application/dns-json")

    def _reply(self, code, obj, content_type="application/json", extra=None):
        body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
        self.send_response_only(code)
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()
        detail = getattr(self, "_detail", "")
        if code != 200:
            detail = (detail + " " if detail else "") + obj.get("error", "")
        self._log_line(code, len(body), detail)

    # -- one log line per request (framework errors such as 400 bad request line too)
    def log_error(self, format, *args):
        self._framework_error = format % args

    def log_request(self, code="-", size="-"):
        self._log_line(code, size, getattr(self, "_framework_error", ""))

    def log_message(self, format, *args):
        self._log_line("-", "-", format % args)

    def _log_line(self, code, size, detail):
        code = getattr(code, "value", code)
        stamp = datetime.datetime.now().isoformat(timespec="milliseconds")
        request = getattr(self, "requestline", "") or "-"
        self.server.log(f'{stamp} {self.client_address[0]} "{request}" {code} {size}'
                        + (f" {detail}" if detail else ""))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, context, upstream, upstream_port, log_path):
        self.context = context
        self.upstream = upstream
        self.upstream_port = upstream_port
        self._log_lock = threading.Lock()
        self._log_file = open(log_path, "a", encoding="utf-8", buffering=1)
        super().__init__(address, Handler)

    def log(self, line):
        with self._log_lock:
            self._log_file.write(line + "\n")

    def finish_request(self, request, client_address):
        # TLS handshake in the connection's own thread, not in the accept loop.
        request.settimeout(IDLE_TIMEOUT)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            self.log(f"{datetime.datetime.now().isoformat(timespec='milliseconds')} "
                     f"{client_address[0]} TLS handshake failed: {error}")
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            self.shutdown_request(tls)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8450)
    parser.add_argument("--upstream", default="127.0.0.1")
    parser.add_argument("--upstream-port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    context.set_alpn_protocols(["http/1.1"])

    server = Server((args.listen, args.port), context, args.upstream, args.upstream_port, args.log)
    server.log(f"{datetime.datetime.now().isoformat(timespec='milliseconds')} listening on "
               f"https://{args.listen}:{args.port}/dns-query, upstream {args.upstream}#{args.upstream_port}, "
               f"dnspython {dns.version.version}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
