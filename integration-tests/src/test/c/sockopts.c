/*
 * Socket options Linux keeps for every socket and what they do: classic BPF socket filters
 * (checked at attach, applied to AF_UNIX datagrams and netlink messages, read back, detached,
 * locked), receive timestamps on AF_UNIX datagrams, the options that are only kept and read back,
 * sockfs's system.sockprotoname attribute, SIOCATMARK, MCAST_JOIN_GROUP and MCAST_LEAVE_GROUP, and
 * SOL_NETLINK's NETLINK_PKTINFO and NETLINK_LIST_MEMBERSHIPS. Structures are spelled out: musl has
 * no linux/ headers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/xattr.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

struct filter { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct fprog { unsigned short len; struct filter *insns; };
#define STMT(c, k) { (c), 0, 0, (k) }
#define JUMP(c, k, t, f) { (c), (t), (f), (k) }
#define LD_B_ABS 0x30
#define LD_W_ABS 0x20
#define LD_W_LEN 0x80
#define LD_MEM 0x60
#define LD_B_IND 0x50
#define LDX_IMM 0x01
#define LDX_B_MSH 0xb1
#define ST 0x02
#define ALU_ADD_X 0x0c
#define ALU_DIV_K 0x34
#define ALU_MUL_K 0x24
#define JEQ_K 0x15
#define RET_K 0x06
#define RET_A 0x16
#define MISC_TXA 0x87
#define AD_OFF 0xfffff000u

#define SO_ATTACH_FILTER_ 26
#define SO_DETACH_FILTER_ 27
#define SO_LOCK_FILTER_ 44
#define SO_ATTACH_BPF_ 50
#define SO_ATTACH_REUSEPORT_CBPF_ 51
#define SO_BPF_EXTENSIONS_ 48
#define SO_BUSY_POLL_ 46
#define SO_MAX_PACING_RATE_ 47
#define SO_INCOMING_CPU_ 49
#define SO_PEERGROUPS_ 59
#define SO_ZEROCOPY_ 60
#define SO_TXTIME_ 61
#define SO_BINDTOIFINDEX_ 62
#define SO_TIMESTAMPING_OLD_ 37
#define SO_TIMESTAMP_NEW_ 63
#define SO_TIMESTAMPNS_NEW_ 64
#define SO_NETNS_COOKIE_ 71
#define SO_BUF_LOCK_ 72
#define SO_RESERVE_MEM_ 73
#define SO_TXREHASH_ 74
#define SOL_NETLINK_ 270
#define NETLINK_ADD_MEMBERSHIP_ 1
#define NETLINK_PKTINFO_ 3
#define NETLINK_LIST_MEMBERSHIPS_ 9
#define MCAST_JOIN_GROUP_ 42
#define MCAST_LEAVE_GROUP_ 45
#ifndef SIOCATMARK
#define SIOCATMARK 0x8905
#endif

static const char *err(int e) {
    switch (e) {
    case ENOTTY: return "ENOTTY";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENODATA: return "ENODATA";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    default: return errname(e);
    }
}

static void result(const char *what, long r) {
    if (r < 0) {
        printf("%s = -1 %s\n", what, err(errno));
    } else {
        printf("%s = %ld\n", what, r);
    }
}

static int attach(int fd, struct filter *insns, int n) {
    struct fprog p = { (unsigned short) n, insns };
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER_, &p, sizeof p);
}

/* Sends each message from a to b, then prints what b receives of them. */
static void through(int a, int b, const char *const *msgs, int n) {
    for (int i = 0; i < n; i++) {
        long r = send(a, msgs[i], strlen(msgs[i]), 0);
        printf("  send \"%s\" = %ld\n", msgs[i], r);
    }
    char buf[64];
    long r;
    while ((r = recv(b, buf, sizeof buf, MSG_DONTWAIT)) >= 0) {
        printf("  recv \"%.*s\" (%ld)\n", (int) r, buf, r);
    }
    printf("  then %s\n", err(errno));
}

static void filters(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    const char *msgs[] = { "hello", "xyz", "abc", "x" };

    struct filter cut[] = { STMT(RET_K, 3) };
    result("attach ret 3", attach(sv[1], cut, 1));
    through(sv[0], sv[1], msgs, 2);

    struct filter drop[] = { STMT(RET_K, 0) };
    result("attach ret 0", attach(sv[1], drop, 1));
    through(sv[0], sv[1], msgs, 2);

    /* First byte 'x' keeps the whole datagram, anything else drops it. */
    struct filter first[] = { STMT(LD_B_ABS, 0), JUMP(JEQ_K, 'x', 0, 1), STMT(RET_K, 0xffff), STMT(RET_K, 0) };
    result("attach first byte x", attach(sv[1], first, 4));
    through(sv[0], sv[1], msgs, 4);

    /* A word past the end: the load fails and the datagram is dropped. */
    struct filter past[] = { STMT(LD_W_ABS, 2), STMT(RET_K, 0xffff) };
    result("attach word at 2", attach(sv[1], past, 2));
    through(sv[0], sv[1], msgs, 4);

    /* len * 3 / 2 stored and loaded back, plus X = 4 * (low nibble of byte 0), as the length kept. */
    struct filter arith[] = { STMT(LD_W_LEN, 0), STMT(ALU_MUL_K, 3), STMT(ALU_DIV_K, 2), STMT(ST, 5),
                              STMT(LD_MEM, 5), STMT(LDX_B_MSH, 0), STMT(MISC_TXA, 0), STMT(RET_A, 0) };
    result("attach arithmetic", attach(sv[1], arith, 8));
    through(sv[0], sv[1], msgs, 3);

    /* X = 1, then the byte at X + 1: "hello"'s 'l' keeps it, others are dropped. */
    struct filter ind[] = { STMT(LDX_IMM, 1), STMT(LD_B_IND, 1), JUMP(JEQ_K, 'l', 0, 1), STMT(RET_K, 0xffff),
                            STMT(RET_K, 0) };
    result("attach indirect", attach(sv[1], ind, 5));
    through(sv[0], sv[1], msgs, 3);

    /* An ancillary load Linux knows (SKF_AD_PROTOCOL: 0 here) and one it does not. */
    struct filter anc[] = { STMT(LD_W_ABS, AD_OFF), JUMP(JEQ_K, 0, 0, 1), STMT(RET_K, 2), STMT(RET_K, 0) };
    result("attach protocol", attach(sv[1], anc, 4));
    through(sv[0], sv[1], msgs, 1);

    struct filter got[16];
    socklen_t len = 0;
    result("SO_GET_FILTER, len 0", getsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER_, got, &len));
    printf("  len %u\n", (unsigned) len);
    len = 3;
    result("SO_GET_FILTER, len 3", getsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER_, got, &len));
    len = 16;
    result("SO_GET_FILTER, len 16", getsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER_, got, &len));
    printf("  len %u, same %d\n", (unsigned) len, memcmp(got, anc, sizeof anc) == 0);

    result("SO_DETACH_FILTER", setsockopt(sv[1], SOL_SOCKET, SO_DETACH_FILTER_, &len, sizeof len));
    result("SO_DETACH_FILTER again", setsockopt(sv[1], SOL_SOCKET, SO_DETACH_FILTER_, &len, sizeof len));
    len = 16;
    result("SO_GET_FILTER of none", getsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER_, got, &len));
    printf("  len %u\n", (unsigned) len);
    through(sv[0], sv[1], msgs, 1);

    struct filter bad_code[] = { { 0x99, 0, 0, 0 }, STMT(RET_K, 0) };
    struct filter div0[] = { STMT(ALU_DIV_K, 0), STMT(RET_K, 0) };
    struct filter far[] = { JUMP(JEQ_K, 0, 5, 0), STMT(RET_K, 0) };
    struct filter no_ret[] = { STMT(LD_W_LEN, 0) };
    struct filter unset[] = { STMT(LD_MEM, 3), STMT(RET_A, 0) };
    struct filter big_st[] = { STMT(ST, 16), STMT(RET_A, 0) };
    struct filter bad_anc[] = { STMT(LD_B_ABS, AD_OFF + 2), STMT(RET_A, 0) };
    struct filter one_path[] = { JUMP(JEQ_K, 0, 0, 1), STMT(ST, 1), STMT(LD_MEM, 1), STMT(RET_A, 0) };
    result("unknown code", attach(sv[1], bad_code, 2));
    result("division by 0", attach(sv[1], div0, 2));
    result("jump past the end", attach(sv[1], far, 2));
    result("no ret last", attach(sv[1], no_ret, 1));
    result("scratch word never stored", attach(sv[1], unset, 2));
    result("scratch word 16", attach(sv[1], big_st, 2));
    result("unknown ancillary", attach(sv[1], bad_anc, 2));
    result("stored on one path only", attach(sv[1], one_path, 4));
    result("no instructions", attach(sv[1], cut, 0));
    result("4097 instructions", attach(sv[1], cut, 4097));
    result("NULL instructions", attach(sv[1], NULL, 1));
    result("bad instructions", attach(sv[1], (struct filter *) 16, 1));
    struct fprog p = { 1, cut };
    result("optlen 12", setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER_, &p, 12));
    int fd = 0;
    result("SO_ATTACH_BPF of stdin", setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_BPF_, &fd, sizeof fd));
    fd = 999;
    result("SO_ATTACH_BPF of 999", setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_BPF_, &fd, sizeof fd));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    result("SO_ATTACH_REUSEPORT_CBPF", setsockopt(u, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF_, &p, sizeof p));
    close(u);

    int on = 1, off = 0;
    result("attach ret 3", attach(sv[1], cut, 1));
    result("SO_LOCK_FILTER 1", setsockopt(sv[1], SOL_SOCKET, SO_LOCK_FILTER_, &on, sizeof on));
    socklen_t il = sizeof on;
    int v = -1;
    result("SO_LOCK_FILTER read", getsockopt(sv[1], SOL_SOCKET, SO_LOCK_FILTER_, &v, &il));
    printf("  %d\n", v);
    result("detach when locked", setsockopt(sv[1], SOL_SOCKET, SO_DETACH_FILTER_, &on, sizeof on));
    result("attach when locked", attach(sv[1], drop, 1));
    result("SO_LOCK_FILTER 0", setsockopt(sv[1], SOL_SOCKET, SO_LOCK_FILTER_, &off, sizeof off));
    through(sv[0], sv[1], msgs, 1);
    close(sv[0]);
    close(sv[1]);
}

/* recvmsg of one datagram: each control message's level, type and length, and whether its time is now. */
static void stamped(int a, int b) {
    send(a, "t", 1, 0);
    char data[8];
    union { struct cmsghdr align; char buf[256]; } control;
    struct iovec iov = { data, sizeof data };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    long r = recvmsg(b, &m, MSG_DONTWAIT);
    printf("  recvmsg = %ld, controllen %lu\n", r, (unsigned long) m.msg_controllen);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        printf("  cmsg level %d type %d len %lu", c->cmsg_level, c->cmsg_type, (unsigned long) c->cmsg_len);
        if (c->cmsg_level == SOL_SOCKET) {
            long long sec, now = time(NULL);
            memcpy(&sec, CMSG_DATA(c), sizeof sec);
            printf(", now %d\n", sec >= now - 10 && sec <= now + 10);
        } else {
            uint32_t group;
            memcpy(&group, CMSG_DATA(c), sizeof group);
            printf(", group %u\n", group);
        }
    }
}

static void readback(int fd, int name, const char *what) {
    int v = -2;
    socklen_t len = sizeof v;
    long r = getsockopt(fd, SOL_SOCKET, name, &v, &len);
    if (r < 0) {
        printf("  %s: -1 %s\n", what, err(errno));
    } else {
        printf("  %s: %d (len %u)\n", what, v, (unsigned) len);
    }
}

static void timestamps(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int names[] = { SO_TIMESTAMP, SO_TIMESTAMPNS, SO_TIMESTAMP_NEW_, SO_TIMESTAMPNS_NEW_ };
    int on = 1, off = 0;
    for (int i = 0; i < 4; i++) {
        printf("option %d on\n", names[i]);
        result("  setsockopt", setsockopt(sv[1], SOL_SOCKET, names[i], &on, sizeof on));
        for (int j = 0; j < 4; j++) {
            readback(sv[1], names[j], "read");
        }
        stamped(sv[0], sv[1]);
    }
    result("SO_TIMESTAMP off", setsockopt(sv[1], SOL_SOCKET, SO_TIMESTAMPNS_NEW_, &off, sizeof off));
    stamped(sv[0], sv[1]);
    int flags = 0x10 | 0x8; /* SOF_TIMESTAMPING_SOFTWARE | RX_SOFTWARE */
    result("SO_TIMESTAMPING", setsockopt(sv[1], SOL_SOCKET, SO_TIMESTAMPING_OLD_, &flags, sizeof flags));
    readback(sv[1], SO_TIMESTAMPING_OLD_, "read");
    flags = 1 << 30;
    result("SO_TIMESTAMPING unknown flag", setsockopt(sv[1], SOL_SOCKET, SO_TIMESTAMPING_OLD_, &flags, sizeof flags));
    flags = 1 << 16;
    result("SO_TIMESTAMPING OPT_ID_TCP alone", setsockopt(sv[1], SOL_SOCKET, SO_TIMESTAMPING_OLD_, &flags, sizeof flags));
    close(sv[0]);
    close(sv[1]);

    /* A stream takes the option and stamps nothing. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    result("stream SO_TIMESTAMP", setsockopt(sv[1], SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on));
    stamped(sv[0], sv[1]);
    close(sv[0]);
    close(sv[1]);
}

static void kept(void) {
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    int v;
    printf("kept options\n");
    readback(fd, SO_INCOMING_CPU_, "SO_INCOMING_CPU");
    v = 1;
    setsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU_, &v, sizeof v);
    readback(fd, SO_INCOMING_CPU_, "SO_INCOMING_CPU set 1");
    readback(fd, SO_BPF_EXTENSIONS_, "SO_BPF_EXTENSIONS");
    v = 50;
    result("SO_BUSY_POLL 50", setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_, &v, sizeof v));
    readback(fd, SO_BUSY_POLL_, "SO_BUSY_POLL");
    v = -1;
    result("SO_BUSY_POLL -1", setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_, &v, sizeof v));
    readback(fd, SO_MAX_PACING_RATE_, "SO_MAX_PACING_RATE");
    v = 1000;
    setsockopt(fd, SOL_SOCKET, SO_MAX_PACING_RATE_, &v, sizeof v);
    readback(fd, SO_MAX_PACING_RATE_, "SO_MAX_PACING_RATE set 1000");
    readback(fd, SO_BUF_LOCK_, "SO_BUF_LOCK");
    v = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
    readback(fd, SO_BUF_LOCK_, "SO_BUF_LOCK after SO_RCVBUF");
    v = 4;
    result("SO_BUF_LOCK 4", setsockopt(fd, SOL_SOCKET, SO_BUF_LOCK_, &v, sizeof v));
    v = 1;
    result("SO_BUF_LOCK 1", setsockopt(fd, SOL_SOCKET, SO_BUF_LOCK_, &v, sizeof v));
    readback(fd, SO_BUF_LOCK_, "SO_BUF_LOCK");
    readback(fd, SO_TXREHASH_, "SO_TXREHASH on AF_UNIX");
    readback(tcp, SO_TXREHASH_, "SO_TXREHASH on TCP");
    v = 0;
    result("SO_TXREHASH 0 on TCP", setsockopt(tcp, SOL_SOCKET, SO_TXREHASH_, &v, sizeof v));
    readback(tcp, SO_TXREHASH_, "SO_TXREHASH on TCP");
    v = 2;
    result("SO_TXREHASH 2 on TCP", setsockopt(tcp, SOL_SOCKET, SO_TXREHASH_, &v, sizeof v));
    v = 1;
    result("SO_ZEROCOPY on AF_UNIX", setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY_, &v, sizeof v));
    readback(fd, SO_PEERGROUPS_, "SO_PEERGROUPS unconnected");
    long long cookie;
    socklen_t len = 4;
    result("SO_NETNS_COOKIE len 4", getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE_, &cookie, &len));
    v = 0;
    result("SO_RESERVE_MEM 0", setsockopt(fd, SOL_SOCKET, SO_RESERVE_MEM_, &v, sizeof v));
    v = -1;
    result("SO_RESERVE_MEM -1", setsockopt(fd, SOL_SOCKET, SO_RESERVE_MEM_, &v, sizeof v));
    int txtime[2] = { CLOCK_MONOTONIC, 4 };
    result("SO_TXTIME bad flags", setsockopt(fd, SOL_SOCKET, SO_TXTIME_, txtime, sizeof txtime));
    txtime[1] = 2;
    result("SO_TXTIME", setsockopt(fd, SOL_SOCKET, SO_TXTIME_, txtime, sizeof txtime));
    int back[2] = { -1, -1 };
    len = sizeof back;
    result("SO_TXTIME read", getsockopt(fd, SOL_SOCKET, SO_TXTIME_, back, &len));
    printf("  clock %d flags %d len %u\n", back[0], back[1], (unsigned) len);
    v = -1;
    result("SO_BINDTOIFINDEX -1", setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX_, &v, sizeof v));
    v = 1;
    result("SO_BINDTOIFINDEX 1", setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX_, &v, sizeof v));
    readback(fd, SO_BINDTOIFINDEX_, "SO_BINDTOIFINDEX");
    close(fd);
    close(tcp);
}

static void protoname(int fd, const char *what) {
    char path[64], buf[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = getxattr(path, "system.sockprotoname", buf, sizeof buf);
    if (n < 0) {
        printf("  %s: -1 %s\n", what, err(errno));
    } else {
        printf("  %s: \"%.*s\" (%ld)\n", what, (int) n - 1, buf, n);
    }
    close(fd);
}

static void xattrs(void) {
    printf("system.sockprotoname\n");
    protoname(socket(AF_UNIX, SOCK_STREAM, 0), "unix stream");
    protoname(socket(AF_UNIX, SOCK_DGRAM, 0), "unix dgram");
    protoname(socket(AF_UNIX, SOCK_SEQPACKET, 0), "unix seqpacket");
    protoname(socket(16, SOCK_RAW, 0), "netlink");
    protoname(socket(AF_INET, SOCK_STREAM, 0), "tcp");
    protoname(socket(AF_INET, SOCK_DGRAM, 0), "udp");
    protoname(socket(AF_INET6, SOCK_STREAM, 0), "tcp6");
    protoname(socket(AF_INET6, SOCK_DGRAM, 0), "udp6");
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    char path[64], buf[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    result("size", getxattr(path, "system.sockprotoname", NULL, 0));
    result("3 bytes", getxattr(path, "system.sockprotoname", buf, 3));
    result("fgetxattr", fgetxattr(fd, "system.sockprotoname", buf, sizeof buf));
    result("user.x", getxattr(path, "user.x", buf, sizeof buf));
    long n = listxattr(path, buf, sizeof buf);
    printf("listxattr = %ld \"%s\"\n", n, n > 0 ? buf : "");
    result("flistxattr", flistxattr(fd, buf, sizeof buf));
    result("flistxattr size", flistxattr(fd, NULL, 0));
    result("flistxattr 5 bytes", flistxattr(fd, buf, 5));
    close(fd);
}

static void atmark(void) {
    printf("SIOCATMARK\n");
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    bind(l, (struct sockaddr *) &a, sizeof a);
    listen(l, 1);
    getsockname(l, (struct sockaddr *) &a, &alen);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *) &a, sizeof a);
    int s = accept(l, NULL, NULL);
    send(c, "abc", 3, 0);
    usleep(100000);
    int v = -1;
    result("tcp", ioctl(s, SIOCATMARK, &v));
    printf("  %d\n", v);
    result("tcp bad pointer", ioctl(s, SIOCATMARK, (int *) 16));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    result("udp", ioctl(u, SIOCATMARK, &v));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    v = -1;
    result("unix", ioctl(sv[0], SIOCATMARK, &v));
    printf("  %d\n", v);
    int nl = socket(16, SOCK_RAW, 0);
    result("netlink", ioctl(nl, SIOCATMARK, &v));
    result("SIOCSIFENCAP bad pointer", ioctl(u, 0x8926, (void *) 16));
    close(l), close(c), close(s), close(u), close(sv[0]), close(sv[1]), close(nl);
}

struct group_req_ { uint32_t interface; uint32_t pad; union { struct sockaddr_in in; char storage[128]; } group; };

static void groups(void) {
    printf("MCAST_JOIN_GROUP\n");
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct group_req_ g = { 0 };
    g.group.in.sin_family = AF_INET;
    g.group.in.sin_addr.s_addr = inet_addr("224.0.0.3");
    result("short", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP_, &g, sizeof g - 1));
    result("join", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP_, &g, sizeof g));
    result("join again", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP_, &g, sizeof g));
    result("leave", setsockopt(u, IPPROTO_IP, MCAST_LEAVE_GROUP_, &g, sizeof g));
    result("leave again", setsockopt(u, IPPROTO_IP, MCAST_LEAVE_GROUP_, &g, sizeof g));
    g.group.in.sin_family = AF_INET6;
    result("AF_INET6 group", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP_, &g, sizeof g));
    result("at SOL_IPV6", setsockopt(u, IPPROTO_IPV6, MCAST_JOIN_GROUP_, &g, sizeof g));
    close(u);
}

struct nl_hdr { uint32_t len; uint16_t type, flags; uint32_t seq, pid; };

static void netlink(void) {
    printf("netlink\n");
    int fd = socket(16, SOCK_RAW, 0);
    int on = 1;
    result("NETLINK_PKTINFO", setsockopt(fd, SOL_NETLINK_, NETLINK_PKTINFO_, &on, sizeof on));
    int v = -1;
    socklen_t len = sizeof v;
    result("NETLINK_PKTINFO read", getsockopt(fd, SOL_NETLINK_, NETLINK_PKTINFO_, &v, &len));
    printf("  %d\n", v);
    struct nl_hdr h = { sizeof h, 1 /* NLMSG_NOOP */, 1 | 4 /* REQUEST | ACK */, 7, 0 };
    send(fd, &h, sizeof h, 0);
    stamped(fd, fd);
    uint32_t groups[4] = { 0 };
    len = 0;
    result("LIST_MEMBERSHIPS before any", getsockopt(fd, SOL_NETLINK_, NETLINK_LIST_MEMBERSHIPS_, groups, &len));
    printf("  len %u\n", (unsigned) len);
    int group = 1;
    setsockopt(fd, SOL_NETLINK_, NETLINK_ADD_MEMBERSHIP_, &group, sizeof group);
    len = 0;
    result("LIST_MEMBERSHIPS len 0", getsockopt(fd, SOL_NETLINK_, NETLINK_LIST_MEMBERSHIPS_, groups, &len));
    printf("  len %u\n", (unsigned) len);
    len = 5;
    result("LIST_MEMBERSHIPS len 5", getsockopt(fd, SOL_NETLINK_, NETLINK_LIST_MEMBERSHIPS_, groups, &len));
    printf("  len %u, first %u\n", (unsigned) len, groups[0]);
    len = 8;
    result("LIST_MEMBERSHIPS bad pointer", getsockopt(fd, SOL_NETLINK_, NETLINK_LIST_MEMBERSHIPS_, (void *) 16, &len));
    printf("  len %u\n", (unsigned) len);

    /* The filter applies to the kernel's answers: dropped, then cut to 20 bytes. */
    struct filter drop[] = { STMT(RET_K, 0) };
    struct filter cut[] = { STMT(RET_K, 20) };
    char buf[256];
    result("attach ret 0", attach(fd, drop, 1));
    send(fd, &h, sizeof h, 0);
    result("  recv", recv(fd, buf, sizeof buf, MSG_DONTWAIT));
    result("attach ret 20", attach(fd, cut, 1));
    send(fd, &h, sizeof h, 0);
    result("  recv", recv(fd, buf, sizeof buf, MSG_DONTWAIT));
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    filters();
    timestamps();
    kept();
    xattrs();
    atmark();
    groups();
    netlink();
    return 0;
}
