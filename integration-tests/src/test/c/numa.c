/* NUMA memory policy on a machine of one node (node 0): set_mempolicy and get_mempolicy's modes,
 * flags and masks, mbind's checks, move_pages' page states, migrate_pages and
 * set_mempolicy_home_node. A mapping's policy after mbind is left out (jlx keeps none). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Linux 5.17's, which older headers (musl's) lack. */
#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_PREFERRED_MANY 5
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4
#define MPOL_MF_STRICT 1
#define MPOL_MF_MOVE 2
#define MPOL_MF_MOVE_ALL 4

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENODEV: return "ENODEV";
    default: return strerror(e);
    }
}

static void result(const char *what, long r) {
    if (r < 0) {
        printf("%s: -1 %s\n", what, errname(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

static long set(int mode, unsigned long mask, unsigned long maxnode) {
    return syscall(SYS_set_mempolicy, mode, &mask, maxnode);
}

static void show(const char *what) {
    int mode = -1;
    unsigned long mask[4];
    memset(mask, 0xa5, sizeof mask);
    long r = syscall(SYS_get_mempolicy, &mode, mask, 200UL, NULL, 0UL);
    if (r < 0) {
        printf("%s: get -1 %s\n", what, errname(errno));
        return;
    }
    printf("%s: mode %#x mask %lx %lx %lx %lx\n", what, mode, mask[0], mask[1], mask[2], mask[3]);
}

static void policies(void) {
    show("initial");
    result("bind 0", set(MPOL_BIND, 1, 65));
    show("bind");
    result("bind 1", set(MPOL_BIND, 2, 65));
    result("bind none", set(MPOL_BIND, 0, 65));
    result("bind no mask", syscall(SYS_set_mempolicy, MPOL_BIND, NULL, 65UL));
    result("default with nodes", set(MPOL_DEFAULT, 1, 65));
    result("preferred empty", set(MPOL_PREFERRED, 0, 65));
    show("local");
    result("preferred 0|1", set(MPOL_PREFERRED, 3, 65));
    show("preferred");
    result("local with nodes", set(MPOL_LOCAL, 1, 65));
    result("local", set(MPOL_LOCAL, 0, 65));
    show("local");
    result("preferred many", set(MPOL_PREFERRED_MANY, 1, 65));
    show("preferred many");
    result("interleave", set(MPOL_INTERLEAVE, 1, 65));
    show("interleave");
    int node = -1;
    result("next interleave node", syscall(SYS_get_mempolicy, &node, NULL, 0UL, NULL, (unsigned long)MPOL_F_NODE));
    printf("node %d\n", node);
    result("static 0|1", set(MPOL_BIND | MPOL_F_STATIC_NODES, 3, 65));
    show("static");
    result("relative 1", set(MPOL_BIND | MPOL_F_RELATIVE_NODES, 2, 65));
    show("relative");
    result("static|relative", set(MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, 1, 65));
    result("preferred empty static", set(MPOL_PREFERRED | MPOL_F_STATIC_NODES, 0, 65));
    result("balancing bind", set(MPOL_BIND | MPOL_F_NUMA_BALANCING, 1, 65));
    show("balancing");
    result("balancing interleave", set(MPOL_INTERLEAVE | MPOL_F_NUMA_BALANCING, 1, 65));
    result("mode 7", set(7, 1, 65));
    result("mode -1", set(-1, 1, 65));
    result("maxnode huge", set(MPOL_BIND, 1, 4096 * 8 + 2));
    result("maxnode 1", set(MPOL_BIND, 1, 1));
    unsigned long big[20] = {1};
    big[19] = 1;
    result("node past 1024", syscall(SYS_set_mempolicy, MPOL_BIND, big, 64UL * 20 + 1));
    big[19] = 0;
    big[15] = 1UL << 63;
    result("node 1023", syscall(SYS_set_mempolicy, MPOL_BIND, big, 64UL * 20 + 1));
    result("mask fault", syscall(SYS_set_mempolicy, MPOL_BIND, (void *)8, 65UL));
    result("default", set(MPOL_DEFAULT, 0, 0));
    show("default");
    result("F_NODE not interleave", syscall(SYS_get_mempolicy, &node, NULL, 0UL, NULL, (unsigned long)MPOL_F_NODE));
    unsigned long mask = 0;
    result("get maxnode 0", syscall(SYS_get_mempolicy, &node, &mask, 0UL, NULL, 0UL));
    result("get bad flags", syscall(SYS_get_mempolicy, &node, NULL, 0UL, NULL, 8UL));
    result("get addr without F_ADDR", syscall(SYS_get_mempolicy, &node, NULL, 0UL, &node, 0UL));
    result("mems allowed", syscall(SYS_get_mempolicy, &node, &mask, 65UL, NULL, (unsigned long)MPOL_F_MEMS_ALLOWED));
    printf("mode %d mask %lx\n", node, mask);
    result("mems allowed|node", syscall(SYS_get_mempolicy, &node, &mask, 65UL, NULL,
                                        (unsigned long)(MPOL_F_MEMS_ALLOWED | MPOL_F_NODE)));
    result("get policy fault", syscall(SYS_get_mempolicy, (void *)8, NULL, 0UL, NULL, 0UL));
    result("get maxnode past a page", syscall(SYS_get_mempolicy, &node, &mask, 4096UL * 8 + 66, NULL, 0UL));
}

static void mappings(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 2 * page, page);
    m[0] = 1;
    unsigned long one = 1;
    int mode = -1;
    result("F_ADDR", syscall(SYS_get_mempolicy, &mode, NULL, 0UL, m, (unsigned long)MPOL_F_ADDR));
    printf("mode %d\n", mode);
    result("F_ADDR|F_NODE", syscall(SYS_get_mempolicy, &mode, NULL, 0UL, m, (unsigned long)(MPOL_F_ADDR | MPOL_F_NODE)));
    printf("node %d\n", mode);
    result("F_ADDR unmapped", syscall(SYS_get_mempolicy, &mode, NULL, 0UL, m + 2 * page, (unsigned long)MPOL_F_ADDR));
    result("mbind bind", syscall(SYS_mbind, m, 2 * page, MPOL_BIND, &one, 65UL, 0UL));
    result("mbind strict move", syscall(SYS_mbind, m, 2 * page, MPOL_BIND, &one, 65UL, (unsigned long)(MPOL_MF_STRICT | MPOL_MF_MOVE)));
    result("mbind unaligned", syscall(SYS_mbind, m + 1, page, MPOL_BIND, &one, 65UL, 0UL));
    result("mbind len 0", syscall(SYS_mbind, m, 0UL, MPOL_BIND, &one, 65UL, 0UL));
    result("mbind bad flags", syscall(SYS_mbind, m, page, MPOL_BIND, &one, 65UL, 8UL));
    result("mbind over hole", syscall(SYS_mbind, m, 4 * page, MPOL_BIND, &one, 65UL, 0UL));
    result("mbind in hole", syscall(SYS_mbind, m + 2 * page, page, MPOL_BIND, &one, 65UL, 0UL));
    result("mbind default over hole", syscall(SYS_mbind, m, 4 * page, MPOL_DEFAULT, NULL, 0UL, 0UL));
    result("mbind default in hole", syscall(SYS_mbind, m + 2 * page, page, MPOL_DEFAULT, NULL, 0UL, 0UL));
    result("mbind bind node 1", syscall(SYS_mbind, m, page, MPOL_BIND, (unsigned long[]){2}, 65UL, 0UL));
    result("mbind wraps", syscall(SYS_mbind, (void *)-4096L, 2 * page, MPOL_BIND, &one, 65UL, 0UL));

    void *pages[4] = {m, m + page, m + 2 * page, m + 3 * page};
    int status[4] = {9, 9, 9, 9};
    result("move_pages stat", syscall(SYS_move_pages, 0, 4UL, pages, NULL, status, 0));
    printf("status %d %d %d %d\n", status[0], status[1], status[2], status[3]);
    int nodes[4] = {0, 0, 0, 0};
    memset(status, 9, sizeof status);
    result("move_pages to 0", syscall(SYS_move_pages, 0, 4UL, pages, nodes, status, MPOL_MF_MOVE));
    printf("status %d %d %d %d\n", status[0], status[1], status[2], status[3]);
    nodes[1] = 1;
    result("move_pages to 1", syscall(SYS_move_pages, 0, 2UL, pages, nodes, status, MPOL_MF_MOVE));
    result("move_pages bad flags", syscall(SYS_move_pages, 0, 1UL, pages, NULL, status, 1));
    result("move_pages no such pid", syscall(SYS_move_pages, 999999, 1UL, pages, NULL, status, 0));
    result("move_pages pages fault", syscall(SYS_move_pages, 0, 1UL, (void *)8, NULL, status, 0));
    unsigned long from = 1, to = 1;
    result("migrate_pages", syscall(SYS_migrate_pages, 0, 65UL, &from, &to));
    result("migrate_pages no such pid", syscall(SYS_migrate_pages, 999999, 65UL, &from, &to));
    result("home node 0", syscall(SYS_set_mempolicy_home_node, m + 3 * page, page, 0UL, 0UL));
    result("home node len 0", syscall(SYS_set_mempolicy_home_node, m + 3 * page, 0UL, 0UL, 0UL));
    result("home node 1", syscall(SYS_set_mempolicy_home_node, m + 3 * page, page, 1UL, 0UL));
    result("home node flags", syscall(SYS_set_mempolicy_home_node, m + 3 * page, page, 0UL, 1UL));
    result("home node unaligned", syscall(SYS_set_mempolicy_home_node, m + 1, page, 0UL, 0UL));
}

int main(void) {
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    policies();
    mappings();
    result("interleave before fork", set(MPOL_INTERLEAVE, 1, 65));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        show("child");
        setuid(65534);
        char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        unsigned long one = 1;
        result("nobody mbind move all", syscall(SYS_mbind, m, 4096UL, MPOL_BIND, &one, 65UL, (unsigned long)MPOL_MF_MOVE_ALL));
        void *pages[1] = {m};
        int status[1];
        result("nobody move_pages move all", syscall(SYS_move_pages, 0, 1UL, pages, NULL, status, MPOL_MF_MOVE_ALL));
        result("nobody move_pages of root's", syscall(SYS_move_pages, getppid(), 1UL, pages, NULL, status, 0));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child status %#x\n", st);
    return 0;
}
