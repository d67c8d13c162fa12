#!/usr/bin/env bash
# Build the reference (non-Swift) benchmarks, offline, from Debian packages.
#
#   Benchmarks/reference/build-references.sh
#
# - Installs whichever of these Debian packages are missing (needs root;
#   the only network used is Debian's apt):
#     golang-go                     Go toolchain (Debian 12: Go 1.19)
#     golang-github-miekg-dns-dev   miekg/dns 1.1.50 source, in /usr/share/gocode
#     golang-golang-x-net-dev       } dependencies of miekg/dns (apt pulls them
#     golang-golang-x-sys-dev       } in anyway; listed so a missing one is
#     golang-golang-x-sync-dev      } installed even if the others are present)
#     dnsperf                       load generator, for the later server benchmarks
# - Builds Benchmarks/reference/miekg-parse and miekg-query into Benchmarks/.bin/
#   GOPATH mode against Debian's source tree: no go.mod, no module proxy:
#     GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= go build ...
#
# Idempotent: installs nothing when all is present; `go build` is cached.
# Progress goes to stderr; nothing is printed on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="$(cd "$here/.." && pwd)"
bindir="$bench/.bin"

packages=(golang-go golang-github-miekg-dns-dev golang-golang-x-net-dev
          golang-golang-x-sys-dev golang-golang-x-sync-dev dnsperf)

log() { echo "build-references: $*" >&2; }

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg run (up to 10 min) rather than failing on the lock.
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
fi

# Debian's golang-go puts `go` in /usr/lib/go/bin and links /usr/bin/go.
if ! command -v go >/dev/null 2>&1; then
    export PATH="/usr/lib/go/bin:$PATH"
fi
gopath=/usr/share/gocode
if [ ! -f "$gopath/src/github.com/miekg/dns/msg.go" ]; then
    log "error: $gopath/src/github.com/miekg/dns not found (golang-github-miekg-dns-dev)"
    exit 1
fi

mkdir -p "$bindir"
if [ -z "${GOCACHE:-}" ] && [ -z "${HOME:-}" ]; then
    export GOCACHE="$bindir/go-build-cache"
fi
for tool in miekg-parse miekg-query; do
    log "building $bindir/$tool ($(go version | awk '{print $3}'), miekg/dns from $gopath)"
    (
        cd "$here/$tool"
        GO111MODULE=off GOPATH="$gopath" GOPROXY=off GOFLAGS= GOTOOLCHAIN=local \
            go build -trimpath -o "$bindir/$tool" .
    )
    log "ok: $bindir/$tool"
done
