/*
 * System V message queues: msgget's rules, msgsnd and msgrcv with every type selection (0, > 0,
 * < 0, MSG_EXCEPT), MSG_NOERROR, E2BIG, MSG_COPY, ENOMSG, a full queue (EAGAIN, then a blocked sender
 * woken by a receive), a receiver in another process woken by a send, a signal interrupting a wait,
 * IPC_RMID waking a waiter with EIDRM, IPC_STAT/IPC_SET (msg_qbytes), the *_INFO commands, an
 * unprivileged user, /proc/sysvipc/msg and the sysctls. Every queue is removed at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errname.h"

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif
#ifdef __GLIBC__
#define CBYTES(ds) ((ds).__msg_cbytes)
#else
#define CBYTES(ds) ((ds).msg_cbytes)
#endif

struct message {
    long type;
    char text[64];
};

static void check(const char *what, long r) {
    if (r < 0) {
        printf("%s: %s\n", what, errname(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

static int send(int id, long type, const char *text, int flags) {
    struct message m = {type, ""};
    strcpy(m.text, text);
    return msgsnd(id, &m, strlen(text) + 1, flags);
}

static void receive(const char *what, int id, long type, size_t size, int flags) {
    struct message m = {0, ""};
    long n = msgrcv(id, &m, size, type, flags);
    if (n < 0) {
        printf("%s: %s\n", what, errname(errno));
    } else {
        printf("%s: %ld type %ld \"%.*s\"\n", what, n, m.type, (int) n, m.text);
    }
}

static void show(const char *what, int id) {
    struct msqid_ds ds;
    if (msgctl(id, IPC_STAT, &ds) < 0) {
        printf("%s: %s\n", what, errname(errno));
        return;
    }
    printf("%s: qnum %lu cbytes %lu qbytes %lu mode %o lspid-self %d lrpid-self %d stime %s rtime %s\n", what,
           (unsigned long) ds.msg_qnum, (unsigned long) CBYTES(ds), (unsigned long) ds.msg_qbytes,
           (unsigned) ds.msg_perm.mode, ds.msg_lspid == getpid(), ds.msg_lrpid == getpid(), ds.msg_stime ? "set" : "0",
           ds.msg_rtime ? "set" : "0");
}

static void onsig(int sig) {
    (void) sig;
}

static void sysctl(const char *name) {
    char path[128], buf[64] = "";
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    FILE *f = fopen(path, "r");
    fgets(buf, sizeof buf, f);
    fclose(f);
    printf("%s: %s", name, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    key_t key = 0x4a4e0000 | (getpid() & 0xffff);
    check("absent", msgget(key, 0600));
    int k = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    printf("created: %d\n", k >= 0);
    check("excl", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
    printf("same: %d\n", msgget(key, 0) == k);

    int id = msgget(IPC_PRIVATE, 0600);
    show("new", id);
    check("type 0", send(id, 0, "x", 0));
    struct message big = {1, ""};
    check("too long", msgsnd(id, &big, 8193, 0));
    check("bad id", send(id + 32768, 1, "x", 0));
    send(id, 5, "five", 0);
    send(id, 2, "two", 0);
    send(id, 7, "seven", 0);
    send(id, 2, "two again", 0);
    send(id, 1, "one", 0);
    show("five sent", id);
    receive("copy 2", id, 2, 64, MSG_COPY | IPC_NOWAIT);
    receive("copy 9", id, 9, 64, MSG_COPY | IPC_NOWAIT);
    receive("copy wait", id, 0, 64, MSG_COPY);
    receive("copy except", id, 0, 64, MSG_COPY | IPC_NOWAIT | MSG_EXCEPT);
    receive("e2big", id, 7, 3, 0);
    receive("noerror", id, 7, 3, MSG_NOERROR);
    receive("type 2", id, 2, 64, 0);
    receive("up to 4", id, -4, 64, 0);
    receive("except 2", id, 2, 64, MSG_EXCEPT);
    receive("any", id, 0, 64, 0);
    receive("empty", id, 0, 64, IPC_NOWAIT);
    receive("none of 3", id, 3, 64, IPC_NOWAIT);
    show("drained", id);

    /* A full queue: EAGAIN, then a blocked sender woken by a receive. */
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 20;
    check("set qbytes", msgctl(id, IPC_SET, &ds));
    check("fill", send(id, 1, "0123456789", 0));
    check("fill more", send(id, 1, "abcdefgh", 0));
    check("full", send(id, 1, "ABC", IPC_NOWAIT));
    pid_t c = fork();
    if (c == 0) {
        _exit(send(id, 3, "late", 0) == 0 ? 0 : 1);
    }
    usleep(50000);
    receive("make room", id, 0, 64, 0);
    int st;
    waitpid(c, &st, 0);
    printf("sender woke: %d\n", WEXITSTATUS(st));
    receive("then", id, 0, 64, 0);
    receive("last", id, 0, 64, 0);
    ds.msg_qbytes = 16384;
    msgctl(id, IPC_SET, &ds);

    /* A receiver in another process, woken by a send; one too small gets E2BIG. */
    c = fork();
    if (c == 0) {
        receive("child got", id, 4, 64, 0);
        _exit(0);
    }
    usleep(50000);
    send(id, 9, "not for it", 0);
    send(id, 4, "for the child", 0);
    waitpid(c, &st, 0);
    c = fork();
    if (c == 0) {
        receive("small child", id, 6, 2, 0);
        _exit(0);
    }
    usleep(50000);
    send(id, 6, "long enough", 0);
    waitpid(c, &st, 0);
    show("after children", id);
    receive("left", id, 0, 64, 0);
    receive("left too", id, 0, 64, IPC_NOWAIT);

    /* A signal interrupts a waiting receiver (a handler: EINTR whatever SA_RESTART says). */
    struct sigaction sa = {0};
    sa.sa_handler = onsig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    c = fork();
    if (c == 0) {
        receive("interrupted", id, 0, 64, 0);
        _exit(0);
    }
    usleep(50000);
    kill(c, SIGUSR1);
    waitpid(c, &st, 0);

    /* The info commands, /proc and the sysctls. */
    struct msginfo info;
    int max = msgctl(0, IPC_INFO, (struct msqid_ds *) &info);
    printf("info: %d pool %d map %d max %d mnb %d mni %d ssz %d tql %d seg %d\n", max >= 0, info.msgpool, info.msgmap,
           info.msgmax, info.msgmnb, info.msgmni, info.msgssz, info.msgtql, info.msgseg);
    max = msgctl(0, MSG_INFO, (struct msqid_ds *) &info);
    printf("msg_info: %d queues >= 2 %d\n", max >= id % 32768, info.msgpool >= 2);
    printf("stat by index: %d\n", msgctl(id % 32768, MSG_STAT, &ds) == id);
    check("bad cmd", msgctl(id, 99, &ds));
    send(id, 3, "queued", 0);
    FILE *f = fopen("/proc/sysvipc/msg", "r");
    char line[256];
    fgets(line, sizeof line, f);
    printf("header: %s", line);
    while (fgets(line, sizeof line, f)) {
        int kk, qid;
        unsigned perms;
        unsigned long cbytes, qnum;
        sscanf(line, "%d %d %o %lu %lu", &kk, &qid, &perms, &cbytes, &qnum);
        if (qid == id) {
            printf("sysvipc: key %d perms %o cbytes %lu qnum %lu\n", kk, perms, cbytes, qnum);
        }
    }
    fclose(f);
    sysctl("msgmax");
    sysctl("msgmnb");
    sysctl("msgmni");

    /* An unprivileged user. */
    c = fork();
    if (c == 0) {
        setgid(65534);
        setuid(65534);
        check("other send", send(id, 1, "x", 0));
        receive("other receive", id, 0, 64, IPC_NOWAIT);
        check("other rmid", msgctl(id, IPC_RMID, NULL));
        msgctl(id, IPC_STAT, &ds);
        _exit(0);
    }
    waitpid(c, &st, 0);
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 16385;
    c = fork();
    if (c == 0) {
        setuid(65534);
        check("other qbytes", msgctl(id, IPC_SET, &ds));
        _exit(0);
    }
    waitpid(c, &st, 0);

    /* IPC_RMID wakes a waiting receiver with EIDRM. */
    c = fork();
    if (c == 0) {
        receive("removed under receiver", k, 0, 64, 0);
        _exit(0);
    }
    usleep(50000);
    int removed = msgctl(k, IPC_RMID, NULL);
    waitpid(c, &st, 0);
    check("rmid", removed);
    check("gone", send(k, 1, "x", 0));
    check("rmid other", msgctl(id, IPC_RMID, NULL));
    return 0;
}
