#!/usr/bin/env bash
# strace's test programs (tests/pure_executables.list of Debian's strace source): each prints the
# strace output it expects for the syscalls it makes. All are run in one shell natively (twice, to
# find the ones whose output changes from run to run) and in one jlx process, and compared by stdout
# and exit status. Usage: strace.sh [subset|full] [OUTDIR]
SUITE=strace
. "$(dirname "$0")/lib.sh"

SRC=$CACHE/strace-src
"$ROOT/.ci/debian-source" strace "$(dpkg-query -W -f='${source:Version}' strace)" "$SRC"
TESTS=$SRC/strace/tests
if [ "$MODE" = full ]; then
    grep -v -e '^#' -e '^$' "$TESTS/pure_executables.list" > "$OUT/programs.list"
else
    sed 's/#.*//' "$HERE/strace-subset.list" | tr -s ' \n' '\n\n' | grep . > "$OUT/programs.list"
fi

# Only the programs asked for are built; a program that does not build is "not built" on both sides.
build_start=$SECONDS
(
    cd "$SRC/strace"
    [ -e tests/Makefile ] || ./configure --enable-mpers=no --disable-gcc-Werror -q
    cd tests
    make -s ksysent.h scno.h
    make -s -j"$(nproc)" libtests.a
    make -s -k -j"$(nproc)" $(cat "$OUT/programs.list") || true
) > "$OUT/build.log" 2>&1 || { tail -n 20 "$OUT/build.log"; echo "building strace's tests failed: see $OUT/build.log" >&2; exit 1; }
build=$((SECONDS - build_start))
grep -vxF -f <(cd "$TESTS" && ls) "$OUT/programs.list" > "$OUT/not-built.list" || true

# A program that runs longer than PROGRAM_TIMEOUT (20 s) is "timeout"; the jlx run as a whole gets
# 1 s a program on top of that, and a program it did not reach is "not run".
mkdir -p "$OUT/native1" "$OUT/native2" "$OUT/jlx"
grep -vxF -f "$OUT/not-built.list" "$OUT/programs.list" > "$OUT/run.list" || true
sh "$HERE/batch.sh" "$TESTS" "$OUT/run.list" "$OUT/native1"
sh "$HERE/batch.sh" "$TESTS" "$OUT/run.list" "$OUT/native2"
XDG_STATE_HOME=$OUT/state "$JLX" run ${JLX_BACKEND:+--backend "$JLX_BACKEND"} --time-limit $((60 + $(wc -l < "$OUT/run.list"))) -- \
    /bin/sh "$HERE/batch.sh" "$TESTS" "$OUT/run.list" "$OUT/jlx" > "$OUT/jlx.log" 2>&1 || true

# Addresses differ under jlx (another mmap layout) and natively from run to run (ASLR).
mask() {
    sed -E 's/0x[0-9a-f]{6,}/0xADDR/g' "$1"
}
# Programs that print a time the kernel counts down while they run (select's time left, an itimer's
# value): its last digits vary natively with load too, but two native runs may happen to agree.
TIMED="select xetitimer"
# Pids, inode numbers, times: for the TIMED programs and those whose two native runs differ even so.
# A pid that starts a line is padded to 5 columns (%-5u): jlx's pids are shorter than the host's.
mask_numbers() {
    mask "$1" | sed -E 's/^[0-9]+ +/N /; s/[0-9]+/N/g'
}
word() {
    case $1 in
        0) echo pass ;;
        77) echo skip ;;
        124) echo timeout ;;
        *) echo "exit $1" ;;
    esac
}

table_header
while read -r t; do
    if grep -qxF "$t" "$OUT/not-built.list"; then
        printf '%s\tnot built\tnot built\n' "$t" >> "$OUT/results.tsv"
        continue
    fi
    n1=$OUT/native1/$t n2=$OUT/native2/$t j=$OUT/jlx/$t
    rc=$(cat "$n1.rc")
    compare=mask
    case " $TIMED " in *" $t "*) compare=mask_numbers ;; esac
    if [ "$rc" != "$(cat "$n2.rc")" ]; then
        compare=""
    elif ! cmp -s <(mask "$n1.out") <(mask "$n2.out"); then
        compare=mask_numbers
        cmp -s <(mask_numbers "$n1.out") <(mask_numbers "$n2.out") || compare=""
    fi
    native=$(word "$rc")
    [ -n "$compare" ] || native=nondeterministic
    if [ ! -e "$j.rc" ]; then
        jlx="not run"
    elif [ "$(cat "$j.rc")" != "$rc" ]; then
        jlx=$(word "$(cat "$j.rc")")
    elif [ -n "$compare" ] && ! cmp -s <($compare "$n1.out") <($compare "$j.out"); then
        jlx="stdout differs"
    else
        jlx=$native
    fi
    printf '%s\t%s\t%s\n' "$t" "$native" "$jlx" >> "$OUT/results.tsv"
done < "$OUT/programs.list"
summarize $build
