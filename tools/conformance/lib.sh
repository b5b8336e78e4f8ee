# Sourced by the conformance scripts after they set SUITE: where things live, the arguments, and the
# summary of a suite's table. Usage of every script: SCRIPT [subset|full] [OUTDIR]; with JLX_BACKEND
# set, jlx runs on that host backend (its --backend), else on the platform's default.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JLX=${JLX:-$ROOT/jlx}
# Sources and builds live outside the work tree, one copy per package version.
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/jlx/conformance
MODE=${1:-subset}
case $MODE in
    subset|full) ;;
    *) echo "usage: $0 [subset|full] [OUTDIR]" >&2; exit 2 ;;
esac
OUT=${2:-$CACHE/out/$SUITE-$MODE}
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
START=$SECONDS
[ -x "$JLX" ] || { echo "no jlx launcher at $JLX" >&2; exit 1; }

# The table is $OUT/results.tsv: a header, then one line per test: name, native status, jlx status.
# Statuses are pass, fail, skip or a suite's own word; a test conforms when its two statuses are equal.
table_header() {
    printf 'test\tnative\tjlx\n' > "$OUT/results.tsv"
}

# summarize BUILD_SECONDS: the summary line, into $OUT/summary.txt and on stdout. Differences that
# integration-tests/conformance-known.csv does not explain (not listed, or listed with another jlx
# status) go to $OUT/unexplained.tsv, listed tests that now match to $OUT/stale.tsv. A line whose
# suite is SUITE@BACKEND is about that host backend (profile) only, and stands for it over SUITE's.
summarize() {
    awk -F'\t' -v suite="$SUITE" -v profile="$SUITE@${JLX_BACKEND:-}" -v out="$OUT" '
        FILENAME != ARGV[2] {
            # suite,test,jlx status,"reason": the reason is the only field that may hold a comma.
            if (FNR > 1) {
                split($0, f, ",")
                if (f[1] == suite && !(f[2] in mine)) known[f[2]] = f[3]
                if (f[1] == profile) { known[f[2]] = f[3]; mine[f[2]] = 1 }
            }
            next
        }
        FNR > 1 && $2 != $3 && known[$1] != $3 { print > (out "/unexplained.tsv") }
        FNR > 1 && $2 == $3 && ($1 in known) { print > (out "/stale.tsv") }' \
        "$ROOT/integration-tests/conformance-known.csv" "$OUT/results.tsv"
    awk -F'\t' -v suite="$SUITE" -v mode="$MODE" -v build="$1" -v wall=$((SECONDS - START)) \
        -v unexplained="$(cat "$OUT/unexplained.tsv" 2>/dev/null | wc -l)" \
        -v rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" '
        NR > 1 { n++; np += $2 == "pass"; jp += $3 == "pass"; d += $2 != $3 }
        END { printf "%s %s (jlx %s): %d tests, native passes %d, jlx passes %d (%.1f %%), %d differ (%d unexplained); %d s (build %d s)\n",
                     suite, mode, rev, n, np, jp, np ? 100 * jp / np : 0, d, unexplained, wall, build }' \
        "$OUT/results.tsv" | tee "$OUT/summary.txt"
}
