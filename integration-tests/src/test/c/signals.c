/* Signal dispositions and masks read back as set; raise() of an ignored and of a fatal signal. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void handler(int sig) {
    (void) sig;
}

int main(int argc, char **argv) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigaddset(&sa.sa_mask, SIGUSR2);
    printf("set USR1 %d\n", sigaction(SIGUSR1, &sa, NULL));
    sigaction(SIGUSR1, NULL, &old);
    printf("read back handler %d restart %d usr2 in mask %d\n", old.sa_handler == handler,
            (old.sa_flags & SA_RESTART) != 0, sigismember(&old.sa_mask, SIGUSR2));
    int r = sigaction(SIGKILL, &sa, NULL);
    printf("set KILL %d %s\n", r, strerror(errno));
    r = sigaction(65, &sa, NULL);
    printf("set 65 %d %s\n", r, strerror(errno));
    sigset_t set, cur;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGKILL);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("blocked INT %d KILL %d\n", sigismember(&cur, SIGINT), sigismember(&cur, SIGKILL));
    r = sigprocmask(99, &set, NULL);
    printf("bad how %d %s\n", r, strerror(errno));
    signal(SIGTERM, SIG_IGN);
    printf("raise ignored TERM %d\n", raise(SIGTERM));
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "abort") == 0) {
        abort();
    }
    if (argc > 1 && strcmp(argv[1], "segv") == 0) {
        int *volatile nowhere = (int *) 8;
        *nowhere = 1;
    }
    return 0;
}
