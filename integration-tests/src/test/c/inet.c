/*
 * IPv4 and IPv6 sockets on loopback: errno of bad calls (addresses, options, states), TCP connect,
 * accept and echo, non-blocking connect with poll and SO_ERROR, a refused connect, shutdown and
 * EOF, MSG_PEEK, MSG_WAITALL, FIONREAD, RST then ECONNRESET and EPIPE with SIGPIPE, UDP sendto and
 * recvfrom with MSG_TRUNC, connected UDP and ECONNREFUSED, sendmmsg and recvmmsg, IPv6 and dual
 * stack, EADDRINUSE, options, edge-triggered epoll, timeouts and signals. Ports are the kernel's
 * choice: only their relations are printed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static int made(const char *what, int fd) {
    printf("%s = %s%s\n", what, fd >= 0 ? "fd" : "-1 ", fd >= 0 ? "" : strerror(errno));
    return fd;
}

static void revents(const char *what, int fd, int timeout) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0};
    int n = poll(&p, 1, timeout);
    printf("%s: poll %d revents 0x%x\n", what, n, p.revents);
}

/* Waits (up to 2 s) for one of events, then shows what holds. */
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

/* An address as family, ip and whether its port is {0, the one expected, another}. */
static void show_addr(const char *what, struct sockaddr_storage *a, socklen_t len, int expected) {
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = -1;
    if (a->ss_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *) a)->sin_addr, ip, sizeof ip);
        port = ntohs(((struct sockaddr_in *) a)->sin_port);
    } else if (a->ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *) a)->sin6_addr, ip, sizeof ip);
        port = ntohs(((struct sockaddr_in6 *) a)->sin6_port);
    }
    printf("%s: len %u family %d ip %s port %s\n", what, len, a->ss_family, ip,
           port == 0 ? "0" : port == expected ? "expected" : "other");
}

static void name(const char *what, int fd, int peer, int expected) {
    struct sockaddr_storage a;
    memset(&a, 0, sizeof a);
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *) &a, &len) : getsockname(fd, (struct sockaddr *) &a, &len);
    if (r < 0) {
        show(what, r);
        return;
    }
    show_addr(what, &a, len, expected);
}

static int intopt(int fd, int level, int opt) {
    int v = -1;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, opt, &v, &len) < 0) {
        return -errno;
    }
    return v;
}

static void setint(const char *what, int fd, int level, int opt, int v) {
    show(what, setsockopt(fd, level, opt, &v, sizeof v));
}

static volatile int sigpipes;
static void on_sigpipe(int sig) {
    (void) sig;
    sigpipes++;
}
static void on_alarm(int sig) {
    (void) sig;
}

/* A TCP listener on 127.0.0.1 (or ::1) with a free port. */
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

static int connect_to(int family, int port, int flags) {
    int c = socket(family, SOCK_STREAM | flags, 0);
    int r;
    if (family == AF_INET) {
        struct sockaddr_in a = in4("127.0.0.1", port);
        r = connect(c, (struct sockaddr *) &a, sizeof a);
    } else {
        struct sockaddr_in6 a = in6("::1", port);
        r = connect(c, (struct sockaddr *) &a, sizeof a);
    }
    if (r < 0 && errno != EINPROGRESS) {
        show("connect_to", r);
    }
    return c;
}

/* A port nobody listens on: one bound and closed again. */
static int free_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = in4("127.0.0.1", 0);
    bind(s, (struct sockaddr *) &a, sizeof a);
    int p = port_of(s);
    close(s);
    return p;
}

static void bad_calls(void) {
    printf("-- bad calls\n");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    name("unbound getsockname", s, 0, 0);
    show("unconnected getpeername", getpeername(s, NULL, NULL));
    struct sockaddr_storage st;
    socklen_t len = sizeof st;
    show("unconnected getpeername", getpeername(s, (struct sockaddr *) &st, &len));
    char b[16];
    show("unconnected recv", recv(s, b, sizeof b, 0));
    show("unconnected send nosignal", send(s, "x", 1, MSG_NOSIGNAL));
    printf("sigpipes %d\n", sigpipes);
    show("unconnected send", send(s, "x", 1, 0));
    printf("sigpipes %d\n", sigpipes);
    show("accept on a non-listener", accept(s, NULL, NULL));
    struct sockaddr_in a = in4("127.0.0.1", 0);
    show("bind addrlen 8", bind(s, (struct sockaddr *) &a, 8));
    struct sockaddr_in6 a6 = in6("::1", 0);
    show("bind AF_INET6 address", bind(s, (struct sockaddr *) &a6, sizeof a6));
    struct sockaddr_in bad = in4("0.0.0.0", 0);
    bad.sin_family = AF_UNSPEC;
    bad.sin_addr.s_addr = htonl(0x7f000001);
    show("bind AF_UNSPEC 127.0.0.1", bind(s, (struct sockaddr *) &bad, sizeof bad));
    struct sockaddr_in far = in4("192.0.2.1", 0);
    show("bind a foreign address", bind(s, (struct sockaddr *) &far, sizeof far));
    struct sockaddr_in any = in4("0.0.0.0", 0);
    any.sin_family = AF_UNSPEC;
    show("bind AF_UNSPEC any", bind(s, (struct sockaddr *) &any, sizeof any));
    show("bind again", bind(s, (struct sockaddr *) &a, sizeof a));
    show("connect addrlen 1", connect(s, (struct sockaddr *) &a, 1));
    show("connect AF_INET6 address", connect(s, (struct sockaddr *) &a6, sizeof a6));
    struct sockaddr_in6 short6 = in6("::1", 1);
    int s6 = socket(AF_INET6, SOCK_STREAM, 0);
    show("v6 connect addrlen 20", connect(s6, (struct sockaddr *) &short6, 20));
    show("v6 bind AF_INET address", bind(s6, (struct sockaddr *) &a, sizeof a));
    show("v6 bind addrlen 24", bind(s6, (struct sockaddr *) &short6, 24));
    int one = 1;
    show("setsockopt optlen 2", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 2));
    show("setsockopt level 999", setsockopt(s, 999, 1, &one, sizeof one));
    show("setsockopt TCP 999", setsockopt(s, IPPROTO_TCP, 999, &one, sizeof one));
    show("IPV6_V6ONLY on AF_INET", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
    show("TCP_NODELAY optlen 2", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, 2));
    show("recv MSG_OOB", recv(s, b, sizeof b, MSG_OOB));
    show("shutdown unconnected", shutdown(s, SHUT_RD));
    show("shutdown how 5", shutdown(s, 5));
    close(s6);
    close(s);

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    show("udp listen", listen(u, 1));
    show("udp send unconnected", send(u, "x", 1, 0));
    show("udp sendto addrlen 8", sendto(u, "x", 1, 0, (struct sockaddr *) &a, 8));
    struct sockaddr_in odd = in4("127.0.0.1", 9);
    odd.sin_family = 99;
    show("udp sendto family 99", sendto(u, "x", 1, 0, (struct sockaddr *) &odd, sizeof odd));
    show("udp accept", accept(u, NULL, NULL));
    show("TCP_NODELAY on udp", setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
    show("recv nothing nonblocking", recv(u, b, sizeof b, MSG_DONTWAIT));
    close(u);
}

static void tcp_echo(int family) {
    printf("-- tcp echo %s\n", family == AF_INET ? "v4" : "v6");
    int l = listener(family);
    int port = port_of(l);
    name("listener", l, 0, port);
    printf("SO_ACCEPTCONN %d\n", intopt(l, SOL_SOCKET, SO_ACCEPTCONN));
    int c = connect_to(family, port, 0);
    name("client peer", c, 1, port);
    struct sockaddr_storage from;
    socklen_t len = sizeof from;
    int s = accept4(l, (struct sockaddr *) &from, &len, SOCK_CLOEXEC);
    made("accept4", s);
    show_addr("accepted from", &from, len, port_of(c));
    name("server local", s, 0, port);
    printf("cloexec %d\n", (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
    printf("SO_TYPE %d SO_PROTOCOL %d SO_DOMAIN %d SO_ERROR %d\n", intopt(s, SOL_SOCKET, SO_TYPE),
           intopt(s, SOL_SOCKET, SO_PROTOCOL), intopt(s, SOL_SOCKET, SO_DOMAIN), intopt(s, SOL_SOCKET, SO_ERROR));
    show("send", send(c, "hello world", 11, 0));
    await_events("server", s, POLLIN);
    int n = -1;
    show("FIONREAD", ioctl(s, FIONREAD, &n));
    printf("FIONREAD says %d\n", n);
    char b[64] = {0};
    show("recv MSG_PEEK 5", recv(s, b, 5, MSG_PEEK));
    printf("peeked '%s'\n", b);
    memset(b, 0, sizeof b);
    show("recv", recv(s, b, sizeof b, 0));
    printf("got '%s'\n", b);
    show("write back", write(s, b, 11));
    memset(b, 0, sizeof b);
    show("read", read(c, b, sizeof b));
    printf("echoed '%s'\n", b);
    show("send abc", send(c, "abc", 3, 0));
    show("send def", send(c, "def", 3, 0));
    memset(b, 0, sizeof b);
    show("recv MSG_WAITALL 6", recv(s, b, 6, MSG_WAITALL));
    printf("got '%s'\n", b);
    /* readv and writev across pieces */
    struct iovec iov[2] = {{"one ", 4}, {"two", 3}};
    show("writev", writev(c, iov, 2));
    char p1[3], p2[8] = {0};
    struct iovec in[2] = {{p1, 3}, {p2, 7}};
    await_events("server", s, POLLIN);
    show("readv", readv(s, in, 2));
    printf("pieces '%.3s' '%s'\n", p1, p2);
    show("shutdown SHUT_WR", shutdown(c, SHUT_WR));
    await_events("server after peer SHUT_WR", s, POLLRDHUP);
    show("recv at EOF", recv(s, b, sizeof b, 0));
    show("send after own SHUT_WR nosignal", send(c, "x", 1, MSG_NOSIGNAL));
    show("server sends on", send(s, "more", 4, 0));
    memset(b, 0, sizeof b);
    show("client reads on", recv(c, b, sizeof b, 0));
    printf("got '%s'\n", b);
    close(s);
    await_events("client after close", c, POLLRDHUP);
    show("client recv at EOF", recv(c, b, sizeof b, 0));
    close(c);
    close(l);
}

static void nonblocking_connect(void) {
    printf("-- non-blocking connect\n");
    int l = listener(AF_INET);
    int port = port_of(l);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = in4("127.0.0.1", port);
    int r = connect(c, (struct sockaddr *) &a, sizeof a);
    printf("connect: %s\n", r == 0 ? "0" : errno == EINPROGRESS ? "EINPROGRESS" : strerror(errno));
    await_events("connecting", c, POLLOUT);
    printf("SO_ERROR %d\n", intopt(c, SOL_SOCKET, SO_ERROR));
    show("connect again", connect(c, (struct sockaddr *) &a, sizeof a));
    show("connect once more", connect(c, (struct sockaddr *) &a, sizeof a));
    int s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
    made("accept4 nonblocking", s);
    show("accept on nonblocking listener", (fcntl(l, F_SETFL, O_NONBLOCK), accept(l, NULL, NULL)));
    char b[8];
    show("recv nothing", recv(s, b, sizeof b, 0));
    revents("idle connection", s, 0);
    close(s);
    close(c);
    close(l);

    printf("-- refused\n");
    int port2 = free_port();
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    a = in4("127.0.0.1", port2);
    r = connect(c, (struct sockaddr *) &a, sizeof a);
    printf("connect: %s\n", r == 0 ? "0" : errno == EINPROGRESS ? "EINPROGRESS" : strerror(errno));
    await_events("refused", c, POLLOUT);
    printf("SO_ERROR %s\n", strerror(intopt(c, SOL_SOCKET, SO_ERROR)));
    show("connect again", connect(c, (struct sockaddr *) &a, sizeof a));
    close(c);
    c = socket(AF_INET, SOCK_STREAM, 0);
    show("blocking connect refused", connect(c, (struct sockaddr *) &a, sizeof a));
    close(c);
}

static void reset(void) {
    printf("-- reset\n");
    int l = listener(AF_INET);
    int c = connect_to(AF_INET, port_of(l), 0);
    int s = accept(l, NULL, NULL);
    struct linger lg = {1, 0};
    show("SO_LINGER 0", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    socklen_t len = sizeof lg;
    lg.l_onoff = -1;
    show("get SO_LINGER", getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
    printf("linger %d %d len %u\n", lg.l_onoff, lg.l_linger, len);
    close(s);
    await_events("after RST", c, POLLIN);
    char b[8];
    show("send after RST", send(c, "x", 1, 0));
    printf("sigpipes %d\n", sigpipes);
    show("send again", send(c, "x", 1, 0));
    printf("sigpipes %d\n", sigpipes);
    show("recv", recv(c, b, sizeof b, 0));
    close(c);
    close(l);
}

static void udp(int family) {
    printf("-- udp %s\n", family == AF_INET ? "v4" : "v6");
    int u1 = socket(family, SOCK_DGRAM, 0);
    int u2 = socket(family, SOCK_DGRAM, 0);
    struct sockaddr_storage a1, a2;
    socklen_t alen;
    if (family == AF_INET) {
        *(struct sockaddr_in *) &a1 = in4("127.0.0.1", 0);
        *(struct sockaddr_in *) &a2 = in4("127.0.0.1", 0);
        alen = sizeof(struct sockaddr_in);
    } else {
        *(struct sockaddr_in6 *) &a1 = in6("::1", 0);
        *(struct sockaddr_in6 *) &a2 = in6("::1", 0);
        alen = sizeof(struct sockaddr_in6);
    }
    show("bind u1", bind(u1, (struct sockaddr *) &a1, alen));
    show("bind u2", bind(u2, (struct sockaddr *) &a2, alen));
    getsockname(u2, (struct sockaddr *) &a2, &alen);
    show("sendto", sendto(u1, "0123456789", 10, 0, (struct sockaddr *) &a2, alen));
    show("sendto again", sendto(u1, "abc", 3, 0, (struct sockaddr *) &a2, alen));
    await_events("u2", u2, POLLIN);
    int n = -1;
    ioctl(u2, FIONREAD, &n);
    printf("FIONREAD %d\n", n);
    char b[64] = {0};
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    struct iovec iov = {b, 4};
    struct msghdr m = {.msg_name = &from, .msg_namelen = flen, .msg_iov = &iov, .msg_iovlen = 1};
    show("recvmsg 4 of 10 MSG_TRUNC", recvmsg(u2, &m, MSG_TRUNC));
    printf("flags 0x%x got '%.4s'\n", m.msg_flags, b);
    show_addr("from", &from, m.msg_namelen, port_of(u1));
    memset(b, 0, sizeof b);
    flen = sizeof from;
    show("recvfrom", recvfrom(u2, b, sizeof b, 0, (struct sockaddr *) &from, &flen));
    printf("got '%s'\n", b);
    show("recv nothing", recv(u2, b, sizeof b, MSG_DONTWAIT));
    /* sendmmsg of two, recvmmsg of both */
    show("connect u1 to u2", connect(u1, (struct sockaddr *) &a2, alen));
    name("u1 peer", u1, 1, port_of(u2));
    struct iovec v[2] = {{"first", 5}, {"second", 6}};
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = &v[0];
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = &v[1];
    mm[1].msg_hdr.msg_iovlen = 1;
    show("sendmmsg", sendmmsg(u1, mm, 2, 0));
    printf("lengths %u %u\n", mm[0].msg_len, mm[1].msg_len);
    await_events("u2", u2, POLLIN);
    char r1[16] = {0}, r2[16] = {0};
    struct iovec w[2] = {{r1, 15}, {r2, 15}};
    struct mmsghdr rm[2];
    memset(rm, 0, sizeof rm);
    rm[0].msg_hdr.msg_iov = &w[0];
    rm[0].msg_hdr.msg_iovlen = 1;
    rm[1].msg_hdr.msg_iov = &w[1];
    rm[1].msg_hdr.msg_iovlen = 1;
    struct timespec ts = {1, 0};
    show("recvmmsg", recvmmsg(u2, rm, 2, MSG_WAITFORONE, &ts));
    printf("got '%s' %u '%s' %u\n", r1, rm[0].msg_len, r2, rm[1].msg_len);
    /* a connected socket to a closed port learns of the refusal */
    int port = free_port();
    struct sockaddr_storage closed;
    if (family == AF_INET) {
        *(struct sockaddr_in *) &closed = in4("127.0.0.1", port);
    } else {
        *(struct sockaddr_in6 *) &closed = in6("::1", port);
    }
    show("connect to a closed port", connect(u1, (struct sockaddr *) &closed, alen));
    show("send", send(u1, "x", 1, 0));
    await_events("u1", u1, POLLIN);
    show("recv", recv(u1, b, sizeof b, 0));
    struct sockaddr unspec = {AF_UNSPEC, {0}};
    show("connect AF_UNSPEC", connect(u1, &unspec, sizeof unspec));
    show("getpeername after", getpeername(u1, (struct sockaddr *) &from, &flen));
    int one = 1;
    show("IP_RECVERR", setsockopt(u1, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
                                  family == AF_INET ? IP_RECVERR : IPV6_RECVERR, &one, sizeof one));
    setint("SO_BROADCAST", u1, SOL_SOCKET, SO_BROADCAST, 1);
    printf("SO_BROADCAST %d\n", intopt(u1, SOL_SOCKET, SO_BROADCAST));
    close(u1);
    close(u2);
}

static void dual_stack(void) {
    printf("-- dual stack\n");
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    printf("IPV6_V6ONLY default %d\n", intopt(l, IPPROTO_IPV6, IPV6_V6ONLY));
    setint("IPV6_V6ONLY 0", l, IPPROTO_IPV6, IPV6_V6ONLY, 0);
    struct sockaddr_in6 any = in6("::", 0);
    show("bind [::]", bind(l, (struct sockaddr *) &any, sizeof any));
    show("listen", listen(l, 4));
    int port = port_of(l);
    int c = connect_to(AF_INET, port, 0);
    struct sockaddr_storage from;
    socklen_t len = sizeof from;
    int s = accept(l, (struct sockaddr *) &from, &len);
    show_addr("v4 client seen as", &from, len, port_of(c));
    name("v4 client's peer", c, 1, port);
    close(s);
    close(c);
    close(l);

    l = socket(AF_INET6, SOCK_STREAM, 0);
    setint("IPV6_V6ONLY 1", l, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    printf("IPV6_V6ONLY now %d\n", intopt(l, IPPROTO_IPV6, IPV6_V6ONLY));
    show("bind [::]", bind(l, (struct sockaddr *) &any, sizeof any));
    listen(l, 4);
    c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = in4("127.0.0.1", port_of(l));
    show("v4 connect to a v6-only listener", connect(c, (struct sockaddr *) &a, sizeof a));
    close(c);

    printf("-- address in use\n");
    int other = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 same = in6("::", port_of(l));
    show("bind the same port", bind(other, (struct sockaddr *) &same, sizeof same));
    close(other);
    int reuse = socket(AF_INET6, SOCK_STREAM, 0);
    setint("SO_REUSEADDR", reuse, SOL_SOCKET, SO_REUSEADDR, 1);
    show("bind the same port with SO_REUSEADDR", bind(reuse, (struct sockaddr *) &same, sizeof same));
    close(reuse);
    close(l);
}

static void options(void) {
    printf("-- options\n");
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    printf("TCP_NODELAY %d\n", intopt(s, IPPROTO_TCP, TCP_NODELAY));
    setint("TCP_NODELAY 1", s, IPPROTO_TCP, TCP_NODELAY, 1);
    printf("TCP_NODELAY %d\n", intopt(s, IPPROTO_TCP, TCP_NODELAY));
    setint("SO_KEEPALIVE 1", s, SOL_SOCKET, SO_KEEPALIVE, 1);
    printf("SO_KEEPALIVE %d\n", intopt(s, SOL_SOCKET, SO_KEEPALIVE));
    setint("TCP_KEEPIDLE 60", s, IPPROTO_TCP, TCP_KEEPIDLE, 60);
    setint("TCP_KEEPINTVL 15", s, IPPROTO_TCP, TCP_KEEPINTVL, 15);
    setint("TCP_KEEPCNT 4", s, IPPROTO_TCP, TCP_KEEPCNT, 4);
    printf("keepalive %d %d %d\n", intopt(s, IPPROTO_TCP, TCP_KEEPIDLE), intopt(s, IPPROTO_TCP, TCP_KEEPINTVL),
           intopt(s, IPPROTO_TCP, TCP_KEEPCNT));
    setint("TCP_KEEPIDLE 0", s, IPPROTO_TCP, TCP_KEEPIDLE, 0);
    setint("IP_TOS 0x10", s, IPPROTO_IP, IP_TOS, 0x10);
    printf("IP_TOS 0x%x\n", intopt(s, IPPROTO_IP, IP_TOS));
    setint("IP_TTL 33", s, IPPROTO_IP, IP_TTL, 33);
    printf("IP_TTL %d\n", intopt(s, IPPROTO_IP, IP_TTL));
    setint("SO_RCVBUF 65536", s, SOL_SOCKET, SO_RCVBUF, 65536);
    printf("SO_RCVBUF %d\n", intopt(s, SOL_SOCKET, SO_RCVBUF));
    setint("SO_SNDBUF 32768", s, SOL_SOCKET, SO_SNDBUF, 32768);
    printf("SO_SNDBUF %d\n", intopt(s, SOL_SOCKET, SO_SNDBUF));
    setint("SO_REUSEPORT 1", s, SOL_SOCKET, SO_REUSEPORT, 1);
    printf("SO_REUSEPORT %d\n", intopt(s, SOL_SOCKET, SO_REUSEPORT));
    setint("SO_OOBINLINE 1", s, SOL_SOCKET, SO_OOBINLINE, 1);
    printf("SO_OOBINLINE %d\n", intopt(s, SOL_SOCKET, SO_OOBINLINE));
    char opts[40];
    socklen_t len = 0;
    show("IP_OPTIONS len 0", getsockopt(s, IPPROTO_IP, IP_OPTIONS, opts, &len));
    printf("len %u\n", len);
    char dev[16];
    len = sizeof dev;
    show("SO_BINDTODEVICE", getsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, dev, &len));
    printf("len %u\n", len);
    int l = listener(AF_INET);
    int c = connect_to(AF_INET, port_of(l), 0);
    int a = accept(l, NULL, NULL);
    printf("accepted: TCP_NODELAY %d SO_KEEPALIVE %d\n", intopt(a, IPPROTO_TCP, TCP_NODELAY),
           intopt(a, SOL_SOCKET, SO_KEEPALIVE));
    close(a);
    close(c);
    close(l);
    close(s);
}

static void edges(void) {
    printf("-- edge-triggered epoll\n");
    int l = listener(AF_INET);
    int c = connect_to(AF_INET, port_of(l), SOCK_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, {.u64 = 1}};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    struct epoll_event out[4];
    int n = epoll_wait(ep, out, 4, 2000);
    printf("listener: %d [0x%x]\n", n, n > 0 ? out[0].events : 0);
    n = epoll_wait(ep, out, 4, 0);
    printf("listener again: %d\n", n);
    int s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
    ev.data.u64 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    n = epoll_wait(ep, out, 4, 2000);
    printf("new connection: %d [0x%x]\n", n, n > 0 ? out[0].events : 0);
    n = epoll_wait(ep, out, 4, 0);
    printf("no new edge: %d\n", n);
    send(c, "a", 1, 0);
    n = epoll_wait(ep, out, 4, 2000);
    printf("data: %d [0x%x]\n", n, n > 0 ? out[0].events & (EPOLLIN | EPOLLRDHUP) : 0);
    send(c, "b", 1, 0);
    n = epoll_wait(ep, out, 4, 2000);
    printf("more data, unread: %d [0x%x]\n", n, n > 0 ? out[0].events & (EPOLLIN | EPOLLRDHUP) : 0);
    char b[8];
    show("read both", read(s, b, sizeof b));
    shutdown(c, SHUT_WR);
    n = epoll_wait(ep, out, 4, 2000);
    printf("peer's SHUT_WR: %d [0x%x]\n", n, n > 0 ? out[0].events & (EPOLLIN | EPOLLRDHUP) : 0);
    close(ep);
    close(s);
    close(c);
    close(l);
}

static void waits(void) {
    printf("-- timeouts and signals\n");
    int l = listener(AF_INET);
    int c = connect_to(AF_INET, port_of(l), 0);
    int s = accept(l, NULL, NULL);
    struct timeval tv = {0, 100000};
    show("SO_RCVTIMEO 0.1 s", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    char b[8];
    show("recv times out", recv(s, b, sizeof b, 0));
    show("accept times out", (setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), accept(l, NULL, NULL)));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    tv.tv_usec = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setitimer(ITIMER_REAL, &it, NULL);
    show("recv interrupted", recv(s, b, sizeof b, 0));
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    tv.tv_sec = 2;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setitimer(ITIMER_REAL, &it, NULL);
    show("recv with a timeout interrupted under SA_RESTART", recv(s, b, sizeof b, 0));
    tv.tv_sec = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    pid_t child = fork();
    if (child == 0) {
        usleep(200000);
        send(c, "late", 4, 0);
        _exit(0);
    }
    setitimer(ITIMER_REAL, &it, NULL);
    memset(b, 0, sizeof b);
    show("recv restarted under SA_RESTART", recv(s, b, sizeof b, 0));
    printf("got '%s'\n", b);
    waitpid(child, NULL, 0);
    close(s);
    close(c);
    close(l);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_sigpipe);
    bad_calls();
    tcp_echo(AF_INET);
    tcp_echo(AF_INET6);
    nonblocking_connect();
    reset();
    udp(AF_INET);
    udp(AF_INET6);
    dual_stack();
    options();
    edges();
    waits();
    return 0;
}
