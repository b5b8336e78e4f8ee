/*
 * Netlink protocols other than NETLINK_ROUTE: which protocols socket() takes, port ids per
 * protocol, NETLINK_SOCK_DIAG dumps and lookups of a TCP listener and AF_UNIX sockets this program
 * made (found by inode), generic netlink's nlctrl, and the error replies of each protocol's kernel
 * side to messages it does not take. Only what does not depend on the host's other sockets or
 * loaded modules is printed. The netlink structures are spelled out: musl has no linux/ headers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include "errname.h"

#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif

struct nl_addr { unsigned short family, pad; uint32_t pid, groups; };
struct nl_hdr { uint32_t len; uint16_t type, flags; uint32_t seq, pid; };
struct nl_attr { uint16_t len, type; };

#define F_REQUEST 1
#define F_MULTI 2
#define F_ACK 4
#define F_DUMP 0x300
#define MSG_ERROR_TYPE 2
#define MSG_DONE_TYPE 3
#define ALIGN4(n) (((n) + 3) & ~3)

static unsigned char reply[65536];

/* Sends one message of {@code payload} to the kernel; prints sendto's result. */
static long send_msg(int fd, int type, int flags, const void *payload, int plen) {
    unsigned char buf[1024];
    struct nl_hdr *h = (struct nl_hdr *) buf;
    memset(buf, 0, sizeof buf);
    h->len = sizeof *h + plen;
    h->type = type;
    h->flags = flags;
    h->seq = 42;
    memcpy(buf + sizeof *h, payload, plen);
    struct nl_addr kernel = {AF_NETLINK, 0, 0, 0};
    long r = sendto(fd, buf, h->len, 0, (struct sockaddr *) &kernel, sizeof kernel);
    return r < 0 ? -errno : r;
}

/* Receives one datagram without waiting: its length, or -errno. */
static long take(int fd) {
    long n = recv(fd, reply, sizeof reply, MSG_DONTWAIT);
    return n < 0 ? -errno : n;
}

/* Prints every message of the datagrams queued now: type, flags, and an error's or done's code. */
static void replies(const char *what, int fd) {
    printf("%s:", what);
    long n;
    while ((n = take(fd)) > 0) {
        for (long at = 0; at + 16 <= n;) {
            struct nl_hdr *h = (struct nl_hdr *) (reply + at);
            printf(" [type %u flags %#x", h->type, h->flags);
            if (h->type == MSG_ERROR_TYPE || h->type == MSG_DONE_TYPE) {
                int e = *(int *) (h + 1);
                printf(" %s", e ? errname(-e) : "0");
            }
            printf("]");
            if (h->len < 16) {
                break;
            }
            at += ALIGN4(h->len);
        }
    }
    printf(" then %s\n", errname(-n));
}

static void sockets(void) {
    printf("socket():");
    for (int p = -1; p <= 33; p++) {
        /* NETLINK_FIB_LOOKUP (10) is left out: jlx has not its route lookups. */
        if (p == 10) {
            continue;
        }
        int fd = socket(AF_NETLINK, SOCK_RAW, p);
        printf(" %d:%s", p, fd < 0 ? errname(errno) : "ok");
        if (fd >= 0) {
            close(fd);
        }
    }
    printf("\n");
    printf("SOCK_STREAM: %s\n", socket(AF_NETLINK, SOCK_STREAM, 4) < 0 ? errname(errno) : "ok");
    /* Port ids are per protocol: each protocol's first socket gets the tgid. */
    int ps[] = {0, 4, 9, 16};
    int fds[4];
    for (int i = 0; i < 4; i++) {
        fds[i] = socket(AF_NETLINK, SOCK_RAW, ps[i]);
        struct nl_addr a = {AF_NETLINK, 0, 0, 0};
        int r = bind(fds[i], (struct sockaddr *) &a, sizeof a);
        socklen_t len = sizeof a;
        getsockname(fds[i], (struct sockaddr *) &a, &len);
        printf("protocol %d: bind %d, port id is the pid: %s\n", ps[i], r, a.pid == (uint32_t) getpid() ? "yes" : "no");
    }
    int again = socket(AF_NETLINK, SOCK_RAW, 4);
    struct nl_addr a = {AF_NETLINK, 0, (uint32_t) getpid(), 0};
    printf("bind to a taken port id: %s\n", bind(again, (struct sockaddr *) &a, sizeof a) < 0 ? errname(errno) : "ok");
    close(again);
    for (int i = 0; i < 4; i++) {
        close(fds[i]);
    }
}

static unsigned long inode_of(int fd) {
    struct stat st;
    fstat(fd, &st);
    return st.st_ino;
}

/* struct inet_diag_req_v2 and inet_diag_msg's first fields. */
struct inet_req {
    uint8_t family, protocol, ext, pad;
    uint32_t states;
    uint16_t sport, dport;
    uint32_t src[4], dst[4], ifindex, cookie[2];
};

static void inet_diag(void) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(l, (struct sockaddr *) &sin, sizeof sin);
    listen(l, 5);
    socklen_t len = sizeof sin;
    getsockname(l, (struct sockaddr *) &sin, &len);
    int fd = socket(AF_NETLINK, SOCK_RAW, 4);

    struct inet_req q = {AF_INET, IPPROTO_TCP, 0, 0, 0xffffffff};
    printf("inet dump: sendto %ld\n", send_msg(fd, 20, F_REQUEST | F_DUMP, &q, sizeof q));
    int found = 0, done = 0;
    long n;
    while (!done && (n = take(fd)) > 0) {
        for (long at = 0; at + 16 <= n; at += ALIGN4(((struct nl_hdr *) (reply + at))->len)) {
            struct nl_hdr *h = (struct nl_hdr *) (reply + at);
            if (h->type == MSG_DONE_TYPE) {
                printf("inet dump done: %d, flags %#x\n", *(int *) (h + 1), h->flags);
                done = 1;
                break;
            }
            unsigned char *m = (unsigned char *) (h + 1);
            uint16_t sport;
            memcpy(&sport, m + 4, 2);
            uint32_t src, ino;
            memcpy(&src, m + 8, 4);
            memcpy(&ino, m + 68, 4);
            if (sport == sin.sin_port && ino == inode_of(l)) {
                found = 1;
                printf("listener: type %u flags %#x family %u state %u src %s\n", h->type, h->flags, m[0], m[1],
                        src == htonl(INADDR_LOOPBACK) ? "127.0.0.1" : "other");
            }
        }
    }
    printf("listener found by inode: %s\n", found ? "yes" : "no");

    /* The one socket of these ends, with no cookie; then a port nobody has. */
    q.states = 0;
    q.sport = sin.sin_port;
    q.src[0] = htonl(INADDR_LOOPBACK);
    q.cookie[0] = q.cookie[1] = 0xffffffff;
    send_msg(fd, 20, F_REQUEST, &q, sizeof q);
    n = take(fd);
    struct nl_hdr *h = (struct nl_hdr *) reply;
    uint32_t ino = 0;
    if (n > 0) {
        memcpy(&ino, reply + 16 + 68, 4);
    }
    printf("exact: %ld bytes, type %u flags %#x, inode matches: %s\n", n > 0 ? 1L : n, h->type, h->flags,
            ino == inode_of(l) ? "yes" : "no");
    q.sport = 0;
    send_msg(fd, 20, F_REQUEST, &q, sizeof q);
    replies("exact of port 0", fd);
    send_msg(fd, 20, F_REQUEST | F_ACK, &q, 10);
    replies("short request", fd);
    q.family = 200;
    send_msg(fd, 20, F_REQUEST | F_ACK, &q, sizeof q);
    replies("family 200", fd);
    q.family = AF_INET;
    q.protocol = 99;
    send_msg(fd, 20, F_REQUEST | F_DUMP, &q, sizeof q);
    replies("protocol 99", fd);
    close(fd);
    close(l);
}

/* struct unix_diag_req */
struct unix_req {
    uint8_t family, protocol;
    uint16_t pad;
    uint32_t states, ino, show, cookie[2];
};

/* Prints what the dump or lookup says of the socket of inode {@code ino}. */
static void unix_show(int fd, unsigned long ino, const char *what) {
    long n;
    int found = 0;
    while ((n = take(fd)) > 0) {
        for (long at = 0; at + 16 <= n; at += ALIGN4(((struct nl_hdr *) (reply + at))->len)) {
            struct nl_hdr *h = (struct nl_hdr *) (reply + at);
            if (h->type != 20) {
                continue;
            }
            unsigned char *m = (unsigned char *) (h + 1);
            uint32_t i;
            memcpy(&i, m + 4, 4);
            if (i != ino) {
                continue;
            }
            found = 1;
            printf("%s: flags %#x type %u state %u attrs:", what, h->flags, m[1], m[2]);
            for (unsigned at2 = 16 + 16; at2 + 4 <= h->len; at2 += ALIGN4(((struct nl_attr *) ((char *) h + at2))->len)) {
                struct nl_attr *a = (struct nl_attr *) ((char *) h + at2);
                unsigned char *d = (unsigned char *) (a + 1);
                printf(" %u", a->type);
                if (a->type != 0) {
                    printf("(%u)", a->len - 4);
                }
                if (a->type == 0) {
                    char path[64];
                    snprintf(path, sizeof path, "/tmp/netlinks-%d.sock", getpid());
                    printf("=%s", strcmp((char *) d, path) ? "another name" : "its path");
                } else if (a->type == 2) {
                    uint32_t p;
                    memcpy(&p, d, 4);
                    printf("=%s", p ? "an inode" : "0");
                } else if (a->type == 4) {
                    uint32_t rq[2];
                    memcpy(rq, d, 8);
                    printf("=%u,%u", rq[0], rq[1]);
                } else if (a->type == 7) {
                    uint32_t u;
                    memcpy(&u, d, 4);
                    printf("=%s", u == getuid() ? "uid" : "other");
                }
            }
            printf("\n");
        }
        if (((struct nl_hdr *) reply)->type == MSG_DONE_TYPE || !(((struct nl_hdr *) reply)->flags & F_MULTI)) {
            break;
        }
    }
    if (!found) {
        printf("%s: not found (%s)\n", what, errname(-n));
    }
}

static void unix_diag(void) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/netlinks-%d.sock", getpid());
    unlink(path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    strcpy(sun.sun_path, path);
    bind(l, (struct sockaddr *) &sun, sizeof sun);
    listen(l, 7);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *) &sun, sizeof sun);
    int sp[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sp);
    send(sp[0], "hello", 5, 0);
    int fd = socket(AF_NETLINK, SOCK_RAW, 4);
    struct unix_req q = {AF_UNIX, 0, 0, 0xffffffff, 0, 0x1 | 0x4 | 0x8 | 0x10 | 0x40, {0xffffffff, 0xffffffff}};
    send_msg(fd, 20, F_REQUEST | F_DUMP, &q, sizeof q);
    unix_show(fd, inode_of(l), "listener");
    send_msg(fd, 20, F_REQUEST | F_DUMP, &q, sizeof q);
    unix_show(fd, inode_of(sp[1]), "dgram pair");
    /* Lookups by inode: the connecting socket; only listeners (1 << 10) in a dump. */
    q.ino = inode_of(c);
    send_msg(fd, 20, F_REQUEST, &q, sizeof q);
    unix_show(fd, inode_of(c), "client by inode");
    q.ino = 0;
    send_msg(fd, 20, F_REQUEST | F_ACK, &q, sizeof q);
    replies("inode 0", fd);
    q.ino = 0x7ffffff0;
    send_msg(fd, 20, F_REQUEST | F_ACK, &q, sizeof q);
    replies("inode nobody has", fd);
    q.ino = inode_of(c);
    q.cookie[0] = 1;
    q.cookie[1] = 2;
    send_msg(fd, 20, F_REQUEST, &q, sizeof q);
    replies("wrong cookie", fd);
    q.states = 1 << 1;
    send_msg(fd, 20, F_REQUEST | F_DUMP, &q, sizeof q);
    unix_show(fd, inode_of(l), "listener among established");
    close(fd);
    close(c);
    close(l);
    close(sp[0]);
    close(sp[1]);
    unlink(path);
}

static void generic(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW, 16);
    unsigned char p[64] = {3, 1};
    struct nl_attr *a = (struct nl_attr *) (p + 4);
    a->len = 4 + 7;
    a->type = 2;
    memcpy(a + 1, "nlctrl", 7);
    send_msg(fd, 16, F_REQUEST, p, 4 + 12);
    long n = take(fd);
    struct nl_hdr *h = (struct nl_hdr *) reply;
    printf("nlctrl: %s, type %u flags %#x cmd %u version %u\n", n > 0 ? "reply" : errname(-n), h->type, h->flags,
            reply[16], reply[17]);
    for (unsigned at = 20; at + 4 <= h->len; at += ALIGN4(((struct nl_attr *) (reply + at))->len)) {
        struct nl_attr *x = (struct nl_attr *) (reply + at);
        unsigned char *d = (unsigned char *) (x + 1);
        printf("  attr %u len %u:", x->type, x->len);
        if (x->type == 2) {
            printf(" \"%s\"", (char *) d);
        } else {
            for (unsigned i = 0; i < x->len - 4u && i < 48; i++) {
                printf(" %02x", d[i]);
            }
        }
        printf("\n");
    }
    memcpy(a + 1, "nosuch", 7);
    send_msg(fd, 16, F_REQUEST | F_ACK, p, 4 + 12);
    replies("family nosuch", fd);
    send_msg(fd, 16, F_REQUEST | F_ACK, p, 4);
    replies("getfamily without attributes", fd);
    send_msg(fd, 16, F_REQUEST | F_ACK, p, 2);
    replies("no genlmsghdr", fd);
    p[0] = 99;
    send_msg(fd, 16, F_REQUEST | F_ACK, p, 4);
    replies("command 99", fd);
    send_msg(fd, 0x7ff0, F_REQUEST | F_ACK, p, 4);
    replies("family id 0x7ff0", fd);
    /* The dump lists nlctrl among the host's families. */
    p[0] = 3;
    send_msg(fd, 16, F_REQUEST | F_DUMP, p, 4);
    int seen = 0;
    while ((n = take(fd)) > 0) {
        int end = 0;
        for (long at = 0; at + 16 <= n; at += ALIGN4(((struct nl_hdr *) (reply + at))->len)) {
            struct nl_hdr *m = (struct nl_hdr *) (reply + at);
            if (m->type == MSG_DONE_TYPE) {
                end = 1;
            } else if (!strcmp((char *) m + 24, "nlctrl")) {
                seen = 1;
            }
        }
        if (end) {
            break;
        }
    }
    printf("dump has nlctrl: %s\n", seen ? "yes" : "no");
    close(fd);
}

/* Each protocol's answers to messages it does not take. */
static void errors(void) {
    unsigned char zero[128] = {0};
    int fd = socket(AF_NETLINK, SOCK_RAW, 4);
    send_msg(fd, 1, F_REQUEST | F_ACK, zero, 0);
    replies("sock_diag NLMSG_NOOP", fd);
    send_msg(fd, 30, F_REQUEST | F_ACK, zero, 8);
    replies("sock_diag type 30", fd);
    send_msg(fd, 20, F_ACK, zero, 64);
    replies("sock_diag not a request", fd);
    send_msg(fd, 20, F_REQUEST | F_ACK, zero, 64);
    replies("sock_diag AF_UNSPEC", fd);
    send_msg(fd, 18, F_REQUEST | F_ACK, zero, 8);
    replies("sock_diag short TCPDIAG_GETSOCK", fd);
    send_msg(fd, 19, F_REQUEST | F_ACK, zero, 64);
    replies("sock_diag DCCPDIAG_GETSOCK", fd);
    close(fd);

    fd = socket(AF_NETLINK, SOCK_RAW, 2);
    printf("usersock sendto: %s\n", errname(-send_msg(fd, 16, F_REQUEST, zero, 4)));
    close(fd);
    fd = socket(AF_NETLINK, SOCK_RAW, 7);
    printf("selinux sendto: %s\n", errname(-send_msg(fd, 16, F_REQUEST, zero, 4)));
    close(fd);

    fd = socket(AF_NETLINK, SOCK_RAW, 9);
    send_msg(fd, 1, F_REQUEST | F_ACK, zero, 0);
    replies("audit NLMSG_NOOP", fd);
    send_msg(fd, 1002, F_REQUEST, zero, 0);
    replies("audit AUDIT_LIST", fd);
    send_msg(fd, 1001, F_REQUEST | F_ACK, zero, 64);
    replies("audit AUDIT_SET of nothing", fd);
    close(fd);

    fd = socket(AF_NETLINK, SOCK_RAW, 6);
    send_msg(fd, 18, F_REQUEST | F_DUMP, zero, 64);
    replies("xfrm GETSA dump", fd);
    send_msg(fd, 21, F_REQUEST | F_DUMP, zero, 64);
    replies("xfrm GETPOLICY dump", fd);
    send_msg(fd, 21, F_REQUEST | F_ACK, zero, 64);
    replies("xfrm GETPOLICY", fd);
    send_msg(fd, 0x7000, F_REQUEST | F_ACK, zero, 64);
    replies("xfrm type 0x7000", fd);
    close(fd);

    fd = socket(AF_NETLINK, SOCK_RAW, 12);
    send_msg(fd, 16, F_REQUEST | F_ACK, zero, 0);
    replies("netfilter short batch", fd);
    send_msg(fd, 16, F_REQUEST | F_ACK, zero, 8);
    replies("netfilter batch of subsystem 0", fd);
    send_msg(fd, 17, F_REQUEST | F_ACK, zero, 0);
    replies("netfilter without nfgenmsg", fd);
    send_msg(fd, 17, F_REQUEST | F_ACK, zero, 8);
    replies("netfilter subsystem 0", fd);
    close(fd);

    fd = socket(AF_NETLINK, SOCK_RAW, 15);
    send_msg(fd, 20, F_REQUEST | F_ACK, zero, 8);
    replies("uevent", fd);
    close(fd);

    fd = socket(AF_NETLINK, SOCK_RAW, 11);
    send_msg(fd, 16, F_REQUEST | F_ACK, zero, 64);
    replies("connector", fd);
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sockets();
    inet_diag();
    unix_diag();
    generic();
    errors();
    return 0;
}
