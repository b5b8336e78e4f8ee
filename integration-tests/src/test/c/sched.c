/*
 * Scheduling attributes and credentials a process keeps per task: policies and real-time priorities
 * (sched_setscheduler, sched_setparam, SCHED_RESET_ON_FORK), nice values (setpriority, getpriority
 * by process, group and user) and what fork and /proc/self/stat show of them; then the file-system
 * ids (setfsuid, setfsgid) and setgroups' checks. Each line is a call's result and errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOWN(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-52s %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : ""); } while (0)

/* Fields 18 and 19 (priority, nice) and 40 and 41 (rt_priority, policy) of /proc/self/stat. */
static void stat_fields(const char *label) {
    char buf[2048];
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')') + 2;
    long v[52];
    int k = 3;
    for (char *tok = strtok(p, " "); tok && k <= 52; tok = strtok(NULL, " ")) {
        v[k++] = strtol(tok, NULL, 10);
    }
    printf("%s: stat priority %ld nice %ld rt_priority %ld policy %ld\n", label, v[18], v[19], v[40], v[41]);
}

static void child_report(const char *label) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        struct sched_param sp;
        syscall(SYS_sched_getparam, 0, &sp);
        printf("%s: child policy %ld priority %d nice %ld\n", label, syscall(SYS_sched_getscheduler, 0),
                sp.sched_priority, 20 - syscall(SYS_getpriority, PRIO_PROCESS, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

int main(void) {
    struct sched_param sp = {0};
    int pid = getpid();
    /* A readable page, then one that is not. */
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(pages + 4096, 4096, PROT_NONE);
    char *unmapped = pages + 4096;

    printf("policies\n");
    SHOWN("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    SHOWN("sched_getscheduler(-1)", syscall(SYS_sched_getscheduler, -1));
    SHOWN("sched_getscheduler(999999)", syscall(SYS_sched_getscheduler, 999999));
    SHOWN("sched_getparam(999999, NULL)", syscall(SYS_sched_getparam, 999999, NULL));
    SHOWN("sched_getparam(-1, &sp)", syscall(SYS_sched_getparam, -1, &sp));
    SHOWN("sched_getparam(0, unmapped)", syscall(SYS_sched_getparam, 0, unmapped));
    SHOWN("sched_setscheduler(0, -5, NULL)", syscall(SYS_sched_setscheduler, 0, -5, NULL));
    SHOWN("sched_setscheduler(0, FIFO, NULL)", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, NULL));
    SHOWN("sched_setscheduler(-1, FIFO, &sp)", syscall(SYS_sched_setscheduler, -1, SCHED_FIFO, &sp));
    SHOWN("sched_setscheduler(0, FIFO, unmapped)", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, unmapped));
    SHOWN("sched_setscheduler(999999, 4, &sp)", syscall(SYS_sched_setscheduler, 999999, 4, &sp));
    SHOWN("sched_setscheduler(0, 4, &sp)", syscall(SYS_sched_setscheduler, 0, 4, &sp));
    SHOWN("sched_setscheduler(0, DEADLINE, &sp)", syscall(SYS_sched_setscheduler, 0, 6, &sp));
    SHOWN("sched_setscheduler(0, FIFO, [0])", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp));
    sp.sched_priority = 100;
    SHOWN("sched_setscheduler(0, RR, [100])", syscall(SYS_sched_setscheduler, 0, SCHED_RR, &sp));
    sp.sched_priority = -1;
    SHOWN("sched_setparam(0, [-1])", syscall(SYS_sched_setparam, 0, &sp));
    sp.sched_priority = 5;
    SHOWN("sched_setscheduler(0, OTHER, [5])", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
    SHOWN("sched_setparam(0, [5]) (under OTHER)", syscall(SYS_sched_setparam, 0, &sp));
    SHOWN("sched_setscheduler(pid, FIFO, [5])", syscall(SYS_sched_setscheduler, pid, SCHED_FIFO, &sp));
    SHOWN("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    SHOWN("sched_getparam(0)", syscall(SYS_sched_getparam, 0, &sp));
    printf("  priority %d\n", sp.sched_priority);
    sp.sched_priority = 7;
    SHOWN("sched_setparam(pid, [7])", syscall(SYS_sched_setparam, pid, &sp));
    SHOWN("sched_getparam(pid)", syscall(SYS_sched_getparam, pid, &sp));
    printf("  priority %d\n", sp.sched_priority);
    stat_fields("FIFO 7");
    child_report("FIFO 7");
    sp.sched_priority = 3;
    SHOWN("sched_setscheduler(0, RR|RESET_ON_FORK, [3])",
            syscall(SYS_sched_setscheduler, 0, SCHED_RR | SCHED_RESET_ON_FORK, &sp));
    SHOWN("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    child_report("RR 3 reset on fork");
    sp.sched_priority = 0;
    SHOWN("sched_setscheduler(0, BATCH, [0])", syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp));
    SHOWN("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    SHOWN("sched_setscheduler(0, IDLE, [0])", syscall(SYS_sched_setscheduler, 0, SCHED_IDLE, &sp));
    stat_fields("IDLE");
    SHOWN("sched_setscheduler(0, OTHER, [0])", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
    SHOWN("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));

    printf("nice values\n");
    SHOWN("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    SHOWN("getpriority(3, 0)", syscall(SYS_getpriority, 3, 0));
    SHOWN("getpriority(-1, 0)", syscall(SYS_getpriority, -1, 0));
    SHOWN("getpriority(PRIO_PROCESS, 999999)", syscall(SYS_getpriority, PRIO_PROCESS, 999999));
    SHOWN("getpriority(PRIO_PGRP, 999999)", syscall(SYS_getpriority, PRIO_PGRP, 999999));
    SHOWN("getpriority(PRIO_USER, 54321)", syscall(SYS_getpriority, PRIO_USER, 54321));
    SHOWN("setpriority(3, 0, 0)", syscall(SYS_setpriority, 3, 0, 0));
    SHOWN("setpriority(PRIO_PROCESS, 999999, 0)", syscall(SYS_setpriority, PRIO_PROCESS, 999999, 0));
    SHOWN("setpriority(PRIO_USER, 54321, 0)", syscall(SYS_setpriority, PRIO_USER, 54321, 0));
    SHOWN("setpriority(PRIO_PROCESS, 0, -5)", syscall(SYS_setpriority, PRIO_PROCESS, 0, -5));
    SHOWN("getpriority(PRIO_PROCESS, pid)", syscall(SYS_getpriority, PRIO_PROCESS, pid));
    stat_fields("nice -5");
    child_report("nice -5");
    sp.sched_priority = 0;
    SHOWN("sched_setscheduler(0, OTHER|RESET_ON_FORK, [0])",
            syscall(SYS_sched_setscheduler, 0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp));
    child_report("nice -5 reset on fork");
    SHOWN("sched_setscheduler(0, OTHER, [0])", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
    SHOWN("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    SHOWN("setpriority(PRIO_PROCESS, 0, 100)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 100));
    SHOWN("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    SHOWN("setpriority(PRIO_PROCESS, 0, -100)", syscall(SYS_setpriority, PRIO_PROCESS, 0, -100));
    SHOWN("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    /* A group of its own first: its starter's group holds the test's JVM. */
    SHOWN("setpgid(0, 0)", setpgid(0, 0));
    SHOWN("setpriority(PRIO_PGRP, 0, 4)", syscall(SYS_setpriority, PRIO_PGRP, 0, 4));
    SHOWN("getpriority(PRIO_PGRP, 0)", syscall(SYS_getpriority, PRIO_PGRP, 0));
    SHOWN("getpriority(PRIO_PGRP, getpgrp())", syscall(SYS_getpriority, PRIO_PGRP, getpgrp()));
    SHOWN("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    SHOWN("setpriority(PRIO_PROCESS, 0, 0)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 0));

    printf("file-system ids\n");
    uid_t uid = getuid();
    gid_t gid = getgid();
    printf("setfsuid(-1) answers the uid %d\n", (uid_t) syscall(SYS_setfsuid, -1) == uid);
    printf("setfsuid(uid + 1000) answers the uid %d\n", (uid_t) syscall(SYS_setfsuid, uid + 1000) == uid);
    printf("setfsuid(uid) answers uid + 1000 (root) or the uid %d\n",
            (uid_t) syscall(SYS_setfsuid, uid) == (uid == 0 ? 1000 : uid));
    printf("setfsgid(gid + 1000) answers the gid %d\n", (gid_t) syscall(SYS_setfsgid, gid + 1000) == gid);
    printf("setfsgid(-1) answers gid + 1000 (root) or the gid %d\n",
            (gid_t) syscall(SYS_setfsgid, -1) == (gid == 0 ? 1000 : gid));
    syscall(SYS_setfsgid, gid);
    printf("getuid() as a raw value: %d\n", syscall(SYS_getuid) == (long) (unsigned long) uid);

    printf("setgroups\n");
    gid_t groups[3] = {gid, (gid_t) -1, gid};
    gid_t *tail = (gid_t *) (unmapped - sizeof(gid_t));
    SHOWN("setgroups(-1, NULL)", syscall(SYS_setgroups, -1, NULL));
    SHOWN("setgroups(65537, NULL)", syscall(SYS_setgroups, 65537, NULL));
    SHOWN("setgroups(1, NULL)", syscall(SYS_setgroups, 1, NULL));
    SHOWN("setgroups(3, [gid, -1, gid])", syscall(SYS_setgroups, 3, groups));
    tail[0] = (gid_t) -1;
    SHOWN("setgroups(2, [-1, unreadable])", syscall(SYS_setgroups, 2, tail));
    tail[0] = gid;
    SHOWN("setgroups(2, [gid, unreadable])", syscall(SYS_setgroups, 2, tail));
    return 0;
}
