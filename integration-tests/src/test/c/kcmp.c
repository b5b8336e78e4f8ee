/* kcmp(2): each type between a process, its thread, its child and an unrelated user; prints only whether equal. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM, KCMP_EPOLL_TFD, KCMP_TYPES };
struct slot {
    uint32_t efd, tfd, toff;
};

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2) {
    return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, strerror(errno));
    } else {
        printf("%s: %s\n", label, r == 0 ? "same" : r == 1 || r == 2 ? "different" : "bad answer");
    }
}

static pid_t thread_tid;
static int thread_go[2], thread_done[2];

static void *thread_main(void *arg) {
    (void) arg;
    thread_tid = syscall(SYS_gettid);
    write(thread_done[1], "t", 1);
    char c;
    read(thread_go[0], &c, 1);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();
    int fds[2];
    pipe(fds);
    int f = fds[0];
    int g = dup(f);
    int h = fds[1];
    show("file dup", kcmp(me, me, KCMP_FILE, f, g));
    show("file other open", kcmp(me, me, KCMP_FILE, f, h));
    long r1 = kcmp(me, me, KCMP_FILE, f, h), r2 = kcmp(me, me, KCMP_FILE, h, f);
    printf("order consistent: %d\n", r1 + r2 == 3);
    show("file closed", kcmp(me, me, KCMP_FILE, f, 77));
    show("file huge index", kcmp(me, me, KCMP_FILE, 1UL << 40, f));
    show("bad type", kcmp(me, me, KCMP_TYPES, 0, 0));
    show("no such pid", kcmp(me, 999999, KCMP_VM, 0, 0));
    show("pid 0", kcmp(0, me, KCMP_VM, 0, 0));
    show("no such pid, bad type", kcmp(999999, me, 99, 0, 0));

    pipe(thread_go);
    pipe(thread_done);
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    char c;
    read(thread_done[0], &c, 1);
    show("thread vm", kcmp(me, thread_tid, KCMP_VM, 0, 0));
    show("thread files", kcmp(me, thread_tid, KCMP_FILES, 0, 0));
    show("thread fs", kcmp(me, thread_tid, KCMP_FS, 0, 0));
    show("thread sighand", kcmp(me, thread_tid, KCMP_SIGHAND, 0, 0));
    show("thread io", kcmp(me, thread_tid, KCMP_IO, 0, 0));
    show("thread sysvsem", kcmp(me, thread_tid, KCMP_SYSVSEM, 0, 0));
    show("thread file", kcmp(me, thread_tid, KCMP_FILE, f, f));
    write(thread_go[1], "g", 1);
    pthread_join(th, NULL);

    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, g, &ev);
    struct slot s = {ep, g, 0};
    show("epoll target", kcmp(me, me, KCMP_EPOLL_TFD, f, (unsigned long) &s));
    show("epoll other file", kcmp(me, me, KCMP_EPOLL_TFD, h, (unsigned long) &s));
    s.toff = 1;
    show("epoll offset 1", kcmp(me, me, KCMP_EPOLL_TFD, f, (unsigned long) &s));
    s.toff = 0;
    s.tfd = h;
    show("epoll unwatched", kcmp(me, me, KCMP_EPOLL_TFD, f, (unsigned long) &s));
    s.efd = f;
    show("epoll not epoll", kcmp(me, me, KCMP_EPOLL_TFD, f, (unsigned long) &s));
    s.efd = 88;
    show("epoll bad efd", kcmp(me, me, KCMP_EPOLL_TFD, f, (unsigned long) &s));
    show("epoll slot NULL", kcmp(me, me, KCMP_EPOLL_TFD, f, 0));
    s.efd = ep;
    s.tfd = g;
    show("epoll bad idx1", kcmp(me, me, KCMP_EPOLL_TFD, 66, (unsigned long) &s));

    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t child = fork();
    if (child == 0) {
        write(done[1], "c", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    read(done[0], &c, 1);
    show("child vm", kcmp(me, child, KCMP_VM, 0, 0));
    show("child files", kcmp(me, child, KCMP_FILES, 0, 0));
    show("child fs", kcmp(me, child, KCMP_FS, 0, 0));
    show("child sighand", kcmp(me, child, KCMP_SIGHAND, 0, 0));
    show("child io", kcmp(me, child, KCMP_IO, 0, 0));
    show("child sysvsem", kcmp(me, child, KCMP_SYSVSEM, 0, 0));
    show("child inherited file", kcmp(me, child, KCMP_FILE, f, f));
    show("child other file", kcmp(me, child, KCMP_FILE, f, h));
    write(go[1], "g", 1);
    waitpid(child, NULL, 0);

    /* An I/O priority gives the task an I/O context; a SEM_UNDO semop an undo list. */
    syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 4);
    show("io after ioprio_set", kcmp(me, me, KCMP_IO, 0, 0));
    int sem = semget(IPC_PRIVATE, 1, 0600);
    struct sembuf op = {0, 1, SEM_UNDO};
    semop(sem, &op, 1);
    child = fork();
    if (child == 0) {
        write(done[1], "c", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    read(done[0], &c, 1);
    show("child io after ioprio_set", kcmp(me, child, KCMP_IO, 0, 0));
    show("child sysvsem after SEM_UNDO", kcmp(me, child, KCMP_SYSVSEM, 0, 0));
    write(go[1], "g", 1);
    waitpid(child, NULL, 0);
    semctl(sem, 0, IPC_RMID);

    pid_t u = fork();
    if (u == 0) {
        setresgid(1001, 1001, 1001);
        setresuid(1001, 1001, 1001);
        show("unprivileged on root's", kcmp(getpid(), getppid(), KCMP_VM, 0, 0));
        show("unprivileged on itself", kcmp(getpid(), getpid(), KCMP_VM, 0, 0));
        _exit(0);
    }
    waitpid(u, NULL, 0);
    return 0;
}
