#!/bin/sh
# batch.sh DIR LIST OUT: runs each program named in the file LIST the way strace's tests/init.sh does
# (in a fresh DIR/NAME.dir, as ../NAME, LC_ALL=C, stdin /dev/null) and keeps OUT/NAME.out, .err, .rc.
# One shell runs them all, so that under jlx the whole list costs one start-up.
export LC_ALL=C
cd "$1" || exit 1
while read -r t; do
    rm -rf "$t.dir" && mkdir "$t.dir" && cd "$t.dir" || exit 1
    timeout -k 5 "${PROGRAM_TIMEOUT:-20}" "../$t" > "$3/$t.out" 2> "$3/$t.err" < /dev/null
    echo $? > "$3/$t.rc"
    cd .. && rm -rf "$t.dir"
done < "$2"
