/*
 * More IPv4 and IPv6 socket behaviour on loopback: the program's own lines in /proc/net/tcp, tcp6,
 * udp and udp6 (found by the inode /proc/self/fd shows), control messages of recvmsg (IP_PKTINFO,
 * IP_TTL, IP_TOS, IPV6_PKTINFO, IPV6_HOPLIMIT, IPV6_TCLASS, timestamps, IP_RECVERR's error queue,
 * and their truncation; the IP options and original destination of IP_RECVOPTS, IP_RETOPTS and
 * IP_RECVORIGDSTADDR), the order of connect's checks, and accept of a connection the client
 * reset. Ports and times are the kernel's: only their relations are printed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_RECVORIGDSTADDR
#define IP_RECVORIGDSTADDR 20
#endif
#ifndef IP_ORIGDSTADDR
#define IP_ORIGDSTADDR 20
#endif

/* linux/errqueue.h's, which musl's headers do not carry. */
struct extended_err {
    unsigned int ee_errno;
    unsigned char ee_origin, ee_type, ee_code, ee_pad;
    unsigned int ee_info, ee_data;
};

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void await_events(const char *what, int fd, short events) {
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, 2000);
    printf("%s: poll %d revents 0x%x\n", what, n, p.revents);
}

static struct sockaddr_in in4(const char *ip, int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static struct sockaddr_in6 in6(const char *ip, int port) {
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return a;
}

static int port_of(int fd) {
    struct sockaddr_storage a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *) &a, &len) < 0) {
        return -1;
    }
    return ntohs(a.ss_family == AF_INET ? ((struct sockaddr_in *) &a)->sin_port
                                        : ((struct sockaddr_in6 *) &a)->sin6_port);
}

static int listener(int family) {
    int s = socket(family, SOCK_STREAM, 0);
    if (family == AF_INET) {
        struct sockaddr_in a = in4("127.0.0.1", 0);
        bind(s, (struct sockaddr *) &a, sizeof a);
    } else {
        struct sockaddr_in6 a = in6("::1", 0);
        bind(s, (struct sockaddr *) &a, sizeof a);
    }
    listen(s, 8);
    return s;
}

static int connect_to(int family, int port) {
    int c = socket(family, SOCK_STREAM, 0);
    int r;
    if (family == AF_INET) {
        struct sockaddr_in a = in4("127.0.0.1", port);
        r = connect(c, (struct sockaddr *) &a, sizeof a);
    } else {
        struct sockaddr_in6 a = in6("::1", port);
        r = connect(c, (struct sockaddr *) &a, sizeof a);
    }
    if (r < 0) {
        show("connect_to", r);
    }
    return c;
}

/* ---- /proc/net ---- */

/* The inode /proc/self/fd/FD names (socket:[N]), checked against fstat's. */
static unsigned long fd_inode(int fd) {
    char path[64], target[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
        return 0;
    }
    target[n] = 0;
    unsigned long ino = 0;
    if (sscanf(target, "socket:[%lu]", &ino) != 1) {
        return 0;
    }
    struct stat st;
    fstat(fd, &st);
    if (st.st_ino != ino) {
        printf("fd link %lu but st_ino %lu\n", ino, (unsigned long) st.st_ino);
    }
    return ino;
}

/* A port as its relation to the ports named: 0, "own" (fd's), "other" (peer's), else "?". */
static const char *port_tag(unsigned port, int own, int other) {
    return port == 0 ? "0" : (int) port == own ? "own" : (int) port == other ? "peer" : "?";
}

/* Shows fd's line in /proc/net/TABLE: addresses (ports as tags), state, queues, uid; or that none is there. */
static void proc_line(const char *what, const char *table, int fd, int peer_port, int exact_rx) {
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/net/%s", table);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: cannot open %s: %s\n", what, path, strerror(errno));
        return;
    }
    unsigned long ino = fd_inode(fd);
    int found = 0;
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        if (first) {
            first = 0;
            printf("%s: %s header length %zu\n", what, table, strlen(line));
            continue;
        }
        size_t length = strlen(line);
        char local[40], remote[40];
        unsigned lport, rport, st, tx, rx, tr, retr, uid;
        unsigned long when, inode;
        int sl, timeout;
        if (sscanf(line, "%d: %39[0-9A-F]:%x %39[0-9A-F]:%x %x %x:%x %x:%lx %x %u %d %lu", &sl, local, &lport,
                   remote, &rport, &st, &tx, &rx, &tr, &when, &retr, &uid, &timeout, &inode) != 14) {
            printf("%s: unparsed line '%s'\n", what, line);
            continue;
        }
        if (inode != ino || ino == 0) {
            continue;
        }
        found = 1;
        if (strchr(table, '6') == NULL) {
            /* tcp and udp pad each line to their header's width; the IPv6 tables do not. */
            printf("%s: line length %zu\n", what, length);
        }
        int fields = 0;
        for (char *t = strtok(line, " \n"); t; t = strtok(NULL, " \n")) {
            fields++;
        }
        printf("%s: %s %s:%s %s:%s st %02X tx %u rx %s%u tr %u retr %u uid %s timeout %d fields %d\n", what,
               table, local, port_tag(lport, port_of(fd), peer_port), remote, port_tag(rport, port_of(fd), peer_port),
               st, tx, exact_rx ? "" : "nonzero ", exact_rx ? rx : rx != 0, tr, retr,
               uid == getuid() ? "own" : "other", timeout, fields);
    }
    fclose(f);
    if (!found) {
        printf("%s: not in %s\n", what, table);
    }
}

static void proc_tables(void) {
    printf("-- /proc/net\n");
    int unbound = socket(AF_INET, SOCK_STREAM, 0);
    proc_line("unbound tcp", "tcp", unbound, 0, 1);
    struct sockaddr_in a = in4("127.0.0.1", 0);
    bind(unbound, (struct sockaddr *) &a, sizeof a);
    proc_line("bound tcp", "tcp", unbound, 0, 1);
    close(unbound);

    int l = listener(AF_INET);
    proc_line("listener", "tcp", l, 0, 1);
    int c = connect_to(AF_INET, port_of(l));
    await_events("listener", l, POLLIN);
    proc_line("listener with one to accept", "tcp", l, 0, 1);
    proc_line("client", "tcp", c, port_of(l), 1);
    int s = accept(l, NULL, NULL);
    proc_line("server", "tcp", s, port_of(c), 1);
    proc_line("server", "tcp6", s, port_of(c), 1);
    show("send 5", send(c, "hello", 5, 0));
    await_events("server", s, POLLIN);
    proc_line("server with 5 unread", "tcp", s, port_of(c), 1);
    show("shutdown SHUT_WR", shutdown(c, SHUT_WR));
    await_events("server", s, POLLRDHUP);
    proc_line("server after the peer's FIN", "tcp", s, port_of(c), 1);
    char b[16];
    show("recv", recv(s, b, sizeof b, 0));
    proc_line("server after reading the data", "tcp", s, port_of(c), 1);
    show("recv at the end", recv(s, b, sizeof b, 0));
    proc_line("server after reading the end", "tcp", s, port_of(c), 1);
    close(s);
    close(c);
    close(l);

    l = listener(AF_INET6);
    proc_line("v6 listener", "tcp6", l, 0, 1);
    proc_line("v6 listener", "tcp", l, 0, 1);
    c = connect_to(AF_INET6, port_of(l));
    s = accept(l, NULL, NULL);
    proc_line("v6 client", "tcp6", c, port_of(l), 1);
    proc_line("v6 server", "tcp6", s, port_of(c), 1);
    close(s);
    close(c);
    close(l);

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    proc_line("unbound udp", "udp", u, 0, 1);
    bind(u, (struct sockaddr *) &a, sizeof a);
    proc_line("bound udp", "udp", u, 0, 1);
    int u2 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = in4("127.0.0.1", port_of(u));
    show("connect udp", connect(u2, (struct sockaddr *) &to, sizeof to));
    proc_line("connected udp", "udp", u2, port_of(u), 1);
    show("send 3", send(u2, "abc", 3, 0));
    await_events("udp", u, POLLIN);
    proc_line("udp with a datagram", "udp", u, 0, 0);
    close(u2);
    close(u);

    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 any6 = in6("::", 0);
    bind(u6, (struct sockaddr *) &any6, sizeof any6);
    proc_line("bound udp6", "udp6", u6, 0, 1);
    proc_line("bound udp6", "udp", u6, 0, 1);
    close(u6);
}

/* ---- connect: the socket's state before the address ---- */

/* A port nobody listens on: one bound and closed again. */
static int free_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = in4("127.0.0.1", 0);
    bind(s, (struct sockaddr *) &a, sizeof a);
    int p = port_of(s);
    close(s);
    return p;
}

static void connect_order(void) {
    printf("-- connect's order of checks\n");
    struct sockaddr_in6 a6 = in6("::1", 1);
    int l = listener(AF_INET);
    struct sockaddr_in good = in4("127.0.0.1", port_of(l));
    show("listener: addrlen 8", connect(l, (struct sockaddr *) &good, 8));
    show("listener: AF_INET6 address", connect(l, (struct sockaddr *) &a6, sizeof a6));
    show("listener: addrlen 1", connect(l, (struct sockaddr *) &good, 1));
    int c = connect_to(AF_INET, port_of(l));
    show("connected: addrlen 8", connect(c, (struct sockaddr *) &good, 8));
    show("connected: AF_INET6 address", connect(c, (struct sockaddr *) &a6, sizeof a6));
    show("connected: the same address", connect(c, (struct sockaddr *) &good, sizeof good));
    int s = accept(l, NULL, NULL);
    show("accepted: addrlen 8", connect(s, (struct sockaddr *) &good, 8));
    close(s);
    close(c);

    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, (struct sockaddr *) &good, sizeof good);
    printf("non-blocking connect: %s\n", r == 0 ? "0" : errno == EINPROGRESS ? "EINPROGRESS" : strerror(errno));
    await_events("connecting", c, POLLOUT);
    show("connecting: addrlen 8 finishes it", connect(c, (struct sockaddr *) &good, 8));
    show("then addrlen 8", connect(c, (struct sockaddr *) &good, 8));
    close(c);
    close(l);

    struct sockaddr_in refused = in4("127.0.0.1", free_port());
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(c, (struct sockaddr *) &refused, sizeof refused);
    printf("non-blocking connect: %s\n", r == 0 ? "0" : errno == EINPROGRESS ? "EINPROGRESS" : strerror(errno));
    await_events("refused", c, POLLOUT);
    show("refused: AF_INET6 address", connect(c, (struct sockaddr *) &a6, sizeof a6));
    show("then AF_INET6 address", connect(c, (struct sockaddr *) &a6, sizeof a6));
    show("then addrlen 8", connect(c, (struct sockaddr *) &refused, 8));
    close(c);

    int v6 = socket(AF_INET6, SOCK_STREAM, 0);
    show("v6 unconnected: AF_INET address", connect(v6, (struct sockaddr *) &good, sizeof good));
    show("v6 unconnected: addrlen 20", connect(v6, (struct sockaddr *) &a6, 20));
    close(v6);

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    printf("udp port before: %d\n", port_of(u));
    show("udp: addrlen 8", connect(u, (struct sockaddr *) &good, 8));
    printf("udp bound by it: %d\n", port_of(u) != 0);
    show("udp: AF_INET6 address", connect(u, (struct sockaddr *) &a6, sizeof a6));
    close(u);
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    show("udp6: AF_INET address addrlen 8", connect(u6, (struct sockaddr *) &good, 8));
    printf("udp6 bound by it: %d\n", port_of(u6) != 0);
    close(u6);
    u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    int one = 1;
    setsockopt(u6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    show("v6only udp6: AF_INET address addrlen 8", connect(u6, (struct sockaddr *) &good, 8));
    show("v6only udp6: AF_INET address", connect(u6, (struct sockaddr *) &good, sizeof good));
    show("v6only udp6: addrlen 20", connect(u6, (struct sockaddr *) &a6, 20));
    close(u6);
}

/* ---- accept of a connection the client reset ---- */

static void reset_before_accept(void) {
    printf("-- accept after a reset\n");
    int l = listener(AF_INET);
    int c1 = connect_to(AF_INET, port_of(l));
    int c2 = connect_to(AF_INET, port_of(l));
    int p1 = port_of(c1);
    struct linger lg = {1, 0};
    setsockopt(c1, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    setsockopt(c2, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c1);
    close(c2);
    usleep(100000);
    struct sockaddr_storage from;
    memset(&from, 0, sizeof from);
    socklen_t len = sizeof from;
    int s = accept(l, (struct sockaddr *) &from, &len);
    printf("accept with an address: %s%s\n", s >= 0 ? "fd" : "-1 ", s >= 0 ? "" : strerror(errno));
    printf("from: len %u family %d port %s\n", len, from.ss_family,
           ntohs(((struct sockaddr_in *) &from)->sin_port) == p1 ? "the client's" : "other");
    char b[8];
    len = sizeof from;
    show("getpeername", getpeername(s, (struct sockaddr *) &from, &len));
    await_events("reset connection", s, POLLIN);
    show("recv", recv(s, b, sizeof b, 0));
    show("recv again", recv(s, b, sizeof b, 0));
    close(s);
    s = accept(l, NULL, NULL);
    printf("accept without one: %s%s\n", s >= 0 ? "fd" : "-1 ", s >= 0 ? "" : strerror(errno));
    show("send", send(s, "x", 1, MSG_NOSIGNAL));
    close(s);
    close(l);
}

/* ---- control messages ---- */

static void setint(const char *what, int fd, int level, int opt, int v) {
    show(what, setsockopt(fd, level, opt, &v, sizeof v));
}

static int intopt(int fd, int level, int opt) {
    int v = -1;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, opt, &v, &len) < 0) {
        return -errno;
    }
    return v;
}

/* Whether a timestamp is within 5 s of now. */
static const char *recent(long long sec, long long sub, long long per_sec) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long d = (long long) now.tv_sec - sec;
    return d >= -1 && d <= 5 && sub >= 0 && sub < per_sec ? "recent" : "odd";
}

/* Prints each control message of m, as far as msg_controllen says it holds. */
static void show_cmsgs(struct msghdr *m) {
    printf("  msg_controllen %zu msg_flags 0x%x\n", (size_t) m->msg_controllen, m->msg_flags);
    if (m->msg_control == NULL) {
        return;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
        size_t data = c->cmsg_len >= CMSG_LEN(0) ? c->cmsg_len - CMSG_LEN(0) : 0;
        printf("  cmsg level %d type %d len %zu:", c->cmsg_level, c->cmsg_type, (size_t) c->cmsg_len);
        unsigned char *d = CMSG_DATA(c);
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMP && data >= sizeof(struct timeval)) {
            struct timeval tv;
            memcpy(&tv, d, sizeof tv);
            printf(" timeval %s", recent(tv.tv_sec, tv.tv_usec, 1000000));
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS && data >= sizeof(struct timespec)) {
            struct timespec ts;
            memcpy(&ts, d, sizeof ts);
            printf(" timespec %s", recent(ts.tv_sec, ts.tv_nsec, 1000000000));
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO && data >= sizeof(struct in_pktinfo)) {
            struct in_pktinfo pi;
            memcpy(&pi, d, sizeof pi);
            char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &pi.ipi_spec_dst, a, sizeof a);
            inet_ntop(AF_INET, &pi.ipi_addr, b, sizeof b);
            printf(" ifindex %d spec_dst %s addr %s", pi.ipi_ifindex, a, b);
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO && data >= sizeof(struct in6_pktinfo)) {
            struct in6_pktinfo pi;
            memcpy(&pi, d, sizeof pi);
            char a[INET6_ADDRSTRLEN];
            inet_ntop(AF_INET6, &pi.ipi6_addr, a, sizeof a);
            printf(" ifindex %d addr %s", pi.ipi6_ifindex, a);
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR && data >= sizeof(struct extended_err)) {
            struct extended_err e;
            memcpy(&e, d, sizeof e);
            printf(" errno %s origin %d type %d code %d info %u data %u", strerror(e.ee_errno), e.ee_origin,
                   e.ee_type, e.ee_code, e.ee_info, e.ee_data);
            if (data >= sizeof e + sizeof(struct sockaddr_in)) {
                struct sockaddr_in off;
                memcpy(&off, d + sizeof e, sizeof off);
                char a[INET_ADDRSTRLEN];
                inet_ntop(AF_INET, &off.sin_addr, a, sizeof a);
                printf(" offender family %d %s", off.sin_family, a);
            }
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_ORIGDSTADDR && data >= sizeof(struct sockaddr_in)) {
            struct sockaddr_in dst;
            memcpy(&dst, d, sizeof dst);
            char a[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &dst.sin_addr, a, sizeof a);
            printf(" family %d addr %s", dst.sin_family, a);
        } else if (c->cmsg_level == SOL_SOCKET) {
            printf(" %zu bytes of a time", data);
        } else {
            for (size_t i = 0; i < data && i < 8; i++) {
                printf(" %02x", d[i]);
            }
        }
        printf("\n");
    }
}

/* recvmsg of one datagram with CONTROLLEN bytes of control room at CONTROL. */
static void receive_with(const char *what, int fd, void *control, size_t controllen, int flags) {
    char b[32] = {0};
    struct iovec iov = {b, sizeof b - 1};
    struct sockaddr_storage from;
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                       .msg_control = control, .msg_controllen = controllen};
    long n = recvmsg(fd, &m, flags);
    show(what, n);
    if (n >= 0) {
        printf("  data '%s' namelen %u\n", b, m.msg_namelen);
        show_cmsgs(&m);
    }
}

static void control_messages(void) {
    printf("-- control messages\n");
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = in4("127.0.0.1", 0);
    bind(u, (struct sockaddr *) &a, sizeof a);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = in4("127.0.0.1", port_of(u));
    connect(s, (struct sockaddr *) &to, sizeof to);
    setint("sender IP_TOS 0x10", s, IPPROTO_IP, IP_TOS, 0x10);
    setint("sender IP_TTL 33", s, IPPROTO_IP, IP_TTL, 33);
    setint("IP_PKTINFO", u, IPPROTO_IP, IP_PKTINFO, 1);
    setint("IP_RECVTTL", u, IPPROTO_IP, IP_RECVTTL, 1);
    setint("IP_RECVTOS", u, IPPROTO_IP, IP_RECVTOS, 1);
    setint("SO_TIMESTAMP", u, SOL_SOCKET, SO_TIMESTAMP, 1);
    printf("read back: IP_PKTINFO %d IP_RECVTTL %d IP_RECVTOS %d SO_TIMESTAMP %d SO_TIMESTAMPNS %d\n",
           intopt(u, IPPROTO_IP, IP_PKTINFO), intopt(u, IPPROTO_IP, IP_RECVTTL), intopt(u, IPPROTO_IP, IP_RECVTOS),
           intopt(u, SOL_SOCKET, SO_TIMESTAMP), intopt(u, SOL_SOCKET, SO_TIMESTAMPNS));
    union {
        char buf[512];
        struct cmsghdr align;
    } control;
    const char *words[] = {"one", "two", "three", "four", "five", "six", "seven"};
    for (int i = 0; i < 7; i++) {
        send(s, words[i], strlen(words[i]), 0);
    }
    await_events("receiver", u, POLLIN);
    receive_with("recvmsg, room for all", u, control.buf, sizeof control.buf, 0);
    receive_with("recvmsg, room for 20", u, control.buf, 20, 0);
    receive_with("recvmsg, room for 17", u, control.buf, 17, 0);
    receive_with("recvmsg, room for 48", u, control.buf, 48, 0);
    receive_with("recvmsg, room for 0", u, control.buf, 0, 0);
    receive_with("recvmsg, no buffer, length 64", u, NULL, 64, 0);
    char b[16];
    show("recv, no room at all", recv(u, b, sizeof b, 0));
    setint("SO_TIMESTAMP 0", u, SOL_SOCKET, SO_TIMESTAMP, 0);
    setint("SO_TIMESTAMPNS", u, SOL_SOCKET, SO_TIMESTAMPNS, 1);
    setint("IP_RECVTTL 0", u, IPPROTO_IP, IP_RECVTTL, 0);
    printf("read back: SO_TIMESTAMP %d SO_TIMESTAMPNS %d\n", intopt(u, SOL_SOCKET, SO_TIMESTAMP),
           intopt(u, SOL_SOCKET, SO_TIMESTAMPNS));
    send(s, "eight", 5, 0);
    await_events("receiver", u, POLLIN);
    receive_with("recvmsg, timespec", u, control.buf, sizeof control.buf, 0);
    close(s);
    close(u);

    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6 = in6("::1", 0);
    bind(u6, (struct sockaddr *) &a6, sizeof a6);
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 to6 = in6("::1", port_of(u6));
    connect(s6, (struct sockaddr *) &to6, sizeof to6);
    setint("sender IPV6_TCLASS 0x20", s6, IPPROTO_IPV6, IPV6_TCLASS, 0x20);
    setint("sender IPV6_UNICAST_HOPS 44", s6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 44);
    setint("IPV6_RECVPKTINFO", u6, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
    setint("IPV6_RECVHOPLIMIT", u6, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
    setint("IPV6_RECVTCLASS", u6, IPPROTO_IPV6, IPV6_RECVTCLASS, 1);
    send(s6, "six", 3, 0);
    await_events("v6 receiver", u6, POLLIN);
    receive_with("v6 recvmsg", u6, control.buf, sizeof control.buf, 0);
    close(s6);
    close(u6);

    printf("-- IP options and the original destination\n");
    u = socket(AF_INET, SOCK_DGRAM, 0);
    a = in4("127.0.0.1", 0);
    bind(u, (struct sockaddr *) &a, sizeof a);
    s = socket(AF_INET, SOCK_DGRAM, 0);
    to = in4("127.0.0.1", port_of(u));
    connect(s, (struct sockaddr *) &to, sizeof to);
    unsigned char nop_end[4] = {1, 0, 0, 0};
    show("sender IP_OPTIONS NOP, EOL", setsockopt(s, IPPROTO_IP, IP_OPTIONS, nop_end, sizeof nop_end));
    setint("IP_RECVOPTS", u, IPPROTO_IP, IP_RECVOPTS, 1);
    setint("IP_RETOPTS", u, IPPROTO_IP, IP_RETOPTS, 1);
    setint("IP_RECVORIGDSTADDR", u, IPPROTO_IP, IP_RECVORIGDSTADDR, 1);
    printf("read back: IP_RECVOPTS %d IP_RETOPTS %d IP_RECVORIGDSTADDR %d\n", intopt(u, IPPROTO_IP, IP_RECVOPTS),
           intopt(u, IPPROTO_IP, IP_RETOPTS), intopt(u, IPPROTO_IP, IP_RECVORIGDSTADDR));
    send(s, "opts", 4, 0);
    await_events("receiver", u, POLLIN);
    receive_with("recvmsg with IP options", u, control.buf, sizeof control.buf, 0);
    close(s);
    close(u);

    printf("-- IP_RECVERR\n");
    u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in closed = in4("127.0.0.1", free_port());
    connect(u, (struct sockaddr *) &closed, sizeof closed);
    receive_with("error queue, empty, blocking socket", u, control.buf, sizeof control.buf, MSG_ERRQUEUE);
    setint("IP_RECVERR", u, IPPROTO_IP, IP_RECVERR, 1);
    show("send to a closed port", send(u, "x", 1, 0));
    await_events("after the refusal", u, POLLERR);
    receive_with("error queue", u, control.buf, sizeof control.buf, MSG_ERRQUEUE);
    receive_with("error queue again", u, control.buf, sizeof control.buf, MSG_ERRQUEUE);
    printf("SO_ERROR %d\n", intopt(u, SOL_SOCKET, SO_ERROR));
    show("send again", send(u, "y", 1, 0));
    await_events("after the second refusal", u, POLLERR);
    receive_with("error queue, room for 40", u, control.buf, 40, MSG_ERRQUEUE);
    close(u);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    control_messages();
    proc_tables();
    connect_order();
    reset_before_accept();
    return 0;
}
