/*
 * Sockets: socket()'s errno order for families, types and protocols; ENOTSOCK and EBADF for every
 * call on what is not a socket; AF_UNIX stream, datagram and seqpacket through socketpair, abstract
 * names, path names and autobind; non-blocking connect and accept; shutdown, EOF, ECONNRESET, EPIPE
 * with and without SIGPIPE; MSG_PEEK, MSG_TRUNC, MSG_WAITALL, MSG_DONTWAIT; poll and epoll events at
 * each step; buffer limits; SOL_SOCKET options; SCM_RIGHTS and SCM_CREDENTIALS between two processes;
 * SO_PEERCRED; timeouts and signals; sendmmsg and recvmmsg; /proc's view of sockets; splice and
 * sendfile into a socket that takes part.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <stddef.h>

/* linux/sockios.h, which musl's headers lack. */
#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif
#ifndef FIOSETOWN
#define FIOSETOWN 0x8901
#define SIOCSPGRP 0x8902
#define FIOGETOWN 0x8903
#define SIOCGPGRP 0x8904
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

/* A call that gives a descriptor: shows only whether it worked. */
static int made(const char *what, int fd) {
    printf("%s = %s%s\n", what, fd >= 0 ? "fd" : "-1 ", fd >= 0 ? "" : strerror(errno));
    return fd;
}

static void revents(const char *what, int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0};
    int n = poll(&p, 1, 0);
    printf("%s: poll %d revents 0x%x\n", what, n, p.revents);
}

static void epoll_show(const char *what, int ep) {
    struct epoll_event ev[4];
    int n = epoll_wait(ep, ev, 4, 0);
    printf("%s: epoll %d", what, n);
    for (int i = 0; i < n; i++) {
        printf(" [%lu 0x%x]", (unsigned long) ev[i].data.u64, ev[i].events);
    }
    printf("\n");
}

static socklen_t unaddr(struct sockaddr_un *a, const char *path, int abstract) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (abstract) {
        memcpy(a->sun_path + 1, path, strlen(path));
        return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
    }
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static volatile int sigpipes;
static void on_sigpipe(int sig) {
    (void) sig;
    sigpipes++;
}
static void on_alarm(int sig) {
    (void) sig;
}

static int *volatile bad_pointer = (int *) 8;

static void creation(void) {
    printf("-- socket() errors\n");
    show("flags 0x4000", socket(AF_INET, SOCK_STREAM | 0x4000, 0));
    show("flags before family", socket(9999, SOCK_STREAM | 0x4000, 0));
    show("family 9999", socket(9999, SOCK_STREAM, 0));
    show("family -1", socket(-1, SOCK_STREAM, 0));
    show("family 9999 type 12", socket(9999, 12, 0));
    show("family AF_MAX", socket(46, SOCK_STREAM, 0));
    show("AF_INET type 12", socket(AF_INET, 12, 0));
    show("AF_INET type -1", socket(AF_INET, -1, 0));
    show("AF_INET stream udp", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    show("AF_INET stream sctp", socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
    show("AF_INET stream -1", socket(AF_INET, SOCK_STREAM, -1));
    show("AF_INET stream 263", socket(AF_INET, SOCK_STREAM, 263));
    show("AF_INET seqpacket tcp", socket(AF_INET, SOCK_SEQPACKET, IPPROTO_TCP));
    show("AF_INET rdm", socket(AF_INET, SOCK_RDM, 0));
    show("AF_INET raw 0", socket(AF_INET, SOCK_RAW, 0));
    show("AF_INET dgram icmp", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    show("AF_INET dgram icmpv6", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMPV6));
    show("AF_INET6 dgram icmp", socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMP));
    show("AF_INET6 dgram icmpv6", socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6));
    show("AF_INET6 seqpacket", socket(AF_INET6, SOCK_SEQPACKET, 0));
    show("AF_UNIX stream 2", socket(AF_UNIX, SOCK_STREAM, 2));
    show("AF_UNIX rdm 2", socket(AF_UNIX, SOCK_RDM, 2));
    show("AF_UNIX rdm 0", socket(AF_UNIX, SOCK_RDM, 0));
    show("AF_UNIX dccp", socket(AF_UNIX, SOCK_DCCP, 0));
    int s = made("AF_UNIX stream 1", socket(AF_UNIX, SOCK_STREAM, 1));
    int v = -1;
    socklen_t l = sizeof v;
    show("SO_PROTOCOL of it", getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &l));
    printf("  protocol %d len %d\n", v, l);
    close(s);
    s = made("AF_UNIX raw", socket(AF_UNIX, SOCK_RAW, 0));
    l = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l);
    printf("  raw is type %d\n", v);
    close(s);
    int sv[2] = {-7, -7};
    show("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    printf("  descriptors written first: %d\n", sv[0] >= 0 && sv[1] >= 0);
    show("socketpair AF_INET udp", socketpair(AF_INET, SOCK_STREAM, IPPROTO_UDP, sv));
    show("socketpair bad flags", socketpair(AF_UNIX, SOCK_STREAM | 0x4000, 0, sv));
    show("socketpair bad pointer", socketpair(AF_UNIX, SOCK_STREAM, 0, bad_pointer));
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    printf("  SOCK_NONBLOCK: %d, SOCK_CLOEXEC: %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
            (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    struct stat st;
    fstat(fd, &st);
    char link[64], expect[64];
    ssize_t n = readlink("/proc/self/fd/3", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(expect, sizeof expect, "socket:[%lu]", (unsigned long) st.st_ino);
    printf("  fstat mode 0%o nlink %lu size %ld, /proc/self/fd link matches st_ino: %d\n", st.st_mode,
            (unsigned long) st.st_nlink, (long) st.st_size, fd == 3 && strcmp(link, expect) == 0);
    close(fd);
}

static void notsockets(void) {
    printf("-- not sockets\n");
    int p[2];
    pipe(p);
    struct sockaddr_un a;
    socklen_t al = sizeof a;
    int v;
    socklen_t vl = sizeof v;
    char buf[4];
    struct msghdr m = {0};
    show("getpeername pipe", getpeername(p[0], (struct sockaddr *) &a, &al));
    show("getsockname pipe", getsockname(p[0], (struct sockaddr *) &a, &al));
    show("bind pipe", bind(p[0], (struct sockaddr *) &a, sizeof(sa_family_t)));
    show("connect pipe", connect(p[0], (struct sockaddr *) &a, sizeof(sa_family_t)));
    show("connect pipe bad address", connect(p[0], (struct sockaddr *) &a, 1000));
    show("listen pipe", listen(p[0], 1));
    show("accept pipe", accept(p[0], NULL, NULL));
    show("accept4 pipe bad flags", accept4(p[0], NULL, NULL, 1));
    show("send pipe", send(p[1], "x", 1, 0));
    show("recv pipe", recv(p[0], buf, 1, MSG_DONTWAIT));
    show("sendmsg pipe", sendmsg(p[1], &m, 0));
    show("recvmsg pipe", recvmsg(p[0], &m, 0));
    show("shutdown pipe", shutdown(p[0], SHUT_RD));
    show("setsockopt pipe", setsockopt(p[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    show("getsockopt pipe", getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &vl));
    show("getpeername stdin-like file", getpeername(open("/proc/self/stat", O_RDONLY), (struct sockaddr *) &a, &al));
    show("getpeername closed", getpeername(99, (struct sockaddr *) &a, &al));
    show("sendto bad buffer before fd", sendto(99, (void *) -4096L, 100, 0, NULL, 0));
    show("recv closed", recv(99, buf, 1, 0));
    close(p[0]);
    close(p[1]);
}

static void streampair(void) {
    printf("-- stream socketpair\n");
    int sv[2];
    show("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct sockaddr_un a;
    socklen_t al = sizeof a;
    show("getsockname", getsockname(sv[0], (struct sockaddr *) &a, &al));
    printf("  len %d family %d\n", al, a.sun_family);
    al = sizeof a;
    show("getpeername", getpeername(sv[0], (struct sockaddr *) &a, &al));
    printf("  len %d\n", al);
    al = 1;
    show("getsockname len 1", getsockname(sv[0], (struct sockaddr *) &a, &al));
    printf("  len %d\n", al);
    al = -1;
    show("getsockname len -1", getsockname(sv[0], (struct sockaddr *) &a, &al));
    show("getsockname bad len pointer", getsockname(sv[0], (struct sockaddr *) &a, (socklen_t *) 8));
    revents("fresh a", sv[0]);
    show("write", write(sv[0], "hello", 5));
    revents("after write b", sv[1]);
    int q = -1;
    show("FIONREAD", ioctl(sv[1], FIONREAD, &q));
    printf("  %d\n", q);
    show("SIOCOUTQ a", ioctl(sv[0], SIOCOUTQ, &q));
    printf("  outq positive: %d\n", q > 0);
    char buf[64];
    show("recv peek 3", recv(sv[1], buf, 3, MSG_PEEK));
    show("recv 10", recv(sv[1], buf, 10, 0));
    printf("  \"%.5s\"\n", buf);
    show("recv dontwait", recv(sv[1], buf, 10, MSG_DONTWAIT));
    write(sv[0], "ab", 2);
    write(sv[0], "cd", 2);
    show("two writes one read", read(sv[1], buf, 10));
    show("sendto with address", sendto(sv[0], "x", 1, 0, (struct sockaddr *) &a, sizeof(sa_family_t) + 2));
    show("send MSG_DONTWAIT", send(sv[0], "wxyz", 4, MSG_DONTWAIT));
    show("recv MSG_WAITALL 4", recv(sv[1], buf, 4, MSG_WAITALL));
    show("shutdown 5", shutdown(sv[0], 5));
    show("shutdown a SHUT_WR", shutdown(sv[0], SHUT_WR));
    revents("a after SHUT_WR", sv[0]);
    revents("b after a's SHUT_WR", sv[1]);
    show("read b at EOF", read(sv[1], buf, 10));
    signal(SIGPIPE, on_sigpipe);
    show("write a after SHUT_WR", write(sv[0], "x", 1));
    printf("  SIGPIPE %d\n", sigpipes);
    show("send a MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("  SIGPIPE %d\n", sigpipes);
    show("b writes", write(sv[1], "back", 4));
    close(sv[1]);
    revents("a after b closed", sv[0]);
    show("a reads what b sent", read(sv[0], buf, 10));
    show("a reads EOF", read(sv[0], buf, 10));
    close(sv[0]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "unread", 6);
    close(sv[0]);
    write(sv[1], "lost", 4);
    close(sv[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "unread", 6);
    close(sv[1]);
    revents("peer closed with data unread", sv[0]);
    show("read after reset", read(sv[0], buf, 10));
    show("read again", read(sv[0], buf, 10));
    close(sv[0]);

    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    static char page[4096];
    long total = 0;
    for (;;) {
        ssize_t n = write(sv[0], page, sizeof page);
        if (n < 0) {
            break;
        }
        total += n;
    }
    printf("non-blocking stream took %ld bytes of 4 KiB writes, then %s\n", total, strerror(errno));
    revents("full a", sv[0]);
    int rounds = 0;
    while (read(sv[1], page, sizeof page) > 0) {
        rounds++;
    }
    printf("  read back in %d reads\n", rounds);
    revents("drained a", sv[0]);
    close(sv[0]);
    close(sv[1]);
}

static void datagrams(void) {
    printf("-- datagram and seqpacket pairs\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    revents("fresh dgram", sv[0]);
    show("send 3", send(sv[0], "abc", 3, 0));
    show("send 0", send(sv[0], "", 0, 0));
    int q = -1;
    ioctl(sv[1], FIONREAD, &q);
    printf("  FIONREAD %d\n", q);
    char buf[16];
    memset(buf, 0, sizeof buf);
    show("recv 2 peek", recv(sv[1], buf, 2, MSG_PEEK));
    show("recv 2 trunc", recv(sv[1], buf, 2, MSG_TRUNC));
    printf("  \"%.2s\"\n", buf);
    struct iovec iov = {buf, 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    send(sv[0], "xyz", 3, 0);
    show("recvmsg 1 of 3", recvmsg(sv[1], &m, 0));
    printf("  msg_flags 0x%x\n", m.msg_flags);
    show("recvmsg empty datagram", recvmsg(sv[1], &m, 0));
    printf("  msg_flags 0x%x\n", m.msg_flags);
    show("recv dontwait", recv(sv[1], buf, 2, MSG_DONTWAIT));
    int v = 1;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    socklen_t vl = sizeof v;
    getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &vl);
    printf("  SO_SNDBUF 1 reads %d\n", v);
    static char big[8192];
    show("send over sndbuf", send(sv[0], big, sizeof big, 0));
    close(sv[0]);
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv);
    int n = 0;
    while (send(sv[0], "x", 1, 0) == 1) {
        n++;
    }
    printf("non-blocking dgram pair took %d one-byte datagrams, then %s\n", n, strerror(errno));
    revents("full dgram", sv[0]);
    close(sv[0]);
    revents("dgram peer closed", sv[1]);
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    send(sv[0], "first", 5, 0);
    send(sv[0], "second", 6, 0);
    show("seqpacket recv 3 trunc", recv(sv[1], buf, 3, MSG_TRUNC));
    show("seqpacket recv", recv(sv[1], buf, 16, 0));
    show("seqpacket shutdown", shutdown(sv[0], SHUT_WR));
    show("seqpacket recv at EOF", recv(sv[1], buf, 16, 0));
    show("seqpacket recv at EOF dontwait", recv(sv[1], buf, 16, MSG_DONTWAIT));
    signal(SIGPIPE, on_sigpipe);
    sigpipes = 0;
    show("seqpacket send after shutdown", send(sv[0], "x", 1, 0));
    close(sv[0]);
    show("seqpacket send to closed", send(sv[1], "x", 1, 0));
    printf("  SIGPIPE %d\n", sigpipes);
    revents("seqpacket peer closed", sv[1]);
    close(sv[1]);
}

static void names(void) {
    printf("-- names\n");
    struct sockaddr_un a, b;
    socklen_t al;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    show("bind len 1", bind(s, (struct sockaddr *) &a, 1));
    show("bind len 111", bind(s, (struct sockaddr *) &a, 111));
    show("bind bad pointer", bind(s, (struct sockaddr *) 8, 20));
    a.sun_family = AF_INET;
    show("bind AF_INET family", bind(s, (struct sockaddr *) &a, 10));
    show("listen unbound", listen(s, 1));
    show("accept unbound", accept(s, NULL, NULL));
    al = unaddr(&a, "jlx-abstract", 1);
    show("bind abstract", bind(s, (struct sockaddr *) &a, al));
    show("bind again", bind(s, (struct sockaddr *) &a, al));
    show("autobind bound", bind(s, (struct sockaddr *) &a, sizeof(sa_family_t)));
    al = sizeof b;
    getsockname(s, (struct sockaddr *) &b, &al);
    printf("  getsockname len %d, same name %d\n", al, memcmp(&a, &b, al) == 0);
    int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    al = unaddr(&a, "jlx-abstract", 1);
    show("bind taken abstract", bind(s2, (struct sockaddr *) &a, al));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("dgram binds the same abstract name", bind(d, (struct sockaddr *) &a, al));
    show("connect dgram to stream's name", connect(s2, (struct sockaddr *) &a, al + 1));
    show("connect not listening", connect(s2, (struct sockaddr *) &a, al));
    show("listen", listen(s, 1));
    revents("listener", s);
    show("listen dgram", listen(d, 1));
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    show("connect 1", connect(c1, (struct sockaddr *) &a, al));
    revents("listener with a connection", s);
    revents("client", c1);
    show("connect again", connect(c1, (struct sockaddr *) &a, al));
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    show("connect 2 (backlog 1 takes 1 more)", connect(c2, (struct sockaddr *) &a, al));
    int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    show("connect 3 to a full backlog", connect(c3, (struct sockaddr *) &a, al));
    write(c1, "early", 5);
    struct sockaddr_un peer;
    socklen_t pl = sizeof peer;
    int conn = accept4(s, (struct sockaddr *) &peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    made("accept4", conn);
    printf("  peer len %d, nonblock %d, cloexec %d\n", pl, (fcntl(conn, F_GETFL) & O_NONBLOCK) != 0,
            (fcntl(conn, F_GETFD) & FD_CLOEXEC) != 0);
    al = sizeof b;
    getsockname(conn, (struct sockaddr *) &b, &al);
    printf("  accepted socket's name len %d is the listener's %d\n", al, memcmp(&a, &b, al) == 0);
    char buf[16];
    show("read early data", read(conn, buf, sizeof buf));
    show("accept4 bad flags", accept4(s2, NULL, NULL, 3));
    int conn2 = accept(s, NULL, NULL);
    made("accept second", conn2);
    fcntl(s, F_SETFL, O_NONBLOCK);
    show("accept empty non-blocking", accept(s, NULL, NULL));
    show("read listener", read(s, buf, 1));
    int inq = 0;
    show("SIOCINQ listener", ioctl(s, SIOCINQ, &inq));
    int v;
    socklen_t vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("  SO_ACCEPTCONN listener %d\n", v);
    getsockopt(conn, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("  SO_ACCEPTCONN accepted %d\n", v);
    struct ucred cr;
    socklen_t cl = sizeof cr;
    getsockopt(c1, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
    printf("  SO_PEERCRED of client: pid is ours %d uid %d gid %d len %d\n", cr.pid == getpid(), cr.uid, cr.gid, cl);
    getsockopt(d, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
    printf("  SO_PEERCRED unconnected dgram: pid %d uid %d gid %d\n", cr.pid, cr.uid, cr.gid);
    close(c3);
    int c4 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(c4, (struct sockaddr *) &a, al);
    close(s);
    revents("connection never accepted, listener closed", c4);
    show("read it", read(c4, buf, 1));
    show("read it again", read(c4, buf, 1));
    close(c1);
    close(c2);
    close(c4);
    close(conn);
    close(conn2);
    close(s2);
    close(d);

    /* Path names. */
    unlink("jlx-sock");
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    al = unaddr(&a, "jlx-sock", 0);
    show("bind path", bind(s, (struct sockaddr *) &a, sizeof a));
    al = sizeof b;
    getsockname(s, (struct sockaddr *) &b, &al);
    printf("  getsockname len %d path %s\n", al, b.sun_path);
    struct stat st;
    stat("jlx-sock", &st);
    printf("  node is a socket %d, mode 0%o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
    show("open the node", open("jlx-sock", O_RDONLY));
    s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    show("bind existing path", bind(s2, (struct sockaddr *) &a, al));
    show("connect before listen", connect(s2, (struct sockaddr *) &a, al));
    listen(s, 5);
    d = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("connect dgram to stream path", connect(d, (struct sockaddr *) &a, al));
    show("connect stream", connect(s2, (struct sockaddr *) &a, al));
    conn = accept(s, (struct sockaddr *) &peer, &pl);
    printf("  unbound peer len %d\n", pl);
    al = unaddr(&b, "jlx-nothing", 0);
    show("connect missing path", connect(d, (struct sockaddr *) &b, al));
    close(open("jlx-file", O_CREAT | O_WRONLY, 0600));
    al = unaddr(&b, "jlx-file", 0);
    show("connect regular file", connect(d, (struct sockaddr *) &b, al));
    show("bind over regular file", bind(d, (struct sockaddr *) &b, al));
    unlink("jlx-file");
    show("mknod socket", mknod("jlx-node", S_IFSOCK | 0600, 0));
    al = unaddr(&b, "jlx-node", 0);
    show("connect mknod'ed socket", connect(d, (struct sockaddr *) &b, al));
    unlink("jlx-node");
    al = unaddr(&b, "jlx-missing-dir/x", 0);
    show("bind in missing directory", bind(d, (struct sockaddr *) &b, al));
    al = unaddr(&b, "jlx-slash/", 0);
    show("bind with trailing slash", bind(d, (struct sockaddr *) &b, al));
    show("bind autobind", bind(d, (struct sockaddr *) &b, sizeof(sa_family_t)));
    al = sizeof b;
    getsockname(d, (struct sockaddr *) &b, &al);
    int hex = al == 8 && b.sun_path[0] == 0;
    for (int i = 1; i < 6 && hex; i++) {
        hex = strchr("0123456789abcdef", b.sun_path[i]) != NULL;
    }
    printf("  autobind len %d, NUL and five hex digits %d\n", al, hex);
    close(s);
    show("connect after the listener closed", connect(d, (struct sockaddr *) &a, sizeof(sa_family_t) + 9));
    unlink("jlx-sock");
    close(s2);
    close(conn);
    close(d);

    /* Datagrams by path and connected datagram sockets. */
    int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
    unlink("jlx-dgram");
    al = unaddr(&a, "jlx-dgram", 0);
    bind(srv, (struct sockaddr *) &a, al);
    int cli = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    show("sendto path", sendto(cli, "one", 3, 0, (struct sockaddr *) &a, al));
    show("send unconnected", send(cli, "x", 1, 0));
    pl = sizeof peer;
    show("recvfrom unbound sender", recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *) &peer, &pl));
    printf("  from len %d\n", pl);
    bind(cli, (struct sockaddr *) &b, sizeof(sa_family_t));
    sendto(cli, "two", 3, 0, (struct sockaddr *) &a, al);
    pl = sizeof peer;
    recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *) &peer, &pl);
    printf("  autobound sender len %d\n", pl);
    show("connect dgram", connect(cli, (struct sockaddr *) &a, al));
    int n = 0;
    while (send(cli, "q", 1, 0) == 1) {
        n++;
    }
    printf("  a receiver not connected back takes %d, then %s\n", n, strerror(errno));
    revents("sender to a full receiver", cli);
    int third = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("connect dgram server to client", connect(srv, (struct sockaddr *) &peer, pl));
    show("third party sends to the server", sendto(third, "x", 1, 0, (struct sockaddr *) &a, al));
    struct sockaddr unspec = {AF_UNSPEC};
    show("connect AF_UNSPEC", connect(cli, &unspec, sizeof unspec));
    show("send after dissolving", send(cli, "x", 1, 0));
    close(third);
    close(srv);
    unlink("jlx-dgram");
    close(cli);
}

static void options(void) {
    printf("-- options\n");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int v = 1;
    socklen_t vl = sizeof v;
    show("setsockopt optlen 2", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2));
    show("setsockopt optlen -1", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, -1));
    show("setsockopt bad pointer", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (void *) 8, 4));
    show("setsockopt unknown", setsockopt(s, SOL_SOCKET, 999, &v, sizeof v));
    show("setsockopt SO_TYPE", setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof v));
    show("setsockopt TCP_NODELAY", setsockopt(s, IPPROTO_TCP, 1, &v, sizeof v));
    show("setsockopt level 99", setsockopt(s, 99, 1, &v, sizeof v));
    show("getsockopt TCP level", getsockopt(s, IPPROTO_TCP, 1, &v, &vl));
    show("getsockopt TCP level bad len", getsockopt(s, IPPROTO_TCP, 1, &v, (socklen_t *) 8));
    show("getsockopt unknown", getsockopt(s, SOL_SOCKET, 999, &v, &vl));
    vl = -1;
    show("getsockopt len -1", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl));
    show("getsockopt bad len pointer", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, (socklen_t *) 8));
    int names[] = {SO_DEBUG, SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_DONTROUTE, SO_OOBINLINE, SO_PASSCRED,
        SO_REUSEPORT, SO_PRIORITY, SO_RCVLOWAT, SO_SNDLOWAT, SO_SNDBUF, SO_RCVBUF, SO_ERROR, SO_TYPE, SO_DOMAIN};
    const char *labels[] = {"SO_DEBUG", "SO_REUSEADDR", "SO_KEEPALIVE", "SO_BROADCAST", "SO_DONTROUTE",
        "SO_OOBINLINE", "SO_PASSCRED", "SO_REUSEPORT", "SO_PRIORITY", "SO_RCVLOWAT", "SO_SNDLOWAT", "SO_SNDBUF",
        "SO_RCVBUF", "SO_ERROR", "SO_TYPE", "SO_DOMAIN"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        v = 3;
        int r = setsockopt(s, SOL_SOCKET, names[i], &v, sizeof v);
        int e = errno;
        v = -9;
        vl = sizeof v;
        int g = getsockopt(s, SOL_SOCKET, names[i], &v, &vl);
        printf("  %s: set %d%s%s, get %d value %d len %d\n", labels[i], r, r < 0 ? " " : "", r < 0 ? strerror(e) : "",
                g, v, vl);
    }
    v = 5000;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &vl);
    printf("  SO_SNDBUF 5000 reads %d\n", v);
    v = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v);
    getsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, &vl);
    printf("  SO_RCVLOWAT 0 reads %d\n", v);
    short small = 0;
    vl = sizeof small;
    show("getsockopt SO_SNDBUF into 2 bytes", getsockopt(s, SOL_SOCKET, SO_SNDBUF, &small, &vl));
    printf("  len %d\n", vl);
    struct linger lg = {1, 7};
    show("SO_LINGER", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    show("SO_LINGER short", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, 4));
    memset(&lg, 0, sizeof lg);
    vl = sizeof lg;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &vl);
    printf("  linger %d %d len %d\n", lg.l_onoff, lg.l_linger, vl);
    struct timeval tv = {1, 1001};
    show("SO_RCVTIMEO", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    vl = sizeof tv;
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &vl);
    printf("  reads %ld.%06ld len %d\n", (long) tv.tv_sec, (long) tv.tv_usec, vl);
    tv.tv_usec = 1000000;
    show("SO_RCVTIMEO usec 1000000", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    show("SO_RCVTIMEO short", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, 8));
    char dev[16] = "";
    vl = sizeof dev;
    show("SO_BINDTODEVICE", getsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, dev, &vl));
    printf("  len %d\n", vl);
    struct sockaddr_un pn;
    vl = sizeof pn;
    show("SO_PEERNAME unconnected", getsockopt(s, SOL_SOCKET, SO_PEERNAME, &pn, &vl));
    vl = sizeof(int);
    show("SO_PEERSEC", getsockopt(s, SOL_SOCKET, SO_PEERSEC, &v, &vl));
    vl = sizeof(int);
    show("SO_COOKIE into 4 bytes", getsockopt(s, SOL_SOCKET, SO_COOKIE, &v, &vl));
    int owner = getpid();
    show("FIOSETOWN", ioctl(s, FIOSETOWN, &owner));
    owner = 0;
    show("FIOGETOWN", ioctl(s, FIOGETOWN, &owner));
    printf("  owner is us %d, F_GETOWN agrees %d\n", owner == getpid(), fcntl(s, F_GETOWN) == getpid());
    owner = -getpgrp();
    show("SIOCSPGRP, our group", ioctl(s, SIOCSPGRP, &owner));
    owner = 0;
    show("SIOCGPGRP", ioctl(s, SIOCGPGRP, &owner));
    printf("  owner is our group %d\n", owner == -getpgrp());
    show("FIOGETOWN bad pointer", ioctl(s, FIOGETOWN, (int *) 8));
    show("FIOSETOWN bad pointer", ioctl(s, FIOSETOWN, (int *) 8));
    owner = 99999999;
    show("FIOSETOWN no such process", ioctl(s, FIOSETOWN, &owner));
    int pp[2];
    pipe(pp);
    show("FIOSETOWN on a pipe", ioctl(pp[0], FIOSETOWN, &owner));
    close(pp[0]);
    close(pp[1]);
    close(s);
}

/* What a child reports, printed at its end: its lines do not interleave with its parent's. */
static char child_log[4096];

static void child_show(const char *what, long r) {
    size_t n = strlen(child_log);
    snprintf(child_log + n, sizeof child_log - n, "%s = %ld%s%s\n", what, r, r < 0 ? " " : "",
            r < 0 ? strerror(errno) : "");
}

static void rights(void) {
    printf("-- SCM_RIGHTS and SCM_CREDENTIALS across fork\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
    int on = 1;
    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    int pipefd[2];
    pipe(pipefd);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        char data = 'r';
        struct iovec iov = {&data, 1};
        union {
            char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(2 * sizeof(int))];
            struct cmsghdr align;
        } u;
        memset(&u, 0, sizeof u);
        struct msghdr m = {0};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = u.buf;
        m.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(2 * sizeof(int));
        int fds[2] = {pipefd[1], pipefd[0]};
        memcpy(CMSG_DATA(c), fds, sizeof fds);
        c = CMSG_NXTHDR(&m, c);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_CREDENTIALS;
        c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
        struct ucred cr = {getpid(), getuid(), getgid()};
        memcpy(CMSG_DATA(c), &cr, sizeof cr);
        child_show("child sendmsg", sendmsg(sv[1], &m, 0));
        /* Errors of control messages. */
        c = CMSG_FIRSTHDR(&m);
        c->cmsg_len = sizeof u.buf + 8;
        child_show("child sendmsg cmsg_len too long", sendmsg(sv[1], &m, 0));
        c->cmsg_len = CMSG_LEN(sizeof(int));
        int bad = 99;
        memcpy(CMSG_DATA(c), &bad, sizeof bad);
        m.msg_controllen = CMSG_SPACE(sizeof(int));
        child_show("child sendmsg bad descriptor", sendmsg(sv[1], &m, 0));
        c->cmsg_type = 77;
        child_show("child sendmsg unknown type", sendmsg(sv[1], &m, 0));
        c->cmsg_level = 99;
        child_show("child sendmsg other level skipped", sendmsg(sv[1], &m, 0));
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_CREDENTIALS;
        c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
        cr.pid = 1 << 22;
        memcpy(CMSG_DATA(c), &cr, sizeof cr);
        m.msg_controllen = CMSG_SPACE(sizeof cr);
        child_show("child sendmsg credentials of no process", sendmsg(sv[1], &m, 0));
        cr.pid = getpid();
        cr.uid = -1;
        memcpy(CMSG_DATA(c), &cr, sizeof cr);
        child_show("child sendmsg invalid uid", sendmsg(sv[1], &m, 0));
        m.msg_controllen = 1u << 20;
        child_show("child sendmsg control past optmem_max", sendmsg(sv[1], &m, 0));
        /* Three descriptors, for a receiver with room for one. */
        m.msg_controllen = sizeof u.buf;
        c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(3 * sizeof(int));
        int three[3] = {0, 1, 2};
        memcpy(CMSG_DATA(c), three, sizeof three);
        m.msg_controllen = CMSG_SPACE(3 * sizeof(int));
        data = 't';
        child_show("child sendmsg three", sendmsg(sv[1], &m, 0));
        fputs(child_log, stdout);
        _exit(0);
    }
    close(sv[1]);
    close(pipefd[1]);
    char data[4];
    struct iovec iov = {data, sizeof data};
    union {
        char buf[256];
        struct cmsghdr align;
    } u;
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = u.buf;
    m.msg_controllen = sizeof u.buf;
    long r = recvmsg(sv[0], &m, MSG_CMSG_CLOEXEC);
    int e = errno;
    waitpid(child, NULL, 0);
    errno = e;
    show("recvmsg MSG_CMSG_CLOEXEC", r);
    printf("  msg_flags 0x%x controllen %lu\n", m.msg_flags, (unsigned long) m.msg_controllen);
    int got[2] = {-1, -1};
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
        printf("  cmsg level %d type %d len %lu\n", c->cmsg_level, c->cmsg_type, (unsigned long) c->cmsg_len);
        if (c->cmsg_type == SCM_CREDENTIALS) {
            struct ucred cr;
            memcpy(&cr, CMSG_DATA(c), sizeof cr);
            printf("  credentials: pid is the child %d uid %d gid %d\n", cr.pid == child, cr.uid, cr.gid);
        } else if (c->cmsg_type == SCM_RIGHTS) {
            memcpy(got, CMSG_DATA(c), sizeof got);
        }
    }
    printf("  passed descriptors are new %d, close-on-exec %d\n", got[0] > 2 && got[1] > 2 && got[0] != got[1],
            (fcntl(got[0], F_GETFD) & FD_CLOEXEC) != 0);
    write(got[0], "through", 7);
    char buf[16];
    show("read through the passed pipe", read(got[1], buf, sizeof buf));
    close(got[0]);
    close(got[1]);
    show("recv the skipped-level message", recv(sv[0], data, 1, 0));
    m.msg_controllen = CMSG_SPACE(sizeof(struct ucred)) + CMSG_LEN(sizeof(int));
    show("recvmsg three with room for one", recvmsg(sv[0], &m, 0));
    printf("  msg_flags 0x%x controllen %lu\n", m.msg_flags, (unsigned long) m.msg_controllen);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
        printf("  cmsg level %d type %d len %lu\n", c->cmsg_level, c->cmsg_type, (unsigned long) c->cmsg_len);
        if (c->cmsg_type == SCM_RIGHTS) {
            int fd;
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
            close(fd);
        }
    }
    struct ucred cr;
    socklen_t cl = sizeof cr;
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &cl);
    printf("  SO_PEERCRED of a pair: the creator's pid %d\n", cr.pid == getpid());
    show("recv at EOF", recv(sv[0], data, 1, 0));
    m.msg_control = NULL;
    m.msg_controllen = 0;
    show("recvmsg at EOF without control", recvmsg(sv[0], &m, 0));
    printf("  msg_flags 0x%x\n", m.msg_flags);
    close(sv[0]);
    close(pipefd[0]);
}

static void waiting(void) {
    printf("-- blocking, timeouts and signals\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval tv = {0, 100000};
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[8];
    show("recv with 0.1 s timeout", recv(sv[0], buf, sizeof buf, 0));
    tv.tv_sec = -1;
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    show("recv with negative timeout", recv(sv[0], buf, sizeof buf, 0));
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    show("recv with timeout, SA_RESTART, interrupted", recv(sv[0], buf, sizeof buf, 0));
    tv.tv_sec = 0;
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    pid_t child = fork();
    if (child == 0) {
        struct timespec ts = {0, 300000000};
        nanosleep(&ts, NULL);
        write(sv[1], "late", 4);
        _exit(0);
    }
    setitimer(ITIMER_REAL, &it, NULL);
    show("recv without timeout, SA_RESTART, restarted", recv(sv[0], buf, sizeof buf, 0));
    waitpid(child, NULL, 0);
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    show("recv without SA_RESTART, interrupted", recv(sv[0], buf, sizeof buf, 0));
    child = fork();
    if (child == 0) {
        struct timespec ts = {0, 200000000};
        nanosleep(&ts, NULL);
        write(sv[1], "abcd", 4);
        nanosleep(&ts, NULL);
        write(sv[1], "efgh", 4);
        _exit(0);
    }
    show("recv MSG_WAITALL over two writes", recv(sv[0], buf, 8, MSG_WAITALL));
    waitpid(child, NULL, 0);
    close(sv[0]);
    close(sv[1]);
}

static void edges(void) {
    printf("-- epoll\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, {.u64 = 0}};
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
    ev.data.u64 = 1;
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
    epoll_show("registered", ep);
    epoll_show("again", ep);
    write(sv[0], "a", 1);
    epoll_show("a wrote", ep);
    epoll_show("again", ep);
    write(sv[0], "b", 1);
    epoll_show("a wrote more", ep);
    char buf[4];
    read(sv[1], buf, sizeof buf);
    epoll_show("b read", ep);
    shutdown(sv[0], SHUT_WR);
    epoll_show("a shut down writing", ep);
    close(sv[0]);
    epoll_show("a closed", ep);
    close(sv[1]);
    close(ep);

    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_un a;
    socklen_t al = unaddr(&a, "jlx-epoll", 1);
    bind(s, (struct sockaddr *) &a, al);
    listen(s, 4);
    ep = epoll_create1(0);
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 7;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    epoll_show("listener", ep);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *) &a, al);
    epoll_show("a connection came", ep);
    epoll_show("again", ep);
    int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c2, (struct sockaddr *) &a, al);
    epoll_show("another came", ep);
    close(accept(s, NULL, NULL));
    close(accept(s, NULL, NULL));
    close(c);
    close(c2);
    close(s);
    close(ep);
}

static void batches(void) {
    printf("-- sendmmsg and recvmmsg\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct mmsghdr msgs[3];
    struct iovec iov[3];
    char *texts[] = {"one", "three", "fives"};
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < 3; i++) {
        iov[i].iov_base = texts[i];
        iov[i].iov_len = strlen(texts[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    show("sendmmsg", sendmmsg(sv[0], msgs, 3, 0));
    printf("  lens %u %u %u\n", msgs[0].msg_len, msgs[1].msg_len, msgs[2].msg_len);
    char bufs[3][8];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < 3; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = 4;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    show("recvmmsg MSG_WAITFORONE", recvmmsg(sv[1], msgs, 3, MSG_WAITFORONE, NULL));
    printf("  lens %u %u %u flags 0x%x 0x%x 0x%x\n", msgs[0].msg_len, msgs[1].msg_len, msgs[2].msg_len,
            msgs[0].msg_hdr.msg_flags, msgs[1].msg_hdr.msg_flags, msgs[2].msg_hdr.msg_flags);
    show("recvmmsg empty non-blocking", recvmmsg(sv[1], msgs, 3, MSG_DONTWAIT, NULL));
    /* musl's wrappers touch the vector themselves: the bad one goes to the kernel directly. */
    show("sendmmsg bad vector", syscall(SYS_sendmmsg, sv[0], 8L, 3, 0));
    show("recvmsg MSG_CMSG_COMPAT", recvmsg(sv[1], &msgs[0].msg_hdr, 0x80000000));
    struct msghdr m = {0};
    m.msg_iovlen = 1025;
    show("sendmsg 1025 iovecs", sendmsg(sv[0], &m, 0));
    close(sv[0]);
    close(sv[1]);
}

static void procnet(void) {
    printf("-- /proc/net/unix\n");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    socklen_t al = unaddr(&a, "jlx-proc-net", 1);
    bind(s, (struct sockaddr *) &a, al);
    listen(s, 1);
    struct stat st;
    fstat(s, &st);
    FILE *f = fopen("/proc/net/unix", "r");
    char line[512];
    int found = 0;
    fgets(line, sizeof line, f);
    printf("  %s", line);
    while (fgets(line, sizeof line, f)) {
        char path[256] = "";
        unsigned long ino = 0;
        unsigned flags, type, state;
        if (sscanf(line, "%*s %*s %*s %x %x %x %lu %255s", &flags, &type, &state, &ino, path) >= 4
                && ino == st.st_ino) {
            printf("  flags %x type %x state %x path %s\n", flags, type, state, path);
            found = 1;
        }
    }
    fclose(f);
    printf("  listener found by inode %d\n", found);
    close(s);
}

/*
 * splice from a pipe and sendfile from a file into a non-blocking socket with little room: the pipe
 * keeps, and the file offset leaves unread, what the socket did not take.
 */
static void splicing(void) {
    printf("-- splice from a pipe into a socket\n");
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    int small = 4096;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    pipe(p);
    static char block[65536];
    memset(block, 'x', sizeof block);
    long filled = 0, n;
    while ((n = write(sv[0], block, 4096)) > 0) {
        filled += n;
    }
    printf("  socket filled: %d\n", filled > 0);
    show("pipe write", write(p[1], block, sizeof block));
    show("splice into the full socket", splice(p[0], NULL, sv[0], NULL, sizeof block, SPLICE_F_NONBLOCK));
    int held = -1;
    ioctl(p[0], FIONREAD, &held);
    printf("  pipe holds %d\n", held);
    for (long got = 0; got < filled;) {
        got += read(sv[1], block, sizeof block);
    }
    n = splice(p[0], NULL, sv[0], NULL, sizeof block, SPLICE_F_NONBLOCK);
    ioctl(p[0], FIONREAD, &held);
    printf("  splice into the emptied socket: some %d, the pipe holds the rest %d\n", n > 0,
           n + held == (long) sizeof block);
    int f = open("sendfile.tmp", O_CREAT | O_TRUNC | O_RDWR, 0600);
    write(f, block, sizeof block);
    lseek(f, 0, SEEK_SET);
    filled = 0;
    while ((n = write(sv[0], block, 4096)) > 0) {
        filled += n;
    }
    show("sendfile into the full socket", sendfile(sv[0], f, NULL, sizeof block));
    printf("  file offset %ld\n", (long) lseek(f, 0, SEEK_CUR));
    for (long got = 0; got < filled + 65536 - held;) {
        got += read(sv[1], block, sizeof block);
    }
    n = sendfile(sv[0], f, NULL, sizeof block);
    printf("  sendfile into the emptied socket: some %d, the offset after it %d\n", n > 0,
           lseek(f, 0, SEEK_CUR) == n);
    close(f);
    unlink("sendfile.tmp");
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
    close(p[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    creation();
    notsockets();
    streampair();
    datagrams();
    names();
    options();
    rights();
    waiting();
    edges();
    batches();
    procnet();
    splicing();
    return 0;
}
