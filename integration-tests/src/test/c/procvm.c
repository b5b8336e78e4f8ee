/* process_vm_readv and process_vm_writev between a parent and its child: iovec rules, partial copies, errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[64] = "parent's copy";
static char other[32] = "second buffer";

static long vmread(pid_t pid, struct iovec *l, unsigned long ln, struct iovec *r, unsigned long rn, unsigned long f) {
    return syscall(SYS_process_vm_readv, pid, l, ln, r, rn, f);
}

static long vmwrite(pid_t pid, struct iovec *l, unsigned long ln, struct iovec *r, unsigned long rn, unsigned long f) {
    return syscall(SYS_process_vm_writev, pid, l, ln, r, rn, f);
}

static void show(const char *label, long n) {
    if (n < 0) {
        printf("%s: %s\n", label, strerror(errno));
    } else {
        printf("%s: %ld\n", label, n);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + 4096, 4096);
    memcpy(two + 4096 - 8, "ABCDEFGH", 8);
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t child = fork();
    if (child == 0) {
        strcpy(buf, "the child's own text");
        strcpy(other, "child second");
        write(done[1], "r", 1);
        char c;
        read(go[0], &c, 1);
        printf("child sees: %s | %s\n", buf, other);
        _exit(0);
    }
    char c;
    read(done[0], &c, 1);

    char a[8] = {0}, b[32] = {0};
    struct iovec local[2] = {{a, 7}, {b, 20}};
    struct iovec remote[3] = {{buf, 4}, {buf + 4, 10}, {other, 13}};
    show("flags 1", vmread(child, local, 2, remote, 3, 1));
    show("liovcnt 1025", vmread(child, local, 1025, remote, 3, 0));
    show("riovcnt 1025", vmread(child, local, 2, remote, 1025, 0));
    show("empty local, no such pid", vmread(999999, local, 0, remote, 3, 0));
    struct iovec zero = {buf, 0};
    show("empty remote, no such pid", vmread(999999, local, 2, &zero, 1, 0));
    show("no such pid", vmread(999999, local, 2, remote, 3, 0));
    show("pid 0", vmread(0, local, 2, remote, 3, 0));
    show("local iovecs NULL", vmread(child, NULL, 2, remote, 3, 0));
    show("remote iovecs NULL", vmread(child, local, 2, NULL, 3, 0));
    struct iovec huge = {buf, (size_t) -1};
    show("remote length over SSIZE_MAX", vmread(child, local, 2, &huge, 1, 0));

    show("read scattered", vmread(child, local, 2, remote, 3, 0));
    printf("  a=[%s] b=[%.20s]\n", a, b);
    struct iovec self = {a, 7};
    struct iovec mine = {buf, 7};
    show("read self", vmread(getpid(), &self, 1, &mine, 1, 0));
    printf("  a=[%s]\n", a);

    /* A remote vector that runs into an unmapped page: the bytes before it. */
    char big[32] = {0};
    struct iovec lbig = {big, 32};
    struct iovec edge = {two + 4096 - 8, 16};
    show("read across unmapped", vmread(child, &lbig, 1, &edge, 1, 0));
    printf("  big=[%s]\n", big);
    struct iovec bad = {two + 4096, 8};
    show("read unmapped", vmread(child, &lbig, 1, &bad, 1, 0));
    struct iovec pair[2] = {{buf, 5}, {two + 4096, 8}};
    show("read then unmapped", vmread(child, &lbig, 1, pair, 2, 0));
    struct iovec lnull = {NULL, 8};
    show("local NULL buffer", vmread(child, &lnull, 1, remote, 1, 0));
    struct iovec lhigh = {(void *) -4096L, 8};
    show("local kernel address", vmread(child, &lhigh, 1, remote, 1, 0));

    /* Writes. */
    char text[] = "WRITTEN";
    struct iovec w = {text, 7};
    struct iovec rw = {buf + 4, 7};
    show("write", vmwrite(child, &w, 1, &rw, 1, 0));
    struct iovec rro = {ro, 4};
    show("write read-only", vmwrite(child, &w, 1, &rro, 1, 0));
    struct iovec ws[2] = {{text, 3}, {text + 3, 4}};
    struct iovec wr[2] = {{other, 2}, {other + 6, 5}};
    show("write gathered", vmwrite(child, ws, 2, wr, 2, 0));
    write(go[1], "g", 1);
    waitpid(child, NULL, 0);

    /* A zombie has no memory; a process of another user may not be read. */
    pid_t z = fork();
    if (z == 0) {
        _exit(0);
    }
    struct timespec ts = {0, 100000000};
    siginfo_t si;
    waitid(P_PID, z, &si, WEXITED | WNOWAIT);
    show("zombie", vmread(z, local, 2, remote, 3, 0));
    waitpid(z, NULL, 0);
    (void) ts;
    pid_t parent = getpid();
    pid_t u = fork();
    if (u == 0) {
        setresgid(1001, 1001, 1001);
        setresuid(1001, 1001, 1001);
        show("unprivileged reads root's", vmread(parent, local, 2, remote, 3, 0));
        show("unprivileged reads itself", vmread(getpid(), local, 2, remote, 1, 0));
        _exit(0);
    }
    waitpid(u, NULL, 0);
    return 0;
}
