/*
 * Name lookups as a program makes them: getaddrinfo with several hints (families, socket types,
 * AI_ADDRCONFIG, AI_CANONNAME, AI_NUMERICHOST, AI_PASSIVE, services by name and number),
 * getnameinfo and gethostbyname, for each name given as an argument. The libc answers from
 * /etc/hosts, /etc/services and the DNS servers of /etc/resolv.conf; errors are printed with
 * gai_strerror, so the output differs between libcs but not between runs of one binary. With
 * --hosts first, only lookups that a name of /etc/hosts answers without any DNS query.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const char *family(int f) {
    return f == AF_INET ? "inet" : f == AF_INET6 ? "inet6" : f == AF_UNSPEC ? "unspec" : "?";
}

static const char *socktype(int t) {
    return t == SOCK_STREAM ? "stream" : t == SOCK_DGRAM ? "dgram" : t == SOCK_RAW ? "raw" : t == 0 ? "any" : "?";
}

static void address(const struct sockaddr *sa, char *out, size_t size) {
    char host[INET6_ADDRSTRLEN];
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        snprintf(out, size, "%s:%d", host, ntohs(in->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        snprintf(out, size, "[%s]:%d scope %u", host, ntohs(in6->sin6_port), in6->sin6_scope_id);
    } else {
        snprintf(out, size, "family %d", sa->sa_family);
    }
}

static void lookup(const char *name, const char *service, int fam, int type, int flags) {
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = fam;
    hints.ai_socktype = type;
    hints.ai_flags = flags;
    printf("getaddrinfo(%s, %s, %s, %s, flags 0x%x):", name ? name : "NULL", service ? service : "NULL",
           family(fam), socktype(type), flags);
    int r = getaddrinfo(name, service, &hints, &res);
    if (r != 0) {
        printf(" %s\n", gai_strerror(r));
        return;
    }
    printf("\n");
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        char where[128];
        address(ai->ai_addr, where, sizeof where);
        printf("  %s %s proto %d len %u %s", family(ai->ai_family), socktype(ai->ai_socktype), ai->ai_protocol,
               (unsigned) ai->ai_addrlen, where);
        if (ai->ai_canonname) {
            printf(" canon %s", ai->ai_canonname);
        }
        printf("\n");
    }
    freeaddrinfo(res);
}

static void reverse(const char *numeric, int flags) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (inet_pton(AF_INET, numeric, &((struct sockaddr_in *) &ss)->sin_addr) == 1) {
        ((struct sockaddr_in *) &ss)->sin_family = AF_INET;
        ((struct sockaddr_in *) &ss)->sin_port = htons(22);
        len = sizeof(struct sockaddr_in);
    } else if (inet_pton(AF_INET6, numeric, &((struct sockaddr_in6 *) &ss)->sin6_addr) == 1) {
        ((struct sockaddr_in6 *) &ss)->sin6_family = AF_INET6;
        ((struct sockaddr_in6 *) &ss)->sin6_port = htons(22);
        len = sizeof(struct sockaddr_in6);
    } else {
        return;
    }
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int r = getnameinfo((struct sockaddr *) &ss, len, host, sizeof host, serv, sizeof serv, flags);
    if (r != 0) {
        printf("getnameinfo(%s, flags 0x%x): %s\n", numeric, flags, gai_strerror(r));
    } else {
        printf("getnameinfo(%s, flags 0x%x): %s %s\n", numeric, flags, host, serv);
    }
}

static void byname(const char *name) {
    struct hostent *h = gethostbyname(name);
    if (!h) {
        printf("gethostbyname(%s): h_errno %d\n", name, h_errno);
        return;
    }
    printf("gethostbyname(%s): %s, %s, length %d:", name, h->h_name, family(h->h_addrtype), h->h_length);
    for (char **a = h->h_addr_list; *a; a++) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(h->h_addrtype, *a, text, sizeof text);
        printf(" %s", text);
    }
    printf("\n");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* --hosts: only the questions that a name of /etc/hosts with an IPv4 address answers from the
     * file alone, with no DNS query: for a machine whose resolver is not the test's. */
    int hostsOnly = argc > 1 && strcmp(argv[1], "--hosts") == 0;
    for (int i = 1 + hostsOnly; i < argc; i++) {
        const char *name = argv[i];
        lookup(name, "80", AF_UNSPEC, SOCK_STREAM, AI_CANONNAME);
        lookup(name, "http", AF_INET, 0, 0);
        byname(name);
        if (hostsOnly) {
            continue;
        }
        lookup(name, "80", AF_UNSPEC, SOCK_STREAM, AI_ADDRCONFIG | AI_CANONNAME);
        lookup(name, NULL, AF_UNSPEC, 0, 0);
        lookup(name, "53", AF_INET6, SOCK_DGRAM, 0);
        lookup(name, "53", AF_INET6, SOCK_DGRAM, AI_V4MAPPED);
        lookup(name, "22", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
        reverse(name, NI_NAMEREQD);
        reverse(name, NI_NUMERICHOST | NI_NUMERICSERV);
    }
    lookup(NULL, "8080", AF_UNSPEC, SOCK_STREAM, AI_PASSIVE);
    lookup(NULL, "ssh", AF_INET, SOCK_STREAM, 0);
    lookup(NULL, "no-such-service", AF_INET, SOCK_STREAM, 0);
    return 0;
}
