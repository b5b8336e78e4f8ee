/* NUMA memory policy on a machine of one node (node 0): set_mempolicy and get_mempolicy's modes,
 * flags and masks, mbind's checks and the policies it gives mappings (split and merged as VMAs, kept
 * by mprotect, mremap and fork, seen in /proc/self/maps), MPOL_MF_STRICT's EIO, move_pages' page
 * states, migrate_pages and set_mempolicy_home_node. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
    case EIO: return "EIO";
    case ENOMEM: return "ENOMEM";
    case EOPNOTSUPP: return "EOPNOTSUPP";
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

/* The lines of /proc/self/maps within [start, end): how many VMAs the range holds. */
static int vmas(char *start, char *end) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long from, to;
        if (sscanf(line, "%lx-%lx", &from, &to) == 2 && from < (uintptr_t)end && to > (uintptr_t)start) {
            n++;
        }
    }
    fclose(f);
    return n;
}

static void at(const char *what, char *addr) {
    int mode = -1;
    unsigned long mask = 0xa5;
    long r = syscall(SYS_get_mempolicy, &mode, &mask, 65UL, addr, (unsigned long)MPOL_F_ADDR);
    if (r < 0) {
        printf("%s: F_ADDR -1 %s\n", what, errname(errno));
    } else {
        printf("%s: mode %#x mask %lx\n", what, mode, mask);
    }
}

static long bind(char *addr, unsigned long len, int mode, unsigned long mask, unsigned long flags) {
    return syscall(SYS_mbind, addr, len, mode, mask == 0 ? NULL : &mask, 65UL, flags);
}

static void vma_policies(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *end = m + 8 * page;
    printf("vmas %d\n", vmas(m, end));
    result("bind pages 1-2", bind(m + page, 2 * page, MPOL_BIND, 1, 0));
    at("page 0", m);
    at("page 1", m + page);
    at("page 2 inside", m + 2 * page + 100);
    at("page 3", m + 3 * page);
    printf("vmas %d\n", vmas(m, end));
    result("same again", bind(m + page, 2 * page, MPOL_BIND, 1, 0));
    printf("vmas %d\n", vmas(m, end));
    result("default pages 1-2", bind(m + page, 2 * page, MPOL_DEFAULT, 0, 0));
    at("page 1", m + page);
    printf("vmas %d\n", vmas(m, end));
    result("interleave static 0|1 all", bind(m, 8 * page, MPOL_INTERLEAVE | MPOL_F_STATIC_NODES, 3, 0));
    at("page 5", m + 5 * page);
    printf("vmas %d\n", vmas(m, end));
    result("preferred 0|1 pages 2-3", bind(m + 2 * page, 2 * page, MPOL_PREFERRED, 3, 0));
    result("local page 4", bind(m + 4 * page, page, MPOL_LOCAL, 0, 0));
    result("preferred empty page 5", bind(m + 5 * page, page, MPOL_PREFERRED, 0, 0));
    result("relative 1 page 6", bind(m + 6 * page, page, MPOL_BIND | MPOL_F_RELATIVE_NODES, 2, 0));
    for (int i = 0; i < 8; i++) {
        char what[16];
        snprintf(what, sizeof what, "page %d", i);
        at(what, m + i * page);
    }
    printf("vmas %d\n", vmas(m, end));

    /* mprotect splits a mapping; each part keeps its policy. */
    result("mprotect page 3", mprotect(m + 3 * page, page, PROT_READ));
    at("page 3 read-only", m + 3 * page);
    at("page 2", m + 2 * page);
    printf("vmas %d\n", vmas(m, end));
    result("mprotect back", mprotect(m + 3 * page, page, PROT_READ | PROT_WRITE));
    printf("vmas %d\n", vmas(m, end));
    result("munmap page 7", munmap(m + 7 * page, page));
    at("page 7 unmapped", m + 7 * page);
    result("mbind over the hole", bind(m + 6 * page, 2 * page, MPOL_BIND, 1, 0));
    result("default over the hole", bind(m + 6 * page, 2 * page, MPOL_DEFAULT, 0, 0));
    at("page 6", m + 6 * page);
    /* The hole filled again (else another mapping could land there): a mapping without a policy. */
    mmap(m + 7 * page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    at("page 7 mapped again", m + 7 * page);
    printf("vmas %d\n", vmas(m, end));

    /* MPOL_MF_STRICT alone: EIO for a page in memory off the nodes asked for (none for local). */
    m[4 * page] = 1;
    result("local strict, page in memory", bind(m + 4 * page, page, MPOL_LOCAL, 0, MPOL_MF_STRICT));
    result("local strict|move", bind(m + 4 * page, page, MPOL_LOCAL, 0, MPOL_MF_STRICT | MPOL_MF_MOVE));
    result("bind strict", bind(m + 4 * page, page, MPOL_BIND, 1, MPOL_MF_STRICT));
    at("page 4", m + 4 * page);
    result("relative 1 strict", bind(m + 4 * page, page, MPOL_BIND | MPOL_F_RELATIVE_NODES, 2, MPOL_MF_STRICT));
    at("page 4 after EIO", m + 4 * page);
    result("relative 1 move", bind(m + 4 * page, page, MPOL_BIND | MPOL_F_RELATIVE_NODES, 2, MPOL_MF_MOVE));
    at("page 4", m + 4 * page);
    result("preferred empty strict, untouched", bind(m + 5 * page, page, MPOL_PREFERRED, 0, MPOL_MF_STRICT));
    result("default strict", bind(m + 4 * page, page, MPOL_DEFAULT, 0, MPOL_MF_STRICT));

    /* MPOL_F_NODE with MPOL_F_ADDR: the page's node, faulted in; none for a page without access. */
    int node = -1;
    result("F_ADDR|F_NODE untouched", syscall(SYS_get_mempolicy, &node, NULL, 0UL, m + 6 * page,
                                              (unsigned long)(MPOL_F_ADDR | MPOL_F_NODE)));
    printf("node %d\n", node);
    char *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    result("F_ADDR|F_NODE PROT_NONE", syscall(SYS_get_mempolicy, &node, NULL, 0UL, none,
                                              (unsigned long)(MPOL_F_ADDR | MPOL_F_NODE)));
    at("PROT_NONE", none);
    result("bind PROT_NONE", bind(none, page, MPOL_BIND, 1, 0));
    at("PROT_NONE", none);

    /* set_mempolicy_home_node: mappings with MPOL_BIND or MPOL_PREFERRED_MANY take it. */
    result("home node, default then local", syscall(SYS_set_mempolicy_home_node, m + 4 * page, 3 * page, 0UL, 0UL));
    result("home node, interleave", syscall(SYS_set_mempolicy_home_node, m, 2 * page, 0UL, 0UL));
    result("home node, no policy", syscall(SYS_set_mempolicy_home_node, m + 6 * page, 2 * page, 0UL, 0UL));
    result("home node, default", syscall(SYS_set_mempolicy_home_node, m + 4 * page, page, 0UL, 0UL));
    result("preferred many pages 0-1", bind(m, 2 * page, MPOL_PREFERRED_MANY, 1, 0));
    printf("vmas %d\n", vmas(m, end));
    result("home node, page 1", syscall(SYS_set_mempolicy_home_node, m + page, page, 0UL, 0UL));
    printf("vmas %d\n", vmas(m, end));
    at("page 1", m + page);
    result("home node 1", syscall(SYS_set_mempolicy_home_node, m + page, page, 1UL, 0UL));

    /* mremap moves a mapping with its policy; growing in place keeps it too. */
    char *r = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(r + 2 * page, 2 * page);
    result("bind r", bind(r, 2 * page, MPOL_BIND | MPOL_F_STATIC_NODES, 5, 0));
    char *grown = mremap(r, 2 * page, 4 * page, 0);
    if (grown != MAP_FAILED) {
        at("grown in place, new page", grown + 3 * page);
        r = grown;
    } else {
        printf("mremap in place -1 %s\n", errname(errno));
    }
    char *dst = mmap(NULL, 8 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(r, 4 * page, 8 * page, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
    if (moved == MAP_FAILED) {
        printf("mremap -1 %s\n", errname(errno));
    } else {
        at("moved", moved);
        at("moved, new page", moved + 7 * page);
        at("old place", r);
    }

    /* A child has copies of the mappings and their policies. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        at("child page 1", m + page);
        at("child page 2", m + 2 * page);
        printf("child vmas %d\n", vmas(m, end));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* The one node as sysfs and /proc/self/status show it. */
static void topology(void) {
    static const char *files[] = {"possible", "online", "has_normal_memory", "has_memory", "has_cpu",
                                  "node0/cpulist", "node0/cpumap", "node0/distance"};
    char path[128], text[256];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "/sys/devices/system/node/%s", files[i]);
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            printf("%s: %s\n", files[i], errname(errno));
            continue;
        }
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = 0;
        fclose(f);
        printf("%s: %s", files[i], text);
    }
    FILE *f = fopen("/proc/self/status", "r");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Mems_allowed_list:", 18) == 0) {
            printf("%s", line);
        }
    }
    fclose(f);
}

static void page_states(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 1;
    m[2 * page] = 1;
    munmap(m + page, page);
    /* Node 1 at the third page: the states of the two before it are stored, then ENODEV. */
    void *pages[4] = {m, m + page, m + 2 * page, m};
    int nodes[4] = {0, 0, 1, 0};
    int status[4] = {9, 9, 9, 9};
    result("move to 0, 0, 1", syscall(SYS_move_pages, 0, 4UL, pages, nodes, status, MPOL_MF_MOVE));
    printf("status %d %d %d %d\n", status[0], status[1], status[2], status[3]);
    nodes[2] = -1;
    result("move to -1", syscall(SYS_move_pages, 0, 4UL, pages, nodes, status, MPOL_MF_MOVE));
    /* The page addresses are read 16 at a time: a fault at the 18th leaves 16 states written. */
    char *arr = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(arr + page, page);
    void **list = (void **)(arr + page - 17 * sizeof(void *));
    for (int i = 0; i < 17; i++) {
        list[i] = m;
    }
    int many[20];
    memset(many, 9, sizeof many);
    result("stat 20, 17 readable", syscall(SYS_move_pages, 0, 20UL, list, NULL, many, 0));
    printf("status %d %d %d %d\n", many[0], many[15], many[16] == 0x09090909, many[17] == 0x09090909);
    memset(many, 9, sizeof many);
    result("move 20, 17 readable", syscall(SYS_move_pages, 0, 20UL, list, (int[20]){0}, many, 0));
    printf("status %d %d %d\n", many[0], many[16], many[17] == 0x09090909);
    result("stat, status fault", syscall(SYS_move_pages, 0, 1UL, pages, NULL, (void *)8, 0));
    unsigned long zero = 0, one = 1, two = 2;
    result("migrate_pages to none", syscall(SYS_migrate_pages, 0, 65UL, &one, &zero));
    result("migrate_pages to 1 (root)", syscall(SYS_migrate_pages, 0, 65UL, &one, &two));
    result("migrate_pages 1 to 0", syscall(SYS_migrate_pages, 0, 65UL, &two, &one));
    result("migrate_pages no masks", syscall(SYS_migrate_pages, 0, 0UL, NULL, NULL));
    /* A zombie has no memory left to ask about. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    siginfo_t info;
    waitid(P_PID, pid, &info, WEXITED | WNOWAIT);
    result("move_pages of a zombie", syscall(SYS_move_pages, pid, 1UL, pages, NULL, status, 0));
    result("migrate_pages of a zombie", syscall(SYS_migrate_pages, pid, 65UL, &one, &one));
    result("migrate_pages of a zombie, no node", syscall(SYS_migrate_pages, pid, 65UL, &one, &zero));
    waitpid(pid, NULL, 0);
    result("move_pages of a reaped child", syscall(SYS_move_pages, pid, 1UL, pages, NULL, status, 0));
}

/* A thread's policy is its own; a new thread starts with its creator's. */
static void *thread_main(void *arg) {
    show((const char *)arg);
    result("thread sets bind", set(MPOL_BIND, 1, 65));
    show("thread after");
    return NULL;
}

static void threads(void) {
    result("preferred before the thread", set(MPOL_PREFERRED, 1, 65));
    pthread_t th;
    fflush(stdout);
    pthread_create(&th, NULL, thread_main, "new thread");
    pthread_join(th, NULL);
    show("creator after the thread");
}

int main(void) {
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    policies();
    mappings();
    vma_policies();
    page_states();
    topology();
    threads();
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
        unsigned long two = 2;
        result("nobody migrate_pages to 1", syscall(SYS_migrate_pages, 0, 65UL, &one, &two));
        result("nobody migrate_pages to 0", syscall(SYS_migrate_pages, 0, 65UL, &two, &one));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child status %#x\n", st);
    return 0;
}
