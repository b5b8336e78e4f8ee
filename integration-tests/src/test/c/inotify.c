/* inotify(7): instances, watches and the events of changes made through the file system, printed
 * symbolically (no inode numbers or cookie values) so that runs compare byte for byte. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>
#include <utime.h>

static const char *names[] = {"ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN",
    "MOVED_FROM", "MOVED_TO", "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF"};

static void mask_str(unsigned m, char *out) {
    out[0] = 0;
    for (int i = 0; i < 12; i++)
        if (m & (1u << i)) { strcat(out, names[i]); strcat(out, "|"); }
    if (m & IN_UNMOUNT) strcat(out, "UNMOUNT|");
    if (m & IN_Q_OVERFLOW) strcat(out, "Q_OVERFLOW|");
    if (m & IN_IGNORED) strcat(out, "IGNORED|");
    if (m & IN_ISDIR) strcat(out, "ISDIR|");
    size_t n = strlen(out);
    if (n) out[n - 1] = 0;
}

static unsigned last_cookie;

/* Reads and prints every queued event (non-blocking instance). */
static void drain(int fd, const char *what) {
    char buf[8192] __attribute__((aligned(8)));
    printf("-- %s\n", what);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno != EAGAIN) printf("read: %s\n", strerror(errno));
            break;
        }
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *) p;
            char m[256];
            mask_str(e->mask, m);
            const char *cookie = "";
            if (e->cookie) {
                cookie = e->mask & IN_MOVED_FROM ? " cookie=new" : e->cookie == last_cookie ? " cookie=same" : " cookie=other";
                last_cookie = e->cookie;
            }
            printf("wd=%d %s len=%u%s%s%s\n", e->wd, m, e->len, cookie, e->len ? " name=" : "", e->len ? e->name : "");
            p += sizeof *e + e->len;
        }
    }
}

static void check(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r < 0 ? -1L : r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
}

static void on_alarm(int sig) { (void) sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("t", 0755);
    chdir("t");

    printf("== errors\n");
    check("init1(bad flag)", inotify_init1(0x40));
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    check("init1", fd >= 0 ? 0 : -1);
    printf("cloexec=%d nonblock=%d\n", !!(fcntl(fd, F_GETFD) & FD_CLOEXEC), !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
    printf("accmode=%d\n", fcntl(fd, F_GETFL) & O_ACCMODE);
    check("add_watch(mask 0)", inotify_add_watch(fd, ".", 0));
    check("add_watch(unknown bit)", inotify_add_watch(fd, ".", IN_MODIFY | 0x1000));
    check("add_watch(bad fd)", inotify_add_watch(99, ".", IN_MODIFY));
    check("add_watch(not inotify)", inotify_add_watch(1, ".", IN_MODIFY));
    check("add_watch(ADD|CREATE)", inotify_add_watch(fd, ".", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
    check("add_watch(missing)", inotify_add_watch(fd, "missing", IN_MODIFY));
    put("f", "x");
    check("add_watch(ONLYDIR file)", inotify_add_watch(fd, "f", IN_MODIFY | IN_ONLYDIR));
    check("add_watch(file/)", inotify_add_watch(fd, "f/", IN_MODIFY));
    check("rm_watch(bad wd)", inotify_rm_watch(fd, 42));
    check("rm_watch(not inotify)", inotify_rm_watch(1, 1));
    char small[8];
    check("read(empty)", read(fd, small, sizeof small));
    check("write", write(fd, "x", 1));
    check("lseek", lseek(fd, 0, SEEK_CUR));
    struct stat st;
    fstat(fd, &st);
    printf("fstat mode=%o\n", st.st_mode);
    char target[64] = {0};
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    readlink(path, target, sizeof target - 1);
    printf("link=%s\n", target);
    int bytes = -1;
    ioctl(fd, FIONREAD, &bytes);
    printf("FIONREAD empty=%d\n", bytes);

    printf("== watches\n");
    int wd1 = inotify_add_watch(fd, ".", IN_ALL_EVENTS);
    int wd2 = inotify_add_watch(fd, "f", IN_ALL_EVENTS);
    printf("wd dir=%d file=%d\n", wd1, wd2);
    printf("same inode again=%d\n", inotify_add_watch(fd, "./f", IN_MODIFY | IN_MASK_ADD));
    check("MASK_CREATE on watched", inotify_add_watch(fd, "f", IN_MODIFY | IN_MASK_CREATE));
    printf("replace mask=%d\n", inotify_add_watch(fd, "f", IN_ALL_EVENTS));
    drain(fd, "nothing yet");
    check("read(too small)", (ioctl(fd, FIONREAD, &bytes), 0));
    int wfd = open("f", O_WRONLY | O_APPEND);
    write(wfd, "a", 1);
    write(wfd, "b", 1);
    ioctl(fd, FIONREAD, &bytes);
    printf("FIONREAD=%d\n", bytes);
    check("read(8 bytes)", read(fd, small, sizeof small));
    close(wfd);
    drain(fd, "open, two writes (merged), close");
    int rfd = open("f", O_RDONLY);
    char c[4];
    read(rfd, c, sizeof c);
    read(rfd, c, sizeof c);
    close(rfd);
    drain(fd, "open, read, read at end, close");
    chmod("f", 0600);
    chown("f", -1, -1);
    truncate("f", 0);
    struct timespec times[2] = {{1, 0}, {2, 0}};
    utimensat(AT_FDCWD, "f", times, 0);
    struct timespec atime_only[2] = {{1, 0}, {0, UTIME_OMIT}};
    utimensat(AT_FDCWD, "f", atime_only, 0);
    struct timespec mtime_only[2] = {{0, UTIME_OMIT}, {3, 0}};
    utimensat(AT_FDCWD, "f", mtime_only, 0);
    drain(fd, "chmod, chown(-1,-1), truncate, utimensat both, atime, mtime");
    put("f", "again");
    drain(fd, "O_TRUNC of an existing file, write, close");
    put("g", "new");
    drain(fd, "O_CREAT of a new file");
    link("g", "h");
    drain(fd, "link");
    rename("g", "i");
    drain(fd, "rename within");
    mkdir("sub", 0755);
    int wd3 = inotify_add_watch(fd, "sub", IN_ALL_EVENTS);
    printf("wd sub=%d\n", wd3);
    rename("i", "sub/i");
    drain(fd, "rename into sub");
    rename("sub/i", "f");
    drain(fd, "rename over the watched file");
    unlink("h");
    drain(fd, "unlink of a second link");
    symlink("f", "s");
    mknod("fifo", S_IFIFO | 0644, 0);
    drain(fd, "symlink, mkfifo");
    unlink("s");
    unlink("fifo");
    drain(fd, "unlinks");
    DIR *d = opendir(".");
    while (readdir(d)) {}
    closedir(d);
    drain(fd, "opendir, readdir, closedir");
    rmdir("sub");
    drain(fd, "rmdir of a watched directory");
    int wd4 = inotify_add_watch(fd, "f", IN_ATTRIB);
    printf("rewatch f=%d\n", wd4);
    check("rm_watch", inotify_rm_watch(fd, wd4));
    check("rm_watch again", inotify_rm_watch(fd, wd4));
    drain(fd, "rm_watch");
    int wd5 = inotify_add_watch(fd, "f", IN_MODIFY | IN_ONESHOT);
    printf("oneshot f=%d (new wd)\n", wd5);
    put("f", "1");
    put("f", "2");
    drain(fd, "oneshot: one event, then ignored");
    check("rm_watch(dir)", inotify_rm_watch(fd, wd1));
    drain(fd, "dir watch removed");

    printf("== unlink of a watched file\n");
    wd1 = inotify_add_watch(fd, ".", IN_ALL_EVENTS & ~(IN_OPEN | IN_CLOSE | IN_ACCESS));
    wd2 = inotify_add_watch(fd, "f", IN_ALL_EVENTS);
    unlink("f");
    drain(fd, "unlink f");

    printf("== IN_EXCL_UNLINK\n");
    put("e", "e");
    int efd = open("e", O_RDWR);
    int fd2 = inotify_init1(IN_NONBLOCK);
    inotify_rm_watch(fd, wd1);
    drain(fd, "dir watch removed");
    int wd6 = inotify_add_watch(fd, "e", IN_MODIFY | IN_CLOSE | IN_DELETE_SELF | IN_EXCL_UNLINK);
    int wd7 = inotify_add_watch(fd2, "e", IN_MODIFY | IN_CLOSE | IN_DELETE_SELF);
    printf("wd e=%d %d\n", wd6, wd7);
    write(efd, "1", 1);
    drain(fd, "write while linked (EXCL_UNLINK)");
    drain(fd2, "write while linked");
    unlink("e");
    write(efd, "2", 1);
    drain(fd, "write after unlink (EXCL_UNLINK)");
    drain(fd2, "write after unlink");
    close(efd);
    drain(fd, "last close (EXCL_UNLINK)");
    drain(fd2, "last close");
    close(fd2);

    printf("== IN_DONT_FOLLOW, IN_ONLYDIR\n");
    put("target", "t");
    symlink("target", "lnk");
    int wl = inotify_add_watch(fd, "lnk", IN_ATTRIB | IN_DONT_FOLLOW);
    int wt = inotify_add_watch(fd, "lnk", IN_ATTRIB);
    printf("link watch differs from target's: %d\n", wl != wt);
    chmod("target", 0600);
    drain(fd, "chmod target");
    check("ONLYDIR on a dir", inotify_add_watch(fd, ".", IN_CREATE | IN_ONLYDIR) > 0 ? 0 : -1);
    unlink("lnk");
    unlink("target");
    drain(fd, "cleanup");

    printf("== overflow\n");
    int ofd = inotify_init1(IN_NONBLOCK);
    put("a", "");
    put("b", "");
    inotify_add_watch(ofd, ".", IN_MODIFY);
    int fa = open("a", O_WRONLY), fb = open("b", O_WRONLY);
    for (int i = 0; i < 8200; i++) {
        write(fa, "x", 1);
        write(fb, "x", 1);
    }
    close(fa);
    close(fb);
    ioctl(ofd, FIONREAD, &bytes);
    printf("FIONREAD=%d\n", bytes);
    char big[65536];
    long events = 0, overflows = 0, last_wd = 0;
    ssize_t n;
    while ((n = read(ofd, big, sizeof big)) > 0) {
        for (char *p = big; p < big + n;) {
            struct inotify_event *e = (struct inotify_event *) p;
            events++;
            if (e->mask & IN_Q_OVERFLOW) { overflows++; last_wd = e->wd; }
            p += sizeof *e + e->len;
        }
    }
    printf("events=%ld overflows=%ld overflow wd=%ld\n", events, overflows, last_wd);
    close(ofd);
    unlink("a");
    unlink("b");

    printf("== readiness and blocking\n");
    int bfd = inotify_init();
    inotify_add_watch(bfd, ".", IN_CREATE);
    struct pollfd pfd = {bfd, POLLIN, 0};
    check("poll(empty)", poll(&pfd, 1, 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    check("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, bfd, &ev));
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        put("fromchild", "");
        _exit(0);
    }
    struct epoll_event got;
    check("epoll_wait", epoll_wait(ep, &got, 1, 5000));
    printf("epoll data=%u in=%d\n", got.data.u32, !!(got.events & EPOLLIN));
    check("poll(ready)", poll(&pfd, 1, 0));
    printf("revents=%d\n", pfd.revents);
    char one[sizeof(struct inotify_event) + 32];
    n = read(bfd, one, sizeof one);
    printf("blocking read=%zd name=%s\n", n, ((struct inotify_event *) one)->name);
    waitpid(child, NULL, 0);
    child = fork();
    if (child == 0) {
        usleep(100000);
        unlink("fromchild");
        put("again", "");
        _exit(0);
    }
    n = read(bfd, one, sizeof one);
    printf("read woken by a child=%zd name=%s\n", n, ((struct inotify_event *) one)->name);
    waitpid(child, NULL, 0);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    check("read interrupted", read(bfd, one, sizeof one));
    unlink("again");
    close(bfd);
    close(ep);
    close(fd);
    chdir("..");
    rmdir("t");
    return 0;
}
