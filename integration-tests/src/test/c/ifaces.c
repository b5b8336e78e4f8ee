/*
 * Network interfaces as a program sees them: if_nameindex, if_nametoindex, getifaddrs, the SIOCGIF*
 * ioctls (on AF_UNIX and AF_NETLINK sockets), SIOCGIFCONF, and NETLINK_ROUTE itself: socket and bind
 * errors, nl_pid, dumps of links, addresses and routes (rtgenmsg and ifinfomsg requests, NLM_F_ACK),
 * acks and errors, MSG_PEEK|MSG_TRUNC, a short buffer, poll. Meant for a network namespace that has
 * only lo, brought up (`unshare -n`), where the answers are deterministic.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netpacket/packet.h>

/* linux/netlink.h and linux/rtnetlink.h, which musl's headers lack: the parts used here. */
struct sockaddr_nl {
    unsigned short nl_family;
    unsigned short nl_pad;
    unsigned nl_pid;
    unsigned nl_groups;
};
struct nlmsghdr {
    unsigned nlmsg_len;
    unsigned short nlmsg_type;
    unsigned short nlmsg_flags;
    unsigned nlmsg_seq;
    unsigned nlmsg_pid;
};
struct nlmsgerr {
    int error;
    struct nlmsghdr msg;
};
struct rtattr {
    unsigned short rta_len;
    unsigned short rta_type;
};
struct rtgenmsg {
    unsigned char rtgen_family;
};
struct ifinfomsg {
    unsigned char ifi_family, __ifi_pad;
    unsigned short ifi_type;
    int ifi_index;
    unsigned ifi_flags, ifi_change;
};
struct ifaddrmsg {
    unsigned char ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
    unsigned ifa_index;
};
struct rtmsg {
    unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol, rtm_scope, rtm_type;
    unsigned rtm_flags;
};
struct ifa_cacheinfo {
    unsigned ifa_prefered, ifa_valid, cstamp, tstamp;
};
struct rtnl_link_stats {
    unsigned rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors;
};
#define NETLINK_ROUTE 0
#define NLMSG_NOOP 1
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define NLM_F_REQUEST 1
#define NLM_F_ACK 4
#define NLM_F_DUMP 0x300
#define NLMSG_ALIGN(len) (((len) + 3) & ~3)
#define NLMSG_LENGTH(len) ((len) + 16)
#define NLMSG_DATA(h) ((void *) ((char *) (h) + 16))
#define NLMSG_OK(h, len) ((len) >= 16 && (h)->nlmsg_len >= 16 && (h)->nlmsg_len <= (unsigned) (len))
#define NLMSG_NEXT(h, len) ((len) -= NLMSG_ALIGN((h)->nlmsg_len), (struct nlmsghdr *) ((char *) (h) + NLMSG_ALIGN((h)->nlmsg_len)))
#define RTA_ALIGN(len) (((len) + 3) & ~3)
#define RTA_OK(a, len) ((len) >= (int) sizeof(struct rtattr) && (a)->rta_len >= sizeof(struct rtattr) && (a)->rta_len <= (len))
#define RTA_NEXT(a, len) ((len) -= RTA_ALIGN((a)->rta_len), (struct rtattr *) ((char *) (a) + RTA_ALIGN((a)->rta_len)))
#define RTA_DATA(a) ((void *) ((char *) (a) + 4))
#define RTA_PAYLOAD(a) ((int) (a)->rta_len - 4)
#define BODY_ATTRS(h, T) ((struct rtattr *) ((char *) NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(T))))
#define BODY_LEN(h, T) ((int) (h)->nlmsg_len - 16 - NLMSG_ALIGN(sizeof(T)))
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_GETADDR 22
#define RTM_NEWROUTE 24
#define RTM_GETROUTE 26
enum { IFLA_ADDRESS = 1, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU, IFLA_STATS = 7, IFLA_TXQLEN = 13,
       IFLA_OPERSTATE = 16, IFLA_LINKMODE, IFLA_STATS64 = 23, IFLA_PROMISCUITY = 30, IFLA_CARRIER = 33,
       IFLA_QDISC = 6, IFLA_GROUP = 27 };
enum { IFA_ADDRESS = 1, IFA_LOCAL, IFA_LABEL, IFA_BROADCAST, IFA_CACHEINFO = 6, IFA_FLAGS = 8 };
enum { RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7, RTA_TABLE = 15, RTA_PREF = 20 };

#ifndef SIOCGIFTXQLEN
#define SIOCGIFTXQLEN 0x8942
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static const char *ntop(const struct sockaddr *sa, char *buf, size_t n) {
    if (sa == NULL) {
        return "-";
    }
    if (sa->sa_family == AF_INET) {
        return inet_ntop(AF_INET, &((const struct sockaddr_in *) sa)->sin_addr, buf, n);
    }
    if (sa->sa_family == AF_INET6) {
        return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *) sa)->sin6_addr, buf, n);
    }
    if (sa->sa_family == AF_PACKET) {
        const struct sockaddr_ll *ll = (const struct sockaddr_ll *) sa;
        int at = snprintf(buf, n, "ll ifindex %d hatype %d halen %d", ll->sll_ifindex, ll->sll_hatype, ll->sll_halen);
        for (int i = 0; i < ll->sll_halen && at + 3 < (int) n; i++) {
            at += snprintf(buf + at, n - at, "%s%02x", i ? ":" : " ", ll->sll_addr[i]);
        }
        return buf;
    }
    snprintf(buf, n, "family %d", sa->sa_family);
    return buf;
}

static void nameindex(void) {
    struct if_nameindex *all = if_nameindex();
    if (all == NULL) {
        show("if_nameindex", -1);
        return;
    }
    for (struct if_nameindex *i = all; i->if_index != 0; i++) {
        printf("if_nameindex %u %s\n", i->if_index, i->if_name);
    }
    if_freenameindex(all);
    printf("if_nametoindex lo = %u\n", if_nametoindex("lo"));
    errno = 0;
    unsigned none = if_nametoindex("nope0");
    printf("if_nametoindex nope0 = %u %s\n", none, strerror(errno));
    char name[IF_NAMESIZE];
    printf("if_indextoname 1 = %s\n", if_indextoname(1, name) ? name : "NULL");
    errno = 0;
    char *missing = if_indextoname(99, name);
    printf("if_indextoname 99 = %s %s\n", missing ? name : "NULL", strerror(errno));
}

static void ifaddrs(void) {
    struct ifaddrs *all;
    if (getifaddrs(&all) != 0) {
        show("getifaddrs", -1);
        return;
    }
    char a[128], m[128], b[128];
    for (struct ifaddrs *i = all; i != NULL; i = i->ifa_next) {
        int family = i->ifa_addr ? i->ifa_addr->sa_family : -1;
        printf("getifaddrs %s family %d flags 0x%x addr %s netmask %s %s %s data %s\n", i->ifa_name, family,
               i->ifa_flags, ntop(i->ifa_addr, a, sizeof a), ntop(i->ifa_netmask, m, sizeof m),
               (i->ifa_flags & IFF_POINTOPOINT) ? "dst" : "brd", ntop(i->ifa_broadaddr, b, sizeof b),
               i->ifa_data ? "yes" : "no");
        if (family == AF_PACKET && i->ifa_data) {
            struct rtnl_link_stats *st = i->ifa_data;
            printf("  stats rx_errors %u tx_errors %u\n", st->rx_errors, st->tx_errors);
        }
    }
    freeifaddrs(all);
}

static void ifreq_ioctl(int fd, const char *what, unsigned long request, const char *name) {
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strncpy(r.ifr_name, name, sizeof r.ifr_name);
    if (request == SIOCGIFNAME) {
        r.ifr_ifindex = strcmp(name, "lo") == 0 ? 1 : 99;
        memset(r.ifr_name, 'x', sizeof r.ifr_name);
    }
    int rc = ioctl(fd, request, &r);
    printf("  %s %s = %d%s%s", what, name, rc, rc ? " " : "", rc ? strerror(errno) : "");
    if (rc == 0) {
        printf(" ifreq");
        const unsigned char *p = (const unsigned char *) &r;
        for (size_t i = 0; i < sizeof r; i++) {
            printf("%s%02x", i % 8 ? "" : " ", p[i]);
        }
    }
    printf("\n");
}

static void sioc(const char *family, int fd) {
    printf("SIOCGIF* on %s\n", family);
    const char *names[] = {"lo", "nope0"};
    for (int n = 0; n < 2; n++) {
        ifreq_ioctl(fd, "SIOCGIFFLAGS", SIOCGIFFLAGS, names[n]);
        ifreq_ioctl(fd, "SIOCGIFINDEX", SIOCGIFINDEX, names[n]);
        ifreq_ioctl(fd, "SIOCGIFNAME", SIOCGIFNAME, names[n]);
        ifreq_ioctl(fd, "SIOCGIFMTU", SIOCGIFMTU, names[n]);
        ifreq_ioctl(fd, "SIOCGIFHWADDR", SIOCGIFHWADDR, names[n]);
        ifreq_ioctl(fd, "SIOCGIFMETRIC", SIOCGIFMETRIC, names[n]);
        ifreq_ioctl(fd, "SIOCGIFMAP", SIOCGIFMAP, names[n]);
        ifreq_ioctl(fd, "SIOCGIFTXQLEN", SIOCGIFTXQLEN, names[n]);
        ifreq_ioctl(fd, "SIOCGIFADDR", SIOCGIFADDR, names[n]);
        ifreq_ioctl(fd, "SIOCGIFNETMASK", SIOCGIFNETMASK, names[n]);
        ifreq_ioctl(fd, "SIOCGIFBRDADDR", SIOCGIFBRDADDR, names[n]);
        ifreq_ioctl(fd, "SIOCGIFDSTADDR", SIOCGIFDSTADDR, names[n]);
    }
    ifreq_ioctl(fd, "SIOCGIFFLAGS", SIOCGIFFLAGS, "lo:1");
    ifreq_ioctl(fd, "SIOCGIFFLAGS", SIOCGIFFLAGS, "");
    ifreq_ioctl(fd, "0x89ff", 0x89ff, "lo");
    show("  SIOCGIFFLAGS bad pointer", ioctl(fd, SIOCGIFFLAGS, (void *) 8));

    struct ifconf c = {0};
    c.ifc_buf = NULL;
    show("  SIOCGIFCONF NULL", ioctl(fd, SIOCGIFCONF, &c));
    printf("  ifc_len %d\n", c.ifc_len);
    struct ifreq reqs[4];
    memset(reqs, 0x55, sizeof reqs);
    c.ifc_len = sizeof reqs;
    c.ifc_req = reqs;
    show("  SIOCGIFCONF", ioctl(fd, SIOCGIFCONF, &c));
    printf("  ifc_len %d\n", c.ifc_len);
    for (int i = 0; i < c.ifc_len / (int) sizeof(struct ifreq); i++) {
        char a[64];
        printf("  ifconf %s %s\n", reqs[i].ifr_name, ntop(&reqs[i].ifr_addr, a, sizeof a));
    }
    c.ifc_len = sizeof(struct ifreq) - 1;
    show("  SIOCGIFCONF short", ioctl(fd, SIOCGIFCONF, &c));
    printf("  ifc_len %d\n", c.ifc_len);
    c.ifc_len = sizeof reqs;
    c.ifc_buf = (void *) 8;
    show("  SIOCGIFCONF bad buffer", ioctl(fd, SIOCGIFCONF, &c));
}

/* ---- raw netlink ---- */

static int my_pid;
static unsigned seq = 100;

static int request(int fd, int type, int flags, const void *body, size_t len) {
    struct {
        struct nlmsghdr h;
        char body[256];
    } m;
    memset(&m, 0, sizeof m);
    m.h.nlmsg_len = NLMSG_LENGTH(len);
    m.h.nlmsg_type = type;
    m.h.nlmsg_flags = flags;
    m.h.nlmsg_seq = ++seq;
    memcpy(m.body, body, len);
    struct sockaddr_nl to = {.nl_family = AF_NETLINK};
    return sendto(fd, &m, m.h.nlmsg_len, 0, (struct sockaddr *) &to, sizeof to);
}

/* The attributes a test looks at, printed by type (kernels differ in the order they put them). */
static char slot[64][128];

#define put(...) snprintf(slot[a->rta_type & 63], sizeof slot[0], __VA_ARGS__)

static void attrs(struct rtattr *a, int len, int type) {
    memset(slot, 0, sizeof slot);
    for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        void *d = RTA_DATA(a);
        int n = RTA_PAYLOAD(a);
        char buf[64];
        if (type == RTM_NEWLINK) {
            switch (a->rta_type) {
            case IFLA_IFNAME: put(" name=%s", (char *) d); break;
            case IFLA_MTU: put(" mtu=%u", *(unsigned *) d); break;
            case IFLA_TXQLEN: put(" txqlen=%u", *(unsigned *) d); break;
            case IFLA_OPERSTATE: put(" operstate=%u", *(unsigned char *) d); break;
            case IFLA_LINKMODE: put(" linkmode=%u", *(unsigned char *) d); break;
            case IFLA_GROUP: put(" group=%u", *(unsigned *) d); break;
            case IFLA_QDISC: put(" qdisc=%s", (char *) d); break;
            case IFLA_PROMISCUITY: put(" promiscuity=%u", *(unsigned *) d); break;
            case IFLA_CARRIER: put(" carrier=%u", *(unsigned char *) d); break;
            case IFLA_ADDRESS:
            case IFLA_BROADCAST: {
                char hex[64] = "";
                for (int i = 0; i < n && i < 20; i++) {
                    snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%s%02x", i ? ":" : "", ((unsigned char *) d)[i]);
                }
                put(" %s=%s", a->rta_type == IFLA_ADDRESS ? "address" : "broadcast", hex);
                break;
            }
            case IFLA_STATS: put(" stats(%d)", n); break;
            case IFLA_STATS64: put(" stats64(%d)", n); break;
            }
        } else if (type == RTM_NEWADDR) {
            int family = n == 4 ? AF_INET : AF_INET6;
            switch (a->rta_type) {
            case IFA_ADDRESS: put(" address=%s", inet_ntop(family, d, buf, sizeof buf)); break;
            case IFA_LOCAL: put(" local=%s", inet_ntop(family, d, buf, sizeof buf)); break;
            case IFA_BROADCAST: put(" broadcast=%s", inet_ntop(family, d, buf, sizeof buf)); break;
            case IFA_LABEL: put(" label=%s", (char *) d); break;
            case IFA_FLAGS: put(" flags=0x%x", *(unsigned *) d); break;
            case IFA_CACHEINFO: {
                struct ifa_cacheinfo *ci = d;
                put(" cacheinfo(preferred=%u valid=%u)", ci->ifa_prefered, ci->ifa_valid);
                break;
            }
            }
        } else if (type == RTM_NEWROUTE) {
            int family = n == 4 ? AF_INET : AF_INET6;
            switch (a->rta_type) {
            case RTA_TABLE: put(" table=%u", *(unsigned *) d); break;
            case RTA_DST: put(" dst=%s", inet_ntop(family, d, buf, sizeof buf)); break;
            case RTA_PREFSRC: put(" prefsrc=%s", inet_ntop(family, d, buf, sizeof buf)); break;
            case RTA_GATEWAY: put(" gateway=%s", inet_ntop(family, d, buf, sizeof buf)); break;
            case RTA_OIF: put(" oif=%u", *(unsigned *) d); break;
            case RTA_PRIORITY: put(" priority=%u", *(unsigned *) d); break;
            case RTA_PREF: put(" pref=%u", *(unsigned char *) d); break;
            }
        }
    }
#undef put
    for (int i = 0; i < 64; i++) {
        fputs(slot[i], stdout);
    }
}

/* Receives replies until NLMSG_DONE, an error or nothing more; prints each message. */
static void replies(int fd, const char *what) {
    printf("%s\n", what);
    char buf[65536];
    for (int datagrams = 0; datagrams < 20; datagrams++) {
        struct sockaddr_nl from;
        struct iovec iov = {buf, sizeof buf};
        struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
        int n = recvmsg(fd, &mh, MSG_DONTWAIT);
        if (n < 0) {
            show("  recvmsg", n);
            return;
        }
        /* Kernels differ in which datagram the NLMSG_DONE comes in: the sender of the first is shown. */
        if (datagrams == 0) {
            printf("  from pid %u groups %u namelen %d flags 0x%x\n", from.nl_pid, from.nl_groups, mh.msg_namelen,
                   mh.msg_flags);
        }
        int end = 0;
        for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            printf("    type %d flags 0x%x seq %u pid %s len %s", h->nlmsg_type, h->nlmsg_flags, h->nlmsg_seq,
                   (int) h->nlmsg_pid == my_pid ? "mine" : "other", h->nlmsg_len > 16 ? ">16" : "16");
            if (h->nlmsg_type == NLMSG_DONE) {
                printf(" done %d", *(int *) NLMSG_DATA(h));
                if (h->nlmsg_flags & 0x200) {
                    struct rtattr *tlv = (struct rtattr *) ((char *) NLMSG_DATA(h) + 4);
                    printf(" tlv %d \"%s\"", tlv->rta_type, (char *) RTA_DATA(tlv));
                }
                printf("\n");
                end = 1;
                continue;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *e = NLMSG_DATA(h);
                printf(" error %d (%s) len %u, request type %d len %u seq %u", e->error, strerror(-e->error),
                       h->nlmsg_len, e->msg.nlmsg_type, e->msg.nlmsg_len, e->msg.nlmsg_seq);
                if (h->nlmsg_flags & 0x200) {
                    int at = (h->nlmsg_flags & 0x100) ? 16 + 20 : 16 + 4 + NLMSG_ALIGN(e->msg.nlmsg_len);
                    struct rtattr *tlv = (struct rtattr *) ((char *) h + at);
                    printf(" tlv %d \"%s\"", tlv->rta_type, (char *) RTA_DATA(tlv));
                }
                printf("\n");
                end = 1;
                continue;
            }
            if (h->nlmsg_type == RTM_NEWLINK) {
                struct ifinfomsg *i = NLMSG_DATA(h);
                printf(" link family %d type %d index %d flags 0x%x change 0x%x", i->ifi_family, i->ifi_type,
                       i->ifi_index, i->ifi_flags, i->ifi_change);
                attrs(BODY_ATTRS(h, struct ifinfomsg), BODY_LEN(h, struct ifinfomsg), h->nlmsg_type);
            } else if (h->nlmsg_type == RTM_NEWADDR) {
                struct ifaddrmsg *i = NLMSG_DATA(h);
                printf(" addr family %d prefixlen %d flags 0x%x scope %d index %d", i->ifa_family, i->ifa_prefixlen,
                       i->ifa_flags, i->ifa_scope, i->ifa_index);
                attrs(BODY_ATTRS(h, struct ifaddrmsg), BODY_LEN(h, struct ifaddrmsg), h->nlmsg_type);
            } else if (h->nlmsg_type == RTM_NEWROUTE) {
                struct rtmsg *r = NLMSG_DATA(h);
                printf(" route family %d dst_len %d src_len %d tos %d table %d protocol %d scope %d type %d flags 0x%x",
                       r->rtm_family, r->rtm_dst_len, r->rtm_src_len, r->rtm_tos, r->rtm_table, r->rtm_protocol,
                       r->rtm_scope, r->rtm_type, r->rtm_flags);
                attrs(BODY_ATTRS(h, struct rtmsg), BODY_LEN(h, struct rtmsg), h->nlmsg_type);
            }
            printf("\n");
        }
        if (end) {
            return;
        }
    }
}

static void dump(int fd, const char *what, int type, int flags, const void *body, size_t len) {
    show(what, request(fd, type, flags, body, len));
    replies(fd, what);
}

static void netlink(void) {
    show("socket NETLINK_ROUTE stream", socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
    show("socket NETLINK_ROUTE seqpacket", socket(AF_NETLINK, SOCK_SEQPACKET, NETLINK_ROUTE));
    show("socket netlink protocol 32", socket(AF_NETLINK, SOCK_RAW, 32));
    show("socket netlink protocol -1", socket(AF_NETLINK, SOCK_RAW, -1));

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    printf("socket NETLINK_ROUTE raw %s\n", fd >= 0 ? "ok" : strerror(errno));
    int dg = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
    printf("socket NETLINK_ROUTE dgram %s\n", dg >= 0 ? "ok" : strerror(errno));
    struct sockaddr_nl a;
    socklen_t len = sizeof a;
    memset(&a, 0x55, sizeof a);
    show("getsockname unbound", getsockname(fd, (struct sockaddr *) &a, &len));
    printf("  family %d pid %u groups %u len %u\n", a.nl_family, a.nl_pid, a.nl_groups, len);
    len = sizeof a;
    show("getpeername", getpeername(fd, (struct sockaddr *) &a, &len));
    printf("  family %d pid %u groups %u len %u\n", a.nl_family, a.nl_pid, a.nl_groups, len);

    struct sockaddr_nl me = {.nl_family = AF_NETLINK};
    show("bind short", bind(fd, (struct sockaddr *) &me, sizeof me - 1));
    me.nl_family = AF_UNIX;
    show("bind AF_UNIX", bind(fd, (struct sockaddr *) &me, sizeof me));
    me.nl_family = AF_NETLINK;
    show("bind", bind(fd, (struct sockaddr *) &me, sizeof me));
    len = sizeof a;
    show("getsockname", getsockname(fd, (struct sockaddr *) &a, &len));
    my_pid = a.nl_pid;
    printf("  pid is getpid: %s len %u\n", (int) a.nl_pid == getpid() ? "yes" : "no", len);
    show("bind again other pid", bind(fd, (struct sockaddr *) &me, sizeof me));
    me.nl_pid = my_pid;
    show("bind again same pid", bind(fd, (struct sockaddr *) &me, sizeof me));
    struct sockaddr_nl taken = {.nl_family = AF_NETLINK, .nl_pid = my_pid};
    show("bind dgram to a taken pid", bind(dg, (struct sockaddr *) &taken, sizeof taken));
    show("connect dgram to kernel", connect(dg, (struct sockaddr *) &(struct sockaddr_nl){.nl_family = AF_NETLINK},
                                            sizeof(struct sockaddr_nl)));
    len = sizeof a;
    show("getsockname autobound", getsockname(dg, (struct sockaddr *) &a, &len));
    printf("  pid negative: %s\n", (int) a.nl_pid < 0 ? "yes" : "no");

    int one = 1;
    show("NETLINK_EXT_ACK", setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one));
    int v = -1;
    len = sizeof v;
    show("get NETLINK_EXT_ACK", getsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &v, &len));
    printf("  value %d len %u\n", v, len);
    show("NETLINK_GET_STRICT_CHK short", setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, 2));
    show("SOL_NETLINK 99", setsockopt(fd, SOL_NETLINK, 99, &one, sizeof one));
    len = sizeof v;
    show("SO_PROTOCOL", getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len));
    printf("  value %d\n", v);
    show("FIONREAD", ioctl(fd, FIONREAD, &v));

    struct pollfd p = {fd, POLLIN | POLLOUT, 0};
    int ready = poll(&p, 1, 0);
    printf("poll idle %d revents 0x%x\n", ready, p.revents);
    char small[16];
    show("recv nothing", recv(fd, small, sizeof small, MSG_DONTWAIT));

    struct rtgenmsg g = {.rtgen_family = AF_UNSPEC};
    show("RTM_GETLINK dump rtgenmsg", request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &g, sizeof g));
    ready = poll(&p, 1, 0);
    printf("poll ready %d revents 0x%x\n", ready, p.revents);
    long whole = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
    printf("peek trunc length %s\n", whole > 100 ? ">100" : "small");
    char big[65536];
    long got = recv(fd, big, sizeof big, MSG_PEEK);
    printf("peek same %s\n", got == whole ? "yes" : "no");
    replies(fd, "RTM_GETLINK dump rtgenmsg");

    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    dump(fd, "RTM_GETLINK dump ifinfomsg ack", RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, &ifi, sizeof ifi);
    ifi.ifi_index = 1;
    dump(fd, "RTM_GETLINK lo ack", RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi, sizeof ifi);
    ifi.ifi_index = 99;
    dump(fd, "RTM_GETLINK 99", RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof ifi);

    g.rtgen_family = AF_UNSPEC;
    dump(fd, "RTM_GETADDR dump unspec", RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &g, sizeof g);
    g.rtgen_family = AF_INET;
    dump(fd, "RTM_GETADDR dump inet", RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &g, sizeof g);
    struct ifaddrmsg ifa = {.ifa_family = AF_INET6};
    dump(fd, "RTM_GETADDR dump inet6 ifaddrmsg", RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa, sizeof ifa);
    struct rtmsg rt = {.rtm_family = AF_INET};
    dump(fd, "RTM_GETROUTE dump inet", RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rt, sizeof rt);
    rt.rtm_family = AF_INET6;
    dump(fd, "RTM_GETROUTE dump inet6", RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rt, sizeof rt);

    dump(fd, "type 200 ack", 200, NLM_F_REQUEST | NLM_F_ACK, &g, sizeof g);
    dump(fd, "type 200", 200, NLM_F_REQUEST, &g, sizeof g);
    dump(fd, "NLMSG_NOOP ack", NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, &g, sizeof g);
    dump(fd, "no NLM_F_REQUEST ack", RTM_GETLINK, NLM_F_ACK, &g, sizeof g);
    dump(fd, "no NLM_F_REQUEST", RTM_GETLINK, 0, &g, sizeof g);
    dump(fd, "empty RTM_GETLINK ack", RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, NULL, 0);

    show("NETLINK_GET_STRICT_CHK", setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one));
    ifi.ifi_index = 1;
    dump(fd, "strict RTM_GETLINK dump by index", RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &ifi, sizeof ifi);
    ifa.ifa_index = 1;
    ifa.ifa_family = AF_UNSPEC;
    dump(fd, "strict RTM_GETADDR dump of lo", RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa, sizeof ifa);
    ifa.ifa_index = 99;
    dump(fd, "strict RTM_GETADDR dump of 99", RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa, sizeof ifa);
    dump(fd, "strict RTM_GETLINK rtgenmsg", RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &g, sizeof g);
    ifi.ifi_index = 0;
    ifi.ifi_type = 1;
    dump(fd, "strict RTM_GETLINK bad header", RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi, sizeof ifi);
    show("NETLINK_CAP_ACK", setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one));
    dump(fd, "capped RTM_GETLINK bad header", RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi, sizeof ifi);

    show("RTM_GETLINK dump again", request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &g, sizeof g));
    got = recv(fd, small, sizeof small, 0);
    printf("short recv %ld\n", got);
    struct iovec iov = {big, 16};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    show("short recvmsg trunc", recvmsg(fd, &mh, MSG_TRUNC | MSG_DONTWAIT));
    printf("  msg_flags 0x%x\n", mh.msg_flags);

    /* Two dumps at once: the second is EBUSY while the first has not given its NLMSG_DONE. */
    int fresh = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    g.rtgen_family = AF_UNSPEC;
    request(fresh, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &g, sizeof g);
    request(fresh, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &g, sizeof g);
    printf("two dumps at once:");
    for (;;) {
        long n = recv(fresh, big, sizeof big, MSG_DONTWAIT);
        if (n < 0) {
            printf(" then %s\n", strerror(errno));
            break;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) big; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            printf(" [type %d seq %+d%s]", h->nlmsg_type, (int) (h->nlmsg_seq - seq),
                   h->nlmsg_type == NLMSG_ERROR ? (((struct nlmsgerr *) NLMSG_DATA(h))->error == -EBUSY ? " EBUSY" : " ?")
                                                : "");
        }
    }
    /* A flood of requests nobody reads: the queue stays bounded and the socket reports the overrun. */
    ifi.ifi_index = 1;
    ifi.ifi_type = 0;
    for (int i = 0; i < 1000; i++) {
        request(fresh, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof ifi);
    }
    show("recv after a flood", recv(fresh, big, sizeof big, MSG_DONTWAIT));
    int drained = 0;
    while (recv(fresh, big, sizeof big, MSG_DONTWAIT) > 0) {
        drained++;
    }
    printf("drained some, not all: %s, then %s\n", drained > 0 && drained < 1000 ? "yes" : "no", strerror(errno));
    close(fresh);

    struct sockaddr_nl nobody = {.nl_family = AF_NETLINK, .nl_pid = 0x7ffffff0};
    show("sendto an unknown pid", sendto(fd, &g, sizeof g, 0, (struct sockaddr *) &nobody, sizeof nobody));
    show("sendto empty", sendto(fd, big, 0, 0, NULL, 0));
    show("send MSG_OOB", send(fd, &g, sizeof g, MSG_OOB));
    close(dg);
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    nameindex();
    ifaddrs();
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    sioc("AF_UNIX", u);
    close(u);
    int n = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    sioc("AF_NETLINK", n);
    close(n);
    netlink();
    return 0;
}
