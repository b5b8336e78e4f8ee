/*
 * SO_PEEK_OFF, SO_PASSPIDFD and SO_PEERPIDFD: the peek offset of AF_UNIX stream, datagram and
 * seqpacket sockets (MSG_PEEK reads from it and moves it on, a read moves it back, -1 turns it
 * off), on UDP and TCP over loopback and on netlink; SCM_PIDFD control messages and the peer's
 * pidfd, checked through the pid that /proc/self/fdinfo names.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include "errname.h"

#define SO_PEEK_OFF_ 42
#define SO_PASSPIDFD_ 76
#define SO_PEERPIDFD_ 77
#define SCM_PIDFD_ 4
#define SO_PASSCRED_ 16
#define AF_NETLINK_ 16

static const char *err(int e) {
    static char b[16];
    if (e == ENODATA) return "ENODATA";
    if (e == ENOPROTOOPT) return "ENOPROTOOPT";
    if (strcmp(errname(e), "other") != 0) return errname(e);
    snprintf(b, sizeof b, "errno %d", e);
    return b;
}

static void getoff(const char *what, int fd) {
    int v = 12345;
    socklen_t len = sizeof v;
    if (getsockopt(fd, SOL_SOCKET, SO_PEEK_OFF_, &v, &len) < 0) {
        printf("%s: get SO_PEEK_OFF: %s\n", what, err(errno));
    } else {
        printf("%s: SO_PEEK_OFF %d (len %d)\n", what, v, (int) len);
    }
}

static void setoff(const char *what, int fd, int v) {
    if (setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF_, &v, sizeof v) < 0) {
        printf("%s: set SO_PEEK_OFF %d: %s\n", what, v, err(errno));
    }
}

static void rd(const char *what, int fd, int size, int flags) {
    char buf[64];
    memset(buf, 0, sizeof buf);
    ssize_t n = recv(fd, buf, size, flags);
    if (n < 0) {
        printf("  %s recv(%d%s%s): %s\n", what, size, flags & MSG_PEEK ? ",PEEK" : "", flags & MSG_TRUNC ? ",TRUNC" : "",
               err(errno));
    } else {
        int shown = n < size ? (int) n : size;
        printf("  %s recv(%d%s%s) = %zd \"%.*s\"\n", what, size, flags & MSG_PEEK ? ",PEEK" : "",
               flags & MSG_TRUNC ? ",TRUNC" : "", n, shown, buf);
    }
}

static void unix_type(int type, const char *name) {
    int sv[2];
    if (socketpair(AF_UNIX, type, 0, sv) < 0) {
        printf("%s: socketpair: %s\n", name, err(errno));
        return;
    }
    printf("== %s\n", name);
    getoff(name, sv[1]);
    setoff(name, sv[1], 0);
    getoff(name, sv[1]);
    send(sv[0], "aaaabbbb", 8, 0);
    rd(name, sv[1], 4, MSG_PEEK | MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_PEEK | MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_PEEK | MSG_DONTWAIT);
    rd(name, sv[1], 3, MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_DONTWAIT);
    getoff(name, sv[1]);

    /* two_chunks_overlap: a stream fills the buffer across packets, the others stop at one. */
    send(sv[0], "aaaa", 4, 0);
    rd(name, sv[1], 2, MSG_PEEK | MSG_DONTWAIT);
    send(sv[0], "bbbb", 4, 0);
    rd(name, sv[1], 4, MSG_PEEK | MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_PEEK | MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC);
    getoff(name, sv[1]);
    rd(name, sv[1], 1, MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_DONTWAIT);
    getoff(name, sv[1]);

    /* Off: peeks read from the front again, and reads leave it off. */
    send(sv[0], "ccccdddd", 8, 0);
    rd(name, sv[1], 2, MSG_PEEK | MSG_DONTWAIT);
    setoff(name, sv[1], -1);
    rd(name, sv[1], 2, MSG_PEEK | MSG_DONTWAIT);
    rd(name, sv[1], 2, MSG_PEEK | MSG_DONTWAIT);
    rd(name, sv[1], 2, MSG_DONTWAIT);
    getoff(name, sv[1]);
    /* An offset set past everything queued: nothing to peek yet; a read still reads. */
    setoff(name, sv[1], 100);
    rd(name, sv[1], 4, MSG_PEEK | MSG_DONTWAIT);
    rd(name, sv[1], 2, MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_DONTWAIT);
    getoff(name, sv[1]);
    /* Any negative value is kept as it is. */
    setoff(name, sv[1], -7);
    getoff(name, sv[1]);
    send(sv[0], "eeee", 4, 0);
    rd(name, sv[1], 2, MSG_PEEK | MSG_DONTWAIT);
    getoff(name, sv[1]);
    rd(name, sv[1], 100, MSG_DONTWAIT);
    getoff(name, sv[1]);
    if (type != SOCK_STREAM) {
        /* An empty datagram at the offset is peeked once, then passed over. */
        setoff(name, sv[1], 0);
        send(sv[0], "", 0, 0);
        send(sv[0], "ff", 2, 0);
        rd(name, sv[1], 10, MSG_PEEK | MSG_DONTWAIT);
        rd(name, sv[1], 10, MSG_PEEK | MSG_DONTWAIT);
        getoff(name, sv[1]);
        rd(name, sv[1], 10, MSG_PEEK | MSG_DONTWAIT);
        rd(name, sv[1], 10, MSG_DONTWAIT);
        rd(name, sv[1], 10, MSG_DONTWAIT);
        getoff(name, sv[1]);
    }
    /* The other end keeps its own offset. */
    getoff(name, sv[0]);
    close(sv[0]);
    close(sv[1]);
}

static void inet_type(int type, const char *name) {
    int s = socket(AF_INET, type, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    printf("== %s\n", name);
    getoff(name, s);
    setoff(name, s, 0);
    getoff(name, s);
    bind(s, (struct sockaddr *) &a, sizeof a);
    getsockname(s, (struct sockaddr *) &a, &al);
    int c = socket(AF_INET, type, 0);
    int r = s;
    if (type == SOCK_STREAM) {
        listen(s, 1);
        connect(c, (struct sockaddr *) &a, sizeof a);
        r = accept(s, NULL, NULL);
        setoff(name, r, 0);
        send(c, "aaaabbbb", 8, 0);
    } else {
        sendto(c, "aaaabbbb", 8, 0, (struct sockaddr *) &a, sizeof a);
    }
    usleep(100000);
    rd(name, r, 4, MSG_PEEK);
    getoff(name, r);
    rd(name, r, 100, MSG_PEEK | MSG_DONTWAIT);
    getoff(name, r);
    rd(name, r, 3, 0);
    getoff(name, r);
    if (r != s) {
        close(r);
    }
    close(c);
    close(s);
}

/* The pid a pidfd names, from /proc/self/fdinfo. */
static int pidfd_pid(int fd) {
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    int pid = -2;
    if (!f) {
        return -3;
    }
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "Pid: %d", &pid);
    }
    fclose(f);
    return pid;
}

static const char *who(int pid, int self, int child) {
    return pid == self ? "self" : pid == child ? "child" : pid == -1 ? "reaped" : "other";
}

static void on(int fd, int name, int v) {
    if (setsockopt(fd, SOL_SOCKET, name, &v, sizeof v) < 0) {
        printf("set %d: %s\n", name, err(errno));
    }
}

/* One recvmsg with a control buffer of {@code room} bytes; prints the control messages. */
static void receive(const char *what, int fd, size_t room, int flags, int self, int child) {
    char data[16];
    union { char b[256]; struct cmsghdr align; } control;
    struct iovec iov = {data, sizeof data};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? control.b : NULL,
                       .msg_controllen = room};
    memset(control.b, 0, sizeof control.b);
    ssize_t n = recvmsg(fd, &m, flags | MSG_DONTWAIT);
    if (n < 0) {
        printf("%s: recvmsg: %s\n", what, err(errno));
        return;
    }
    printf("%s: %zd bytes, controllen %zu%s\n", what, n, (size_t) m.msg_controllen,
           m.msg_flags & MSG_CTRUNC ? ", CTRUNC" : "");
    for (struct cmsghdr *c = m.msg_controllen ? CMSG_FIRSTHDR(&m) : NULL; c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET) {
            printf("  level %d type %d\n", c->cmsg_level, c->cmsg_type);
        } else if (c->cmsg_type == SCM_PIDFD_) {
            int pfd;
            memcpy(&pfd, CMSG_DATA(c), sizeof pfd);
            if (pfd < 0) {
                printf("  SCM_PIDFD %s\n", err(-pfd));
                continue;
            }
            printf("  SCM_PIDFD (len %zu) of %s, cloexec %d\n", (size_t) c->cmsg_len, who(pidfd_pid(pfd), self, child),
                   fcntl(pfd, F_GETFD) & FD_CLOEXEC);
            close(pfd);
        } else if (c->cmsg_type == SCM_CREDENTIALS) {
            struct ucred u;
            memcpy(&u, CMSG_DATA(c), sizeof u);
            printf("  SCM_CREDENTIALS of %s\n", who(u.pid, self, child));
        } else if (c->cmsg_type == SCM_RIGHTS) {
            int rfd;
            memcpy(&rfd, CMSG_DATA(c), sizeof rfd);
            printf("  SCM_RIGHTS (len %zu)\n", (size_t) c->cmsg_len);
            close(rfd);
        } else {
            printf("  type %d\n", c->cmsg_type);
        }
    }
}

static void send_rights(int fd, const char *msg) {
    int passed = 0;
    union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct iovec iov = {(void *) msg, strlen(msg)};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.b, .msg_controllen = sizeof control.b};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &passed, sizeof passed);
    if (sendmsg(fd, &m, 0) < 0) {
        printf("sendmsg: %s\n", err(errno));
    }
}

static void getpeerpidfd(const char *what, int fd, int self, int child) {
    int v = -5;
    socklen_t len = sizeof v;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD_, &v, &len) < 0) {
        printf("%s: SO_PEERPIDFD: %s\n", what, err(errno));
        return;
    }
    printf("%s: SO_PEERPIDFD (len %d) of %s, cloexec %d\n", what, (int) len, who(pidfd_pid(v), self, child),
           fcntl(v, F_GETFD) & FD_CLOEXEC);
    close(v);
}

static void pidfds(void) {
    int self = getpid();
    printf("== pidfds\n");
    int types[] = {SOCK_DGRAM, SOCK_STREAM, SOCK_SEQPACKET};
    for (int i = 0; i < 3; i++) {
        int sv[2];
        socketpair(AF_UNIX, types[i], 0, sv);
        int v = -1;
        socklen_t len = sizeof v;
        getsockopt(sv[1], SOL_SOCKET, SO_PASSPIDFD_, &v, &len);
        printf("type %d: SO_PASSPIDFD %d\n", types[i], v);
        on(sv[1], SO_PASSPIDFD_, 7);
        getsockopt(sv[1], SOL_SOCKET, SO_PASSPIDFD_, &v, &len);
        printf("type %d: SO_PASSPIDFD %d\n", types[i], v);
        getpeerpidfd("pair", sv[1], self, 0);
        pid_t child = fork();
        if (child == 0) {
            send(sv[0], "from child", 10, 0);
            _exit(0);
        }
        waitpid(child, NULL, 0);
        send(sv[0], "from self", 9, 0);
        /* A zombie is reaped: the pidfd still names it, as Linux's stale pidfds. */
        receive("child's", sv[1], 256, 0, self, child);
        receive("own", sv[1], 256, MSG_PEEK, self, child);
        receive("own, no control", sv[1], 0, MSG_PEEK, self, child);
        receive("own, room for less than a pidfd", sv[1], CMSG_LEN(sizeof(int)) - 1, MSG_PEEK, self, child);
        on(sv[1], SO_PASSCRED_, 1);
        receive("own, with credentials", sv[1], 256, MSG_PEEK, self, child);
        receive("own, credentials fit, pidfd not", sv[1], CMSG_SPACE(sizeof(struct ucred)) + 8, MSG_PEEK, self, child);
        receive("own", sv[1], 256, 0, self, child);
        send_rights(sv[0], "r");
        receive("with rights", sv[1], 256, 0, self, child);
        on(sv[1], SO_PASSCRED_, 0);
        on(sv[1], SO_PASSPIDFD_, 0);
        send(sv[0], "x", 1, 0);
        receive("off", sv[1], 256, 0, self, child);
        /* Only the sender asks: the packet carries who sent, the receiver is not given a pidfd. */
        on(sv[0], SO_PASSPIDFD_, 1);
        send(sv[0], "y", 1, 0);
        receive("sender asked", sv[1], 256, 0, self, child);
        on(sv[1], SO_PASSPIDFD_, 1);
        receive("nothing queued", sv[1], 256, 0, self, child);
        close(sv[0]);
        close(sv[1]);
    }

    /* A connection: each side's peer is the other's process, a listener's is none. */
    char path[64];
    snprintf(path, sizeof path, "/tmp/jlx-peekoff-%d", self);
    unlink(path);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    getpeerpidfd("unbound", l, self, 0);
    bind(l, (struct sockaddr *) &a, sizeof a);
    on(l, SO_PASSPIDFD_, 1);
    listen(l, 1);
    getpeerpidfd("listener", l, self, 0);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *) &a, sizeof a);
        int v;
        socklen_t len = sizeof v;
        getsockopt(c, SOL_SOCKET, SO_PEERPIDFD_, &v, &len);
        int pid = pidfd_pid(v);
        send(c, "hi", 2, 0);
        write(p[1], &pid, sizeof pid);
        char b;
        read(q[0], &b, 1);
        _exit(0);
    }
    int seen;
    read(p[0], &seen, sizeof seen);
    printf("the child's peer is %s\n", who(seen, self, child));
    int s = accept(l, NULL, NULL);
    int v = -1;
    socklen_t len = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_PASSPIDFD_, &v, &len);
    printf("accepted: SO_PASSPIDFD %d\n", v);
    getpeerpidfd("accepted", s, self, child);
    receive("accepted", s, 256, 0, self, child);
    /* Bad buffers: the pidfd made is taken back. */
    int before = dup(0);
    close(before);
    len = sizeof v;
    if (getsockopt(s, SOL_SOCKET, SO_PEERPIDFD_, (void *) 8, &len) < 0) {
        printf("bad optval: %s\n", err(errno));
    }
    int after = dup(0);
    printf("descriptor freed again: %d\n", after == before);
    close(after);
    len = 2;
    v = 0;
    if (getsockopt(s, SOL_SOCKET, SO_PEERPIDFD_, &v, &len) == 0) {
        printf("short optlen: len %d, fd %s\n", (int) len, v == (after & 0xffff) ? "as expected" : "other");
        close(after);
    }
    len = 100;
    if (getsockopt(s, SOL_SOCKET, SO_PEERPIDFD_, &v, &len) == 0) {
        printf("long optlen: len %d\n", (int) len);
        close(v);
    }
    write(q[1], "x", 1);
    waitpid(child, NULL, 0);
    close(s);
    close(l);
    unlink(path);

    /* Other families. */
    int fams[][3] = {{AF_INET, SOCK_STREAM, 0}, {AF_INET, SOCK_DGRAM, 0}, {AF_NETLINK_, SOCK_RAW, 0}};
    for (int i = 0; i < 3; i++) {
        int fd = socket(fams[i][0], fams[i][1], fams[i][2]);
        int one = 1;
        if (setsockopt(fd, SOL_SOCKET, SO_PASSPIDFD_, &one, sizeof one) < 0) {
            printf("family %d type %d: set SO_PASSPIDFD: %s\n", fams[i][0], fams[i][1], err(errno));
        }
        len = sizeof v;
        v = 5;
        if (getsockopt(fd, SOL_SOCKET, SO_PASSPIDFD_, &v, &len) < 0) {
            printf("family %d type %d: get SO_PASSPIDFD: %s\n", fams[i][0], fams[i][1], err(errno));
        } else {
            printf("family %d type %d: SO_PASSPIDFD %d\n", fams[i][0], fams[i][1], v);
        }
        getpeerpidfd("other family", fd, self, 0);
        close(fd);
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "inet") == 0) {
        /* The host's UDP and TCP keep the offset: a backend without SO_PEEK_OFF refuses it. */
        inet_type(SOCK_DGRAM, "udp");
        inet_type(SOCK_STREAM, "tcp");
        return 0;
    }
    unix_type(SOCK_STREAM, "stream");
    unix_type(SOCK_DGRAM, "dgram");
    unix_type(SOCK_SEQPACKET, "seqpacket");
    int nl = socket(AF_NETLINK_, SOCK_RAW, 0);
    getoff("netlink", nl);
    setoff("netlink", nl, 0);
    close(nl);
    pidfds();
    return 0;
}
