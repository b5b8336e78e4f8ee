/*
 * Kernel keyrings: add_key, request_key and keyctl in a fresh anonymous session keyring (serials are
 * random, so only their relations are printed), with Linux's errors, permissions, a fork's child and
 * a child without root's ids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define KEY_SPEC_THREAD_KEYRING -1
#define KEY_SPEC_PROCESS_KEYRING -2
#define KEY_SPEC_SESSION_KEYRING -3
#define KEY_SPEC_USER_KEYRING -4
#define KEY_SPEC_GROUP_KEYRING -6
#define KEY_SPEC_REQKEY_AUTH_KEY -7
enum { GET_KEYRING_ID, JOIN_SESSION_KEYRING, UPDATE, REVOKE, CHOWN, SETPERM, DESCRIBE, CLEAR, LINK, UNLINK, SEARCH,
       READ, INSTANTIATE, NEGATE, SET_REQKEY_KEYRING, SET_TIMEOUT, ASSUME_AUTHORITY, GET_SECURITY, SESSION_TO_PARENT,
       REJECT, INSTANTIATE_IOV, INVALIDATE, GET_PERSISTENT };

static long addkey(const char *type, const char *desc, const void *payload, size_t len, int ring) {
    return syscall(SYS_add_key, type, desc, payload, len, ring);
}

static long keyctl(int op, long a, long b, long c, long d) {
    return syscall(SYS_keyctl, op, a, b, c, d);
}

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static void ok(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: ok\n", label);
    }
}

static void same(const char *label, long a, long b) {
    printf("%s: %s\n", label, a > 0 && a == b ? "same" : a > 0 && b > 0 ? "different" : "error");
}

static void describe(const char *label, long key) {
    char buf[256];
    long n = keyctl(DESCRIBE, key, (long) buf, sizeof buf, 0);
    if (n < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld \"%s\"\n", label, n, buf);
    }
}

static void readkey(const char *label, long key) {
    char buf[64] = {0};
    long n = keyctl(READ, key, (long) buf, sizeof buf - 1, 0);
    if (n < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld \"%s\"\n", label, n, buf);
    }
}

int main(void) {
    long session = keyctl(JOIN_SESSION_KEYRING, 0, 0, 0, 0);
    ok("join anonymous session", session);
    same("session id", keyctl(GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0), session);
    describe("describe session", KEY_SPEC_SESSION_KEYRING);
    readkey("read empty session", KEY_SPEC_SESSION_KEYRING);

    long k1 = addkey("user", "k1", "secret", 6, KEY_SPEC_SESSION_KEYRING);
    ok("add user k1", k1);
    describe("describe k1", k1);
    readkey("read k1", k1);
    char small[4] = {0};
    show("read k1 into 3 bytes", keyctl(READ, k1, (long) small, 3, 0));
    printf("got \"%s\"\n", small);
    show("read k1 size only", keyctl(READ, k1, 0, 0, 0));
    same("add k1 again updates it", addkey("user", "k1", "changed", 7, KEY_SPEC_SESSION_KEYRING), k1);
    readkey("read k1 again", k1);
    ok("update k1", keyctl(UPDATE, k1, (long) "third", 5, 0));
    readkey("read updated k1", k1);
    show("update k1 empty", keyctl(UPDATE, k1, 0, 0, 0));
    int32_t serials[4] = {0};
    show("read session keyring", keyctl(READ, KEY_SPEC_SESSION_KEYRING, (long) serials, sizeof serials, 0));
    same("session holds k1", serials[0], k1);
    show("read session into 3 bytes", keyctl(READ, KEY_SPEC_SESSION_KEYRING, (long) serials, 3, 0));

    show("add user no payload", addkey("user", "k0", NULL, 0, KEY_SPEC_SESSION_KEYRING));
    show("add user no description", addkey("user", NULL, "x", 1, KEY_SPEC_SESSION_KEYRING));
    show("add unknown type", addkey("no_such_type", "d", "x", 1, KEY_SPEC_SESSION_KEYRING));
    show("add dot type", addkey(".dot", "d", "x", 1, KEY_SPEC_SESSION_KEYRING));
    show("add empty type", addkey("", "d", "x", 1, KEY_SPEC_SESSION_KEYRING));
    show("add keyring dot description", addkey("keyring", ".dot", NULL, 0, KEY_SPEC_SESSION_KEYRING));
    show("add keyring with payload", addkey("keyring", "r", "x", 1, KEY_SPEC_SESSION_KEYRING));
    show("add to group keyring", addkey("user", "d", "x", 1, KEY_SPEC_GROUP_KEYRING));
    show("add to keyring 0", addkey("user", "d", "x", 1, 0));
    show("add to a user key", addkey("user", "d", "x", 1, k1));
    show("add to no such key", addkey("user", "d", "x", 1, 12345));
    show("add logon without colon", addkey("logon", "plain", "x", 1, KEY_SPEC_SESSION_KEYRING));
    long lk = addkey("logon", "svc:name", "pw", 2, KEY_SPEC_SESSION_KEYRING);
    ok("add logon", lk);
    describe("describe logon", lk);
    readkey("read logon", lk);

    same("search k1", keyctl(SEARCH, KEY_SPEC_SESSION_KEYRING, (long) "user", (long) "k1", 0), k1);
    show("search missing", keyctl(SEARCH, KEY_SPEC_SESSION_KEYRING, (long) "user", (long) "nope", 0));
    show("search unknown type", keyctl(SEARCH, KEY_SPEC_SESSION_KEYRING, (long) "nosuch", (long) "k1", 0));
    show("search in a user key", keyctl(SEARCH, k1, (long) "user", (long) "k1", 0));
    same("request_key k1", syscall(SYS_request_key, "user", "k1", NULL, 0), k1);
    show("request_key missing", syscall(SYS_request_key, "user", "nope", NULL, 0));

    long ring = addkey("keyring", "ring", NULL, 0, KEY_SPEC_SESSION_KEYRING);
    ok("add keyring", ring);
    describe("describe keyring", ring);
    ok("link k1 into ring", keyctl(LINK, k1, ring, 0, 0));
    int32_t in[2] = {0};
    show("read ring", keyctl(READ, ring, (long) in, sizeof in, 0));
    same("ring holds k1", in[0], k1);
    ok("link k1 again", keyctl(LINK, k1, ring, 0, 0));
    show("link ring into itself", keyctl(LINK, ring, ring, 0, 0));
    show("link session into ring", keyctl(LINK, KEY_SPEC_SESSION_KEYRING, ring, 0, 0));
    show("link into a user key", keyctl(LINK, ring, k1, 0, 0));
    same("search through ring", keyctl(SEARCH, ring, (long) "user", (long) "k1", 0), k1);
    ok("unlink k1 from ring", keyctl(UNLINK, k1, ring, 0, 0));
    show("unlink k1 again", keyctl(UNLINK, k1, ring, 0, 0));
    show("read ring now", keyctl(READ, ring, (long) in, sizeof in, 0));
    ok("link k1 back", keyctl(LINK, k1, ring, 0, 0));
    ok("clear ring", keyctl(CLEAR, ring, 0, 0, 0));
    show("read cleared ring", keyctl(READ, ring, (long) in, sizeof in, 0));
    show("clear a user key", keyctl(CLEAR, k1, 0, 0, 0));

    show("setperm bad bits", keyctl(SETPERM, k1, 0xc0c0c0c0, 0, 0));
    ok("setperm possessor all, user view", keyctl(SETPERM, k1, 0x3f010000, 0, 0));
    describe("describe after setperm", k1);
    show("chown -1 -1 of no key", keyctl(CHOWN, 12345, -1, -1, 0));
    show("chown no key", keyctl(CHOWN, 12345, 1, -1, 0));

    show("get id thread, no create", keyctl(GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0));
    ok("get id thread, create", keyctl(GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1, 0, 0));
    describe("describe thread keyring", KEY_SPEC_THREAD_KEYRING);
    show("get id process, no create", keyctl(GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0));
    long proc = keyctl(GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1, 0, 0);
    ok("get id process, create", proc);
    describe("describe process keyring", KEY_SPEC_PROCESS_KEYRING);
    show("get id 0", keyctl(GET_KEYRING_ID, 0, 0, 0, 0));
    show("get id group", keyctl(GET_KEYRING_ID, KEY_SPEC_GROUP_KEYRING, 1, 0, 0));
    show("get id reqkey auth", keyctl(GET_KEYRING_ID, KEY_SPEC_REQKEY_AUTH_KEY, 1, 0, 0));
    show("get id -9", keyctl(GET_KEYRING_ID, -9, 1, 0, 0));
    show("get id no such key", keyctl(GET_KEYRING_ID, 12345, 0, 0, 0));

    char label[8];
    show("get security", keyctl(GET_SECURITY, k1, (long) label, sizeof label, 0));
    show("instantiate", keyctl(INSTANTIATE, k1, (long) "x", 1, 0));
    show("negate", keyctl(NEGATE, k1, 10, 0, 0));
    show("reject error 0", keyctl(REJECT, k1, 10, 0, 0));
    show("reject ENOKEY", keyctl(REJECT, k1, 10, ENOKEY, 0));
    show("assume authority 0", keyctl(ASSUME_AUTHORITY, 0, 0, 0, 0));
    show("assume authority -1", keyctl(ASSUME_AUTHORITY, -1, 0, 0, 0));
    show("assume authority 12345", keyctl(ASSUME_AUTHORITY, 12345, 0, 0, 0));
    show("reqkey keyring query", keyctl(SET_REQKEY_KEYRING, -1, 0, 0, 0));
    show("reqkey keyring thread", keyctl(SET_REQKEY_KEYRING, 1, 0, 0, 0));
    show("reqkey keyring query again", keyctl(SET_REQKEY_KEYRING, -1, 0, 0, 0));
    show("reqkey keyring 9", keyctl(SET_REQKEY_KEYRING, 9, 0, 0, 0));
    show("reqkey keyring default", keyctl(SET_REQKEY_KEYRING, 0, 0, 0, 0));

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        same("child session", keyctl(GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0), session);
        show("child process keyring, no create", keyctl(GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0));
        readkey("child reads k1", k1);
        if (setuid(65534) == 0) {
            describe("nobody describes k1", k1);
            readkey("nobody reads k1", k1);
            show("nobody setperm k1", keyctl(SETPERM, k1, 0x3f3f0000, 0, 0));
            show("nobody chown k1", keyctl(CHOWN, k1, 65534, -1, 0));
            long own = addkey("user", "mine", "x", 1, KEY_SPEC_SESSION_KEYRING);
            show("nobody adds to root's session", own < 0 ? own : 0);
        }
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);

    long k2 = addkey("user", "k2", "two", 3, KEY_SPEC_SESSION_KEYRING);
    ok("set timeout", keyctl(SET_TIMEOUT, k2, 1, 0, 0));
    usleep(1200000);
    readkey("read expired", k2);
    describe("describe expired", k2);
    long k3 = addkey("user", "k3", "three", 5, KEY_SPEC_SESSION_KEYRING);
    ok("revoke", keyctl(REVOKE, k3, 0, 0, 0));
    readkey("read revoked", k3);
    describe("describe revoked", k3);
    show("update revoked", keyctl(UPDATE, k3, (long) "x", 1, 0));
    long k4 = addkey("user", "k4", "four", 4, KEY_SPEC_SESSION_KEYRING);
    /* What an invalidated key answers depends on when Linux's garbage collector runs: not looked at. */
    ok("invalidate", keyctl(INVALIDATE, k4, 0, 0, 0));
    show("search another description", keyctl(SEARCH, KEY_SPEC_SESSION_KEYRING, (long) "user", (long) "k9", 0));
    show("search revoked", keyctl(SEARCH, KEY_SPEC_SESSION_KEYRING, (long) "user", (long) "k3", 0));
    show("search expired", keyctl(SEARCH, KEY_SPEC_SESSION_KEYRING, (long) "user", (long) "k2", 0));
    show("revoke no key", keyctl(REVOKE, 12345, 0, 0, 0));
    show("keyctl 999", keyctl(999, 0, 0, 0, 0));
    return 0;
}
