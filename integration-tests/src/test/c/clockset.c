/*
 * settimeofday, clock_settime, adjtimex and clock_adjtime. Run natively as root, so without an
 * argument it only makes calls that fail or read (it never moves the host's clock or time zone):
 * Linux's errno order with and without CAP_SYS_TIME. With "set" (run under jlx only: the clock it
 * sets is that run's) it sets the clock and reads it back, printing ok or what differs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

static void *bad;

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static long settod(long sec, long usec, void *tz) {
    struct timeval tv = {sec, usec};
    return syscall(SYS_settimeofday, &tv, tz);
}

static long settime(int clock, long sec, long nsec) {
    struct timespec ts = {sec, nsec};
    return syscall(SYS_clock_settime, clock, &ts);
}

static long adj(unsigned modes, long offset, long freq, long tick, long sec, long usec) {
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    tx.modes = modes;
    tx.offset = offset;
    tx.freq = freq;
    tx.tick = tick;
    tx.time.tv_sec = sec;
    tx.time.tv_usec = usec;
    return syscall(SYS_adjtimex, &tx);
}

/* The checks whose answers do not depend on CAP_SYS_TIME, or come before it. */
static void errors(const char *who) {
    char label[100];
#define L(s) (snprintf(label, sizeof label, "%s %s", who, s), label)
    struct timezone tz = {24 * 60, 0};
    show(L("settimeofday usec 1000000"), settod(1, 1000000, NULL));
    show(L("settimeofday usec -1"), settod(1, -1, NULL));
    show(L("settimeofday sec -1"), settod(-1, 0, NULL));
    show(L("settimeofday sec huge"), settod(1L << 40, 0, NULL));
    show(L("settimeofday bad tv"), syscall(SYS_settimeofday, bad, NULL));
    show(L("settimeofday bad tz"), settod(1, 0, bad));
    show(L("settimeofday bad usec bad tz"), settod(1, -1, bad));
    show(L("settimeofday tz out of range"), syscall(SYS_settimeofday, NULL, &tz));
    show(L("settimeofday NULL NULL"), syscall(SYS_settimeofday, NULL, NULL));
    show(L("clock_settime MONOTONIC"), settime(CLOCK_MONOTONIC, 1, 0));
    show(L("clock_settime MONOTONIC NULL"), syscall(SYS_clock_settime, CLOCK_MONOTONIC, NULL));
    show(L("clock_settime BOOTTIME"), settime(CLOCK_BOOTTIME, 1, 0));
    show(L("clock_settime TAI"), settime(CLOCK_TAI, 1, 0));
    show(L("clock_settime REALTIME_COARSE"), settime(CLOCK_REALTIME_COARSE, 1, 0));
    show(L("clock_settime 10"), settime(10, 1, 0));
    show(L("clock_settime 100"), settime(100, 1, 0));
    show(L("clock_settime REALTIME bad"), syscall(SYS_clock_settime, CLOCK_REALTIME, bad));
    show(L("clock_settime REALTIME nsec 1e9"), settime(CLOCK_REALTIME, 1, 1000000000));
    show(L("clock_settime REALTIME sec -1"), settime(CLOCK_REALTIME, -1, 0));
    show(L("clock_settime PROCESS_CPUTIME_ID"), settime(CLOCK_PROCESS_CPUTIME_ID, 1, 0));
    show(L("clock_settime THREAD_CPUTIME_ID"), settime(CLOCK_THREAD_CPUTIME_ID, 1, 0));
    show(L("clock_settime THREAD_CPUTIME_ID bad"), syscall(SYS_clock_settime, CLOCK_THREAD_CPUTIME_ID, bad));
    show(L("clock_settime cpu clock of no process"), settime((~999999 << 3) | 2, 1, 0));
    show(L("adjtimex NULL"), syscall(SYS_adjtimex, NULL));
    show(L("adjtimex ADJ_ADJTIME alone"), adj(0x8000, 0, 0, 0, 0, 0));
    show(L("adjtimex ADJ_OFFSET_SS_READ"), adj(ADJ_OFFSET_SS_READ, 0, 0, 0, 0, 0) >= 0);
    show(L("adjtimex read"), adj(0, 0, 0, 0, 0, 0) >= 0);
    show(L("clock_adjtime MONOTONIC NULL"), syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, NULL));
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    show(L("clock_adjtime MONOTONIC"), syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx));
    show(L("clock_adjtime PROCESS_CPUTIME_ID"), syscall(SYS_clock_adjtime, CLOCK_PROCESS_CPUTIME_ID, &tx));
    show(L("clock_adjtime 10"), syscall(SYS_clock_adjtime, 10, &tx));
    show(L("clock_adjtime 100"), syscall(SYS_clock_adjtime, 100, &tx));
    show(L("clock_adjtime REALTIME bad"), syscall(SYS_clock_adjtime, CLOCK_REALTIME, bad));
    memset(&tx, 0, sizeof tx);
    long r = syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
    printf("%s clock_adjtime REALTIME read: %s precision %ld tolerance %ld tick %ld\n", who,
           r == TIME_OK || r == TIME_ERROR ? "a state" : "?", tx.precision, tx.tolerance, tx.tick);
    struct timeval now;
    gettimeofday(&now, NULL);
    long diff = (long) tx.time.tv_sec - now.tv_sec;
    printf("%s clock_adjtime REALTIME time near gettimeofday: %s\n", who, diff >= -1 && diff <= 1 ? "yes" : "no");
#undef L
}

/* The setters a caller with CAP_SYS_TIME could use, made without it. */
static void unprivileged(void) {
    struct timezone tz = {0, 0};
    struct timezone far = {24 * 60, 0};
    show("nobody settimeofday", settod(1000000000, 0, NULL));
    show("nobody settimeofday tz", syscall(SYS_settimeofday, NULL, &tz));
    show("nobody settimeofday tz out of range", syscall(SYS_settimeofday, NULL, &far));
    show("nobody clock_settime REALTIME", settime(CLOCK_REALTIME, 1000000000, 0));
    show("nobody adjtimex ADJ_STATUS", adj(ADJ_STATUS, 0, 0, 0, 0, 0));
    show("nobody adjtimex ADJ_TICK bad", adj(ADJ_TICK, 0, 0, 1, 0, 0));
    show("nobody adjtimex ADJ_OFFSET_SINGLESHOT", adj(ADJ_OFFSET_SINGLESHOT, 5, 0, 0, 0, 0));
    show("nobody adjtimex ADJ_SETOFFSET", adj(ADJ_SETOFFSET, 0, 0, 0, 1, 0));
    show("nobody adjtimex ADJ_SETOFFSET bad usec", adj(ADJ_SETOFFSET, 0, 0, 0, 1, -1));
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    tx.modes = ADJ_SETOFFSET;
    tx.time.tv_sec = 1;
    show("nobody clock_adjtime ADJ_SETOFFSET", syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx));
}

/* Errors a privileged caller gets for values Linux refuses before changing anything. */
static void privilegedErrors(void) {
    show("root adjtimex ADJ_TICK 1", adj(ADJ_TICK, 0, 0, 1, 0, 0));
    show("root adjtimex ADJ_TICK 20000", adj(ADJ_TICK, 0, 0, 20000, 0, 0));
    show("root adjtimex ADJ_SETOFFSET usec -1", adj(ADJ_SETOFFSET, 0, 0, 0, 1, -1));
    show("root adjtimex ADJ_SETOFFSET usec 1000000", adj(ADJ_SETOFFSET, 0, 0, 0, 1, 1000000));
    show("root adjtimex ADJ_SETOFFSET|ADJ_NANO nsec 1e9", adj(ADJ_SETOFFSET | ADJ_NANO, 0, 0, 0, 1, 1000000000));
    show("root adjtimex ADJ_FREQUENCY huge", adj(ADJ_FREQUENCY, 0, 1L << 60, 0, 0, 0));
    show("root adjtimex ADJ_SETOFFSET before 1970", adj(ADJ_SETOFFSET, 0, 0, 0, -(1L << 40), 0));
}

static int check(const char *label, int good) {
    printf("%s: %s\n", label, good ? "ok" : "differs");
    return good;
}

/* jlx only: the clock a guest sets is what every guest process reads back. */
static void set(void) {
    struct timeval tv;
    struct timespec ts, mono0, mono1;
    clock_gettime(CLOCK_MONOTONIC, &mono0);
    show("settimeofday 2001-09-09", settod(1000000000, 500000, NULL));
    gettimeofday(&tv, NULL);
    check("gettimeofday reads it", tv.tv_sec == 1000000000 || tv.tv_sec == 1000000001);
    check("time reads it", time(NULL) - 1000000000 <= 1);
    clock_gettime(CLOCK_REALTIME, &ts);
    check("CLOCK_REALTIME reads it", ts.tv_sec - 1000000000 <= 1 && ts.tv_sec >= 1000000000);
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    check("CLOCK_REALTIME_COARSE reads it", ts.tv_sec - 1000000000 <= 1 && ts.tv_sec >= 1000000000);
    clock_gettime(CLOCK_MONOTONIC, &mono1);
    check("CLOCK_MONOTONIC did not jump", mono1.tv_sec - mono0.tv_sec <= 1);
    pid_t child = fork();
    if (child == 0) {
        _exit(time(NULL) - 1000000000 <= 1 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    check("a child reads it", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    show("clock_settime 2033-05-18", settime(CLOCK_REALTIME, 2000000000, 0));
    check("time reads it", time(NULL) - 2000000000 <= 1);
    show("adjtimex ADJ_SETOFFSET -1000000000 s", adj(ADJ_SETOFFSET, 0, 0, 0, -1000000000, 0) >= 0);
    check("time moved back", time(NULL) - 1000000000 <= 1);
    struct timezone tz = {-120, 0}, got;
    show("settimeofday tz", syscall(SYS_settimeofday, NULL, &tz));
    syscall(SYS_gettimeofday, &tv, &got); /* musl's gettimeofday leaves the time zone alone */
    check("gettimeofday reports the time zone", got.tz_minuteswest == -120 && got.tz_dsttime == 0);
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    tx.modes = ADJ_STATUS | ADJ_FREQUENCY | ADJ_MAXERROR | ADJ_ESTERROR | ADJ_TIMECONST;
    tx.status = STA_PLL;
    tx.freq = 12345 << 16;
    tx.maxerror = 1000;
    tx.esterror = 2000;
    tx.constant = 3;
    show("adjtimex set NTP values", syscall(SYS_adjtimex, &tx));
    memset(&tx, 0, sizeof tx);
    long state = syscall(SYS_adjtimex, &tx);
    printf("adjtimex read back: state %ld status %#x freq %ld esterror %ld constant %ld maxerror grown %s\n", state,
           tx.status, tx.freq >> 16, tx.esterror, tx.constant,
           tx.maxerror >= 1000 && tx.maxerror <= 2000 ? "little" : "?");
    memset(&tx, 0, sizeof tx);
    tx.modes = ADJ_TAI;
    tx.constant = 37;
    syscall(SYS_adjtimex, &tx);
    struct timespec real, tai;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_TAI, &tai);
    check("CLOCK_TAI is 37 s ahead", tai.tv_sec - real.tv_sec >= 37 && tai.tv_sec - real.tv_sec <= 38);
}

int main(int argc, char **argv) {
    bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (argc > 1 && strcmp(argv[1], "set") == 0) {
        set();
        return 0;
    }
    errors("root");
    privilegedErrors();
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        if (setuid(65534) != 0) {
            perror("setuid");
            _exit(1);
        }
        errors("nobody");
        unprivileged();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);
    return 0;
}
