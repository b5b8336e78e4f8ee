/* Dies in a nested call, of SIGSEGV (no argument) or SIGABRT ("abort"), with RLIMIT_CORE unlimited:
 * the core's backtrace under gdb names the same frames as a native core's (CoreDumpTest). */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static volatile int *nowhere;

__attribute__((noinline)) static void innermost(int depth, const char *how) {
    if (strcmp(how, "abort") == 0) {
        abort();
    }
    *nowhere = depth;
}

__attribute__((noinline)) static void middle(int depth, const char *how) {
    innermost(depth + 1, how);
}

__attribute__((noinline)) static void outer(int depth, const char *how) {
    middle(depth + 1, how);
}

int main(int argc, char **argv) {
    struct rlimit r = {RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_CORE, &r);
    outer(1, argc > 1 ? argv[1] : "segv");
    return 0;
}
