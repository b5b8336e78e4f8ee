#!/usr/bin/env bash
# Go's standard-library tests (Debian's golang-go): one test binary per package, built once with
# `go test -c`, run natively and under jlx (one jlx per binary) with -test.short -test.v; each
# top-level test's PASS/FAIL/SKIP is compared. Usage: go.sh [subset|full] [OUTDIR]
SUITE=go
. "$(dirname "$0")/lib.sh"

PACKAGES="io io/fs path/filepath internal/poll os/user os os/exec os/signal sync syscall time"
[ "$MODE" = full ] && PACKAGES="$PACKAGES net runtime"

# Tests left out under jlx (their jlx status is "excluded"): each hangs, or crashes or derails the rest
# of its binary, so that it would hide every test after it. Delete a line once its bug is fixed;
# integration-tests/conformance-known.csv gives each one's reason.
EXCLUDED="
runtime.TestMemmoveOverflow
"
# The portable profile, and the windows one over its fake NT layer on the local disk, reach no host path
# past PATH_MAX: there TestRemoveAllLongPath fails deep in its tree and leaves the binary's working
# directory there, so the tests after it would find nothing.
if [ "${JLX_BACKEND:-}" = portable ] || [ "${JLX_BACKEND:-}" = windows ]; then
    EXCLUDED="$EXCLUDED
os.TestRemoveAllLongPath
"
fi
# Under the windows profile syscall.Exec while 100 goroutines spin has returned an error in some runs
# (a bug, not yet understood: conformance-known.csv); left out there so that CI does not depend on it.
if [ "${JLX_BACKEND:-}" = windows ]; then
    EXCLUDED="$EXCLUDED
syscall.TestExec
syscall.TestExecHelper
"
fi
# The binary's own alarm; jlx's --time-limit stops a binary whose alarm cannot fire.
TEST_TIMEOUT=240
TIME_LIMIT=180
# runtime's binary alone runs ~200 s under jlx on a busy 2-core machine.
if [ "$MODE" = full ]; then
    TEST_TIMEOUT=880
    TIME_LIMIT=900
fi
PARALLEL_JLX=2

GOROOT=$(go env GOROOT)
gopkg=$(dpkg -S "$(readlink -f "$(command -v go)")" | cut -d: -f1)
version="$gopkg $(dpkg-query -W -f='${Version}' "$gopkg")"
BIN=$CACHE/go/bin
if [ ! -e "$CACHE/go/.version" ] || [ "$(cat "$CACHE/go/.version")" != "$version" ]; then
    rm -rf "$CACHE/go"
    mkdir -p "$BIN"
    echo "$version" > "$CACHE/go/.version"
fi
build_start=$SECONDS
for p in $PACKAGES; do
    n=${p//\//_}
    [ -x "$BIN/$n.test" ] && continue
    # Debian leaves out $GOROOT/lib/time/zoneinfo.zip, which time's tests load: embed the tz data.
    tags=""
    [ "$p" = time ] && tags="-tags timetzdata"
    CGO_ENABLED=0 go test $tags -c -o "$BIN/$n.test" "$p"
done
build=$((SECONDS - build_start))

# As `go test` runs them: in the package's directory (tests read testdata/, net reads ../testdata/),
# outside module mode; GO_GCFLAGS makes internal/testenv skip the tests that run `go build`.
export GO111MODULE=off GO_GCFLAGS=-conformance
for side in native jlx; do
    mkdir -p "$OUT/$side"
    cp -r "$GOROOT/src/testdata" "$OUT/$side/testdata"
    for p in $PACKAGES; do
        mkdir -p "$OUT/$side/$p"
        cp -r "$GOROOT/src/$p/." "$OUT/$side/$p"
    done
done

# The tests of package $1's binary (examples and fuzz targets included, benchmarks do not run).
tests() {
    "$BIN/${1//\//_}.test" -test.list '.*' | grep -v '^Benchmark' || true
}

native() {
    (cd "$OUT/native/$1" && timeout -k 10 $((TEST_TIMEOUT + 30)) "$BIN/${1//\//_}.test" -test.short -test.v \
        -test.timeout ${TEST_TIMEOUT}s > "$OUT/native/${1//\//_}.out" 2>&1 < /dev/null) || true
}

under_jlx() {
    local p=$1 n=${1//\//_} run
    run="^($(tests "$p" | grep -vxF -f <(echo "$EXCLUDED" | sed -n "s|^$p\.||p") | paste -sd'|'))\$"
    (cd "$OUT/jlx/$p" && XDG_STATE_HOME=$OUT/state/$n "$JLX" run ${JLX_BACKEND:+--backend "$JLX_BACKEND"} \
        --time-limit $TIME_LIMIT -- "$BIN/$n.test" -test.short -test.v -test.timeout ${TEST_TIMEOUT}s \
        -test.run "$run" > "$OUT/jlx/$n.out" 2>&1 < /dev/null) || true
}

for p in $PACKAGES; do native "$p"; done
export -f under_jlx tests
export OUT BIN JLX EXCLUDED TEST_TIMEOUT TIME_LIMIT
printf '%s\n' $PACKAGES | xargs -P $PARALLEL_JLX -I{} bash -c 'under_jlx {}'

# status FILE TEST: the test's top-level result line in a -test.v output (a test's own output may
# precede it on the line); "not run" when there is none. A test may print bytes that are not text (net
# prints an abstract socket's name, which starts with NUL): -a reads the output as text all the same.
status() {
    local s
    s=$(grep -aoE -- "--- (PASS|FAIL|SKIP): $2 \(" "$1" | head -n 1 | cut -d' ' -f2 | tr -d : | tr A-Z a-z)
    echo "${s:-not run}"
}

table_header
for p in $PACKAGES; do
    n=${p//\//_}
    for t in $(tests "$p"); do
        j=$(status "$OUT/jlx/$n.out" "$t")
        if echo "$EXCLUDED" | grep -qxF "$p.$t"; then j=excluded; fi
        printf '%s\t%s\t%s\n' "$p.$t" "$(status "$OUT/native/$n.out" "$t")" "$j"
    done >> "$OUT/results.tsv"
done
summarize $build
