#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/times.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
/* Resource usage and scheduling answers: getrusage, times, sched_*, getpriority, getcpu. */
int main(void) {
    volatile char *p = malloc(64 << 20); for (long i = 0; i < (64 << 20); i += 4096) p[i] = 1;
    volatile double x = 0; for (long i = 0; i < 30000000; i++) x += i;
    struct rusage r; int rc = getrusage(RUSAGE_SELF, &r);
    printf("getrusage %d cpu>0 %d maxrss>=64MiB %d\n", rc, r.ru_utime.tv_sec + r.ru_utime.tv_usec > 0, r.ru_maxrss >= 65536);
    rc = getrusage(RUSAGE_CHILDREN, &r);
    printf("children %d %ld\n", rc, (long) r.ru_utime.tv_sec);
    errno = 0; rc = getrusage(5, &r); printf("bad who %d %s\n", rc, strerror(errno));
    struct tms t; clock_t c1 = times(&t); clock_t c2 = times(NULL);
    printf("times monotonic %d utime>0 %d\n", c2 >= c1, t.tms_utime > 0);
    printf("prio %d %d %d %d\n", sched_get_priority_max(SCHED_FIFO), sched_get_priority_min(SCHED_RR), sched_get_priority_max(SCHED_OTHER), sched_getscheduler(0));
    errno = 0; rc = getpriority(PRIO_PROCESS, 0); printf("getpriority %d %d\n", rc, errno);
    unsigned cpu = 99, node = 99; rc = syscall(SYS_getcpu, &cpu, &node, NULL); printf("getcpu %d cpu<nproc %d node %u\n", rc, cpu < (unsigned) sysconf(_SC_NPROCESSORS_ONLN), node);
    struct sched_param sp = {.sched_priority = 7}; rc = sched_getparam(0, &sp); printf("getparam %d %d\n", rc, sp.sched_priority);
    return 0;
}
