#!/usr/bin/env bash
# CPython's regression tests (Debian's libpython3.11-testsuite), run with the system's python3.11
# natively and under jlx (one jlx per module, two queues at a time) with `-m test -v`; each test
# case's ok/FAIL/ERROR/skipped is compared. Usage: cpython.sh [subset|full] [OUTDIR]
SUITE=cpython
. "$(dirname "$0")/lib.sh"

# Two queues of about equal jlx time: file, fd, memory and process syscalls, then clocks, rlimits, threads.
QUEUE_A="test_os test_fcntl test_select test_mmap"
QUEUE_B="test_posix test_resource test_time test_fileio test_thread"
MODULE_LIMIT=400
if [ "$MODE" = full ]; then
    QUEUE_A="$QUEUE_A test_shutil test_subprocess test_selectors test_threading test_tempfile test_pathlib test_glob
             test_pty test_socket test_getpass test_stat test_json"
    QUEUE_B="$QUEUE_B test_signal test_io test_multiprocessing_fork test_zipfile test_tarfile test_re test_hashlib"
    # test_multiprocessing_fork's manager tests run since sockets are served: with test_subprocess
    # they take 10 minutes and more under jlx on a loaded machine.
    MODULE_LIMIT=1200
fi
# Test cases left out under jlx (their jlx status is "excluded"), as regrtest --ignore globs: each
# hangs, which would end its whole module at the time limit. Delete a line once its bug is fixed;
# integration-tests/conformance-known.csv gives each one's reason.
EXCLUDED=""
set -f  # no pathname expansion: $EXCLUDED is a list of globs for test ids
# The interpreter by its full path: a python3 earlier on PATH could be another build with other tests.
PYTHON=/usr/bin/python3.11
dpkg-query -W -f='${Version}\n' libpython3.11-testsuite > "$OUT/version" \
    || { echo "libpython3.11-testsuite is not installed: run .ci/setup" >&2; exit 1; }

# run SIDE MODULE: one module, in a fresh directory that is also its TMPDIR: a short path, since the
# AF_UNIX socket paths tests make there have a 108-byte limit. jlx's --time-limit or timeout(1) ends a
# module that takes too long. regrtest's --timeout (3.11, tests run sequentially) times the whole
# module, not each test: it fires a little before that limit, so that a module still running then
# leaves every thread's traceback (a hang, or only slow); one of 300 s cut modules that take 5 to 10
# minutes under jlx, showing whichever test ran at 300 s as if it hung.
# The VSOCK tests hang natively on a VM with a vsock device.
run() {
    local side=$1 m=$2 dir
    dir=$(mktemp -d /tmp/jlx-cpython.XXXXXX)
    local cmd=(timeout -k 10 $((MODULE_LIMIT + 30))) opts=(--ignore '*VSOCK*' --timeout $((MODULE_LIMIT - 30)))
    if [ "$side" = jlx ]; then
        cmd=(env XDG_STATE_HOME="$OUT/state/$m" "$JLX" run ${JLX_BACKEND:+--backend "$JLX_BACKEND"} --time-limit $MODULE_LIMIT --)
        for e in $EXCLUDED; do opts+=(--ignore "$e"); done
    fi
    (cd "$dir" && TMPDIR=$dir "${cmd[@]}" $PYTHON -m test -v "${opts[@]}" "$m" \
        > "$OUT/$side/$m.out" 2>&1 < /dev/null) || true
    rm -rf "$dir"
}
queue() {
    for m in $2; do run "$1" "$m"; done
}
mkdir -p "$OUT/native" "$OUT/jlx"
for m in $QUEUE_A $QUEUE_B; do run native "$m"; done
queue jlx "$QUEUE_A" &
queue jlx "$QUEUE_B"
wait

# results FILE: "id<TAB>status" for each test case of a -v output. A case starts with "name (id)" and
# ends with " ... RESULT", possibly lines later when the test printed something in between.
results() {
    awk '
        match($0, /^[A-Za-z_][A-Za-z0-9_]* \(test\.[A-Za-z0-9_.]+\)/) {
            split(substr($0, 1, RLENGTH), w, / \(/); id = substr(w[2], 1, length(w[2]) - 1)
            if (id !~ ("\\." w[1] "$")) id = id "." w[1]
            rest = substr($0, RLENGTH + 1)
        }
        id != "" {
            line = (rest != "" ? rest : $0); rest = ""
            s = ""
            if (line ~ /(^|\.\.\. )ok$/) s = "pass"
            else if (line ~ /(^|\.\.\. )FAIL$/) s = "fail"
            else if (line ~ /(^|\.\.\. )ERROR$/) s = "error"
            else if (line ~ /(^|\.\.\. )skipped /) s = "skip"
            else if (line ~ /(^|\.\.\. )expected failure$/) s = "xfail"
            else if (line ~ /(^|\.\.\. )unexpected success$/) s = "xpass"
            if (s != "") { if (!(id in seen)) print id "\t" s; seen[id] = 1; id = "" }
        }' "$1"
}

table_header
for m in $QUEUE_A $QUEUE_B; do
    # Every case either side reported; one that only the other side reached is "not run" here.
    join -t $'\t' -a 1 -a 2 -e 'not run' -o 0,1.2,2.2 <(results "$OUT/native/$m.out" | sort -t $'\t' -k1,1) \
        <(results "$OUT/jlx/$m.out" | sort -t $'\t' -k1,1)
done | while IFS=$'\t' read -r id native jlx; do
    for e in $EXCLUDED; do
        [[ $jlx = "not run" && $id == $e ]] && jlx=excluded
    done
    printf '%s\t%s\t%s\n' "$id" "$native" "$jlx"
done >> "$OUT/results.tsv"
summarize 0
