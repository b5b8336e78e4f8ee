/*
 * lsm_list_modules, lsm_get_self_attr and lsm_set_self_attr: the capability module is listed, no
 * module answers for process attributes here (EOPNOTSUPP), and the errors of bad arguments. The
 * modules listed besides the capability module depend on the machine, so only it is looked for.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "errname.h"

#define LSM_ID_CAPABILITY 100
#define LSM_ATTR_CURRENT 100

struct ctx {
    uint64_t id, flags, len, ctx_len;
    char text[8];
};

static void rc(const char *what, long r) {
    printf("%s: %s\n", what, r >= 0 ? "ok" : errname(errno));
}

int main(void) {
    uint64_t ids[16];
    uint32_t size = sizeof ids;
    long n = syscall(461, ids, &size, 0);
    int capability = 0;
    for (long i = 0; i < n; i++) {
        capability |= ids[i] == LSM_ID_CAPABILITY;
    }
    printf("list: some %d, size %d, capability %d\n", n > 0, size == 8 * n, capability);
    uint32_t small = 4;
    rc("list short", syscall(461, ids, &small, 0));
    printf("short size told: %d\n", small == 8 * n);
    rc("list flags", syscall(461, ids, &size, 1));
    rc("list bad size pointer", syscall(461, ids, (void *) 8, 0));

    char buf[256];
    uint32_t got = sizeof buf;
    rc("get current", syscall(459, LSM_ATTR_CURRENT, buf, &got, 0));
    printf("get size: %u\n", got);
    rc("get attr 0", syscall(459, 0, buf, &got, 0));
    rc("get bad flags", syscall(459, LSM_ATTR_CURRENT, buf, &got, 2));
    rc("get single without ctx", syscall(459, LSM_ATTR_CURRENT, NULL, &got, 1));
    struct ctx c = {0, 0, sizeof c, 8, "unconf"};
    rc("get single undefined id", syscall(459, LSM_ATTR_CURRENT, &c, &got, 1));
    rc("get bad size pointer", syscall(459, LSM_ATTR_CURRENT, buf, (void *) 8, 0));

    c.id = LSM_ID_CAPABILITY;
    rc("set flags", syscall(460, LSM_ATTR_CURRENT, &c, sizeof c, 1));
    rc("set small", syscall(460, LSM_ATTR_CURRENT, &c, 8, 0));
    rc("set big", syscall(460, LSM_ATTR_CURRENT, &c, 8192, 0));
    rc("set bad address", syscall(460, LSM_ATTR_CURRENT, NULL, sizeof c, 0));
    c.ctx_len = 64;
    rc("set long ctx_len", syscall(460, LSM_ATTR_CURRENT, &c, sizeof c, 0));
    c.ctx_len = 8;
    rc("set capability", syscall(460, LSM_ATTR_CURRENT, &c, sizeof c, 0));
    return 0;
}
