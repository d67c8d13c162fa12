#!/usr/bin/env bash
# Builds the DocC documentation of the public modules (DNSWire, DNSTransport, DNSComponent, DNSClient) as
# static sites, one per module, with every DocC warning (a broken ``Symbol`` link, an
# undocumented parameter, …) treated as an error.
#
#   Scripts/docs.sh            # sites in .build-docs/site/<Module>/
#   Scripts/docs.sh DIR        # sites in DIR/<Module>/
#   Scripts/docs.sh --check    # the same, into a temporary directory: only reports (CI)
#
# Each site expects to be served at /<Module>/ (for a quick look: `python3 -m http.server -d
# .build-docs/site` and open http://localhost:8000/DNSComponent/documentation/dnscomponent/).
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
root=$PWD

modules=(DNSWire DNSTransport DNSComponent DNSClient)
scratch=$root/.build-docs
graphs=$scratch/symbol-graphs

check=0
output=$scratch/site
case "${1:-}" in
    --check) check=1 ;;
    -h | --help)
        sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    "") ;;
    -*)
        echo "docs.sh: unknown option $1 (use --check or an output directory)" >&2
        exit 2
        ;;
    *) output=$1 ;;
esac
[ $# -le 1 ] || {
    echo "docs.sh: one argument at most" >&2
    exit 2
}

docc=$(command -v docc || true)
if [ -z "$docc" ]; then docc=$(dirname "$(readlink -f "$(command -v swift)")")/docc; fi
[ -x "$docc" ] || {
    echo "docs.sh: docc not found (it comes with the Swift toolchain)" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/swift-dns-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ "$check" = 1 ]; then output=$work/site; fi
case "$output" in /*) ;; *) output=$caller/$output ;; esac

started=$(date +%s)

# 1. Symbol graphs: the compiler writes one per module it compiles (public symbols only), plus
#    `<Module>@<Other>.symbols.json` for extensions of other modules' types. An incremental
#    build recompiles (and rewrites the graphs of) only the modules that changed, so extension
#    graphs older than the build are stale when their module was rebuilt.
mkdir -p "$graphs"
build_graphs() {
    for target in DNSComponent DNSClient; do
        swift build --scratch-path "$scratch" --target "$target" \
            -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs" || return 1
    done
}
stamp=$work/build-started
touch "$stamp"
build_graphs
missing=0
for module in "${modules[@]}"; do [ -f "$graphs/$module.symbols.json" ] || missing=1; done
if [ "$missing" = 1 ]; then
    # The build was up to date but the graphs are gone: compile the modules again.
    echo "docs.sh: symbol graphs missing; rebuilding the modules" >&2
    rm -rf "$scratch"/*-unknown-linux-gnu "$scratch"/debug "$graphs"
    mkdir -p "$graphs"
    touch "$stamp"
    build_graphs
fi

# 2. One DocC run per module, with only that module's graphs.
status=0
for module in "${modules[@]}"; do
    lower=$(echo "$module" | tr '[:upper:]' '[:lower:]')
    catalog=$root/Sources/$module/$module.docc
    moduleGraphs=$work/graphs/$module
    mkdir -p "$moduleGraphs"
    main=$graphs/$module.symbols.json
    [ -f "$main" ] || {
        echo "docs.sh: no symbol graph for $module" >&2
        exit 1
    }
    cp "$main" "$moduleGraphs/"
    for extension in "$graphs/$module"@*.symbols.json; do
        [ -e "$extension" ] || continue
        if [ "$main" -nt "$stamp" ] && ! [ "$extension" -nt "$stamp" ]; then
            rm -f "$extension" # left over from an earlier build of the module
            continue
        fi
        cp "$extension" "$moduleGraphs/"
    done
    rm -rf "${output:?}/$module"
    mkdir -p "$output"
    echo "== $module"
    log=$work/$module.log
    # --warnings-as-errors makes DocC fail on any warning; the log is checked as well, so a
    # warning DocC prints without failing cannot slip through either.
    if ! "$docc" convert "$catalog" \
        --additional-symbol-graph-dir "$moduleGraphs" \
        --fallback-display-name "$module" \
        --fallback-bundle-identifier "org.swift-dns-component.$lower" \
        --transform-for-static-hosting \
        --hosting-base-path "$module" \
        --output-path "$output/$module" \
        --warnings-as-errors 2>&1 | tee "$log"; then
        echo "docs.sh: DocC reported problems in $module (see above)" >&2
        status=1
    elif grep -q -E '(^|[[:space:]])warning:' "$log"; then
        echo "docs.sh: DocC printed warnings for $module (see above)" >&2
        status=1
    fi
done

elapsed=$(($(date +%s) - started))
if [ "$status" != 0 ]; then
    echo "docs.sh: documentation has warnings or errors (${elapsed}s)" >&2
    exit "$status"
fi
if [ "$check" = 1 ]; then
    echo "docs.sh: documentation of ${modules[*]} builds without warnings (${elapsed}s)"
else
    echo "docs.sh: sites in $output/{$(
        IFS=,
        echo "${modules[*]}"
    )}/ (${elapsed}s); serve $output and open /<Module>/documentation/<module>/"
fi
