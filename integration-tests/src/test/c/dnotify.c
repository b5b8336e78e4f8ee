/* dnotify (fcntl F_NOTIFY): which operations in a watched directory signal the watcher, with SIGIO
 * or F_SETSIG's signal (si_fd, si_code POLL_MSG, si_band), one-shot or DN_MULTISHOT, and the errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile int count, last_sig, last_fd, last_code;
static volatile long last_band;

static void on_info(int sig, siginfo_t *si, void *ctx) {
    (void) ctx;
    count++;
    last_sig = sig;
    last_fd = si->si_fd;
    last_code = si->si_code;
    last_band = si->si_band;
}

static void report(const char *what) {
    printf("%-34s signals=%d", what, count);
    if (count) printf(" sig=%s code=%d", last_sig == SIGIO ? "SIGIO" : last_sig == SIGRTMIN + 1 ? "RTMIN+1" : "?",
                      last_code);
    if (count && last_sig != SIGIO) printf(" fd=%s band=%#lx", last_fd == 3 ? "dir" : "other", last_band);
    putchar('\n');
    count = 0;
}

static void rc(const char *what, int r) {
    printf("%-34s %s\n", what, r == 0 ? "ok" : strerror(errno));
}

static void touch(const char *p) {
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    close(fd);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGIO, &sa, NULL);
    sigaction(SIGRTMIN + 1, &sa, NULL);
    mkdir("dn", 0755);
    int dir = open("dn", O_RDONLY | O_DIRECTORY);
    if (dir != 3) printf("dir fd %d\n", dir);

    /* SIGIO, one shot: the first event signals, the second does not. */
    rc("F_NOTIFY DN_CREATE", fcntl(dir, F_NOTIFY, DN_CREATE));
    touch("dn/a");
    report("create a");
    touch("dn/b");
    report("create b (one-shot spent)");

    rc("F_SETSIG RTMIN+1", fcntl(dir, F_SETSIG, SIGRTMIN + 1));
    rc("F_NOTIFY CREATE|MULTISHOT", fcntl(dir, F_NOTIFY, DN_CREATE | DN_MULTISHOT));
    touch("dn/c");
    report("create c");
    touch("dn/d");
    report("create d");
    mkdir("dn/sub", 0755);
    report("mkdir sub");
    touch("dn/d");
    report("open existing d (no create)");
    rc("F_NOTIFY 0 (remove)", fcntl(dir, F_NOTIFY, 0));
    touch("dn/e");
    report("create e after removal");

    rc("F_NOTIFY MODIFY|MULTISHOT", fcntl(dir, F_NOTIFY, DN_MODIFY | DN_MULTISHOT));
    int fd = open("dn/a", O_WRONLY);
    report("open a for writing");
    if (write(fd, "x", 1) != 1) return 1;
    report("write a");
    ftruncate(fd, 0);
    report("ftruncate a");
    close(fd);
    report("close a");
    rc("F_NOTIFY 0", fcntl(dir, F_NOTIFY, 0));

    rc("F_NOTIFY ACCESS|MULTISHOT", fcntl(dir, F_NOTIFY, DN_ACCESS | DN_MULTISHOT));
    fd = open("dn/a", O_RDWR);
    if (write(fd, "hello", 5) != 5) return 1;
    report("write a (no access)");
    char buf[8];
    pread(fd, buf, sizeof buf, 0);
    report("read a");
    close(fd);
    rc("F_NOTIFY 0", fcntl(dir, F_NOTIFY, 0));

    rc("F_NOTIFY ATTRIB|MULTISHOT", fcntl(dir, F_NOTIFY, DN_ATTRIB | DN_MULTISHOT));
    chmod("dn/a", 0600);
    report("chmod a");
    link("dn/a", "dn/a2");
    report("link a a2");
    chmod("dn", 0750);
    report("chmod the directory itself");
    rc("F_NOTIFY 0", fcntl(dir, F_NOTIFY, 0));

    rc("F_NOTIFY DELETE|MULTISHOT", fcntl(dir, F_NOTIFY, DN_DELETE | DN_MULTISHOT));
    unlink("dn/a2");
    report("unlink a2");
    rmdir("dn/sub");
    report("rmdir sub");
    rename("dn/b", "dn/b2");
    report("rename b b2");
    rename("dn/b2", "moved-out");
    report("rename b2 out");
    rc("F_NOTIFY 0", fcntl(dir, F_NOTIFY, 0));

    rc("F_NOTIFY CREATE|MULTISHOT", fcntl(dir, F_NOTIFY, DN_CREATE | DN_MULTISHOT));
    rename("moved-out", "dn/back");
    report("rename into dn");
    rc("F_NOTIFY 0", fcntl(dir, F_NOTIFY, 0));

    rc("F_NOTIFY RENAME|MULTISHOT", fcntl(dir, F_NOTIFY, DN_RENAME | DN_MULTISHOT));
    rename("dn/back", "dn/back2");
    report("rename back back2");
    unlink("dn/back2");
    report("unlink back2 (no rename)");
    rc("F_NOTIFY 0", fcntl(dir, F_NOTIFY, 0));

    /* Masks add up; a close of the descriptor ends the watch. */
    rc("F_NOTIFY CREATE|MULTISHOT", fcntl(dir, F_NOTIFY, DN_CREATE | DN_MULTISHOT));
    rc("F_NOTIFY DELETE|MULTISHOT", fcntl(dir, F_NOTIFY, DN_DELETE | DN_MULTISHOT));
    touch("dn/f");
    report("create f (masks add up)");
    unlink("dn/f");
    report("unlink f");
    int dup = fcntl(dir, F_DUPFD, 10);
    close(dup);
    touch("dn/g");
    report("create g after a dup closed");

    /* Errors. */
    fd = open("dn/a", O_RDONLY);
    rc("F_NOTIFY on a file", fcntl(fd, F_NOTIFY, DN_CREATE));
    rc("F_NOTIFY 0 on a file", fcntl(fd, F_NOTIFY, 0));
    rc("F_NOTIFY MULTISHOT only on a file", fcntl(fd, F_NOTIFY, DN_MULTISHOT));
    close(fd);

    unlink("dn/a");
    unlink("dn/c");
    unlink("dn/d");
    unlink("dn/e");
    unlink("dn/g");
    close(dir);
    rmdir("dn");
    return 0;
}
