/*
 * System V shared memory: shmget's key rules and errors, shmat at chosen and rounded addresses
 * (SHM_RND, SHM_REMAP, SHM_RDONLY), the pages shared across fork, shm_nattch, IPC_STAT, IPC_SET,
 * IPC_RMID while attached (SHM_DEST, the key freed), the *_INFO and *_STAT commands, permissions of
 * an unprivileged user, /proc/sysvipc/shm, /proc/PID/maps and the sysctls. Every segment is removed
 * at the end. Prints no id, address or time, only what they mean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errname.h"

static void check(const char *what, long r) {
    if (r < 0) {
        printf("%s: %s\n", what, errname(errno));
    } else {
        printf("%s: ok\n", what);
    }
}

static void show(const char *when, int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) {
        printf("%s: stat %s\n", when, errname(errno));
        return;
    }
    printf("%s: size %zu mode %o nattch %lu key0 %d cpid-self %d lpid-self %d atime %s dtime %s\n", when,
           ds.shm_segsz, (unsigned) ds.shm_perm.mode, (unsigned long) ds.shm_nattch, ds.shm_perm.__key == 0,
           ds.shm_cpid == getpid(), ds.shm_lpid == getpid(), ds.shm_atime ? "set" : "0", ds.shm_dtime ? "set" : "0");
}

/* The attachments in /proc/self/maps: named for the key the segment was made with (not printed). */
static void maps(const char *when, key_t key) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512], want[64];
    snprintf(want, sizeof want, "/SYSV%08x (deleted)\n", key);
    while (fgets(line, sizeof line, f)) {
        char *name = strstr(line, "/SYSV");
        if (name) {
            char perms[8];
            sscanf(line, "%*s %7s", perms);
            printf("%s maps: %s named for its key %d\n", when, perms, strcmp(name, want) == 0);
        }
    }
    fclose(f);
}

static void proc(int id) {
    FILE *f = fopen("/proc/sysvipc/shm", "r");
    char line[512];
    fgets(line, sizeof line, f);
    printf("sysvipc header: %s", line);
    while (fgets(line, sizeof line, f)) {
        int key, shmid;
        unsigned perms, cpid, lpid, uid;
        unsigned long size, nattch;
        sscanf(line, "%d %d %o %lu %u %u %lu %u", &key, &shmid, &perms, &size, &cpid, &lpid, &nattch, &uid);
        if (shmid == id) {
            printf("sysvipc: key %d perms %o size %lu cpid-self %d nattch %lu uid %u\n", key, perms, size,
                   cpid == (unsigned) getpid(), nattch, uid);
        }
    }
    fclose(f);
}

static void sysctl(const char *name) {
    char path[128], buf[128] = "";
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    FILE *f = fopen(path, "r");
    fgets(buf, sizeof buf, f);
    fclose(f);
    printf("%s: %s", name, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long page = sysconf(_SC_PAGESIZE);
    key_t key = 0x4a4c0000 | (getpid() & 0xffff);

    check("size 0", shmget(IPC_PRIVATE, 0, 0600));
    check("absent key", shmget(key, 4096, 0600));
    int k = shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600);
    check("create key", k);
    check("again excl", shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600));
    check("larger", shmget(key, 8193, 0600));
    printf("smaller same id: %d\n", shmget(key, 100, 0) == k);
    printf("creat same id: %d\n", shmget(key, 0, IPC_CREAT | 0600) == k);

    int id = shmget(IPC_PRIVATE, 10000, 0600);
    check("private", id);
    printf("private differs: %d\n", id != k);
    show("new", id);

    char *p = shmat(id, NULL, 0);
    check("attach", p == (void *) -1 ? -1 : 0);
    printf("aligned: %d zero: %d\n", ((unsigned long) p % page) == 0, p[0] == 0 && p[9999] == 0);
    strcpy(p, "parent wrote");
    p[12287] = 'e';
    show("attached", id);
    maps("attached", IPC_PRIVATE);

    pid_t c = fork();
    if (c == 0) {
        printf("child sees: %s, end %c\n", p, p[12287]);
        show("child", id);
        strcpy(p, "child wrote");
        char *q = shmat(id, NULL, SHM_RDONLY);
        printf("second attach same bytes: %d\n", strcmp(q, "child wrote") == 0);
        show("child two", id);
        check("mprotect write ro", mprotect(q, 4096, PROT_READ | PROT_WRITE));
        check("detach second", shmdt(q));
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("parent sees: %s\n", p);
    show("after child", id);

    /* A read-only attachment faults on a write. */
    c = fork();
    if (c == 0) {
        char *ro = shmat(id, NULL, SHM_RDONLY);
        ro[0] = 'x';
        _exit(0);
    }
    waitpid(c, &st, 0);
    printf("write to read-only: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "no SIGSEGV");

    /* Chosen addresses. */
    char *spot = mmap(NULL, 8 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(spot, 8 * page);
    char *at = shmat(id, spot, 0);
    printf("at address: %d\n", at == spot);
    check("occupied", (long) shmat(id, spot, 0));
    char *re = shmat(id, spot, SHM_REMAP);
    printf("remap: %d same bytes %d\n", re == spot, strcmp(re, "child wrote") == 0);
    check("unaligned", (long) shmat(id, spot + 4 * page + 5, 0));
    char *rnd = shmat(id, spot + 4 * page + 5, SHM_RND);
    printf("rounded: %d\n", rnd == spot + 4 * page);
    check("remap null", (long) shmat(id, NULL, SHM_REMAP));
    show("four", id);
    check("detach middle", shmdt(spot + page));
    check("detach unaligned", shmdt(spot + 1));
    check("detach at", shmdt(spot));
    check("detach rounded", shmdt(rnd));
    check("detach again", shmdt(spot));
    show("one", id);

    /* A split attachment still detaches whole; its pieces count. */
    char *s2 = shmat(id, NULL, 0);
    mprotect(s2 + page, page, PROT_READ);
    show("split", id);
    check("detach split", shmdt(s2));
    show("unsplit", id);

    /* IPC_SET and IPC_INFO. */
    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    ds.shm_perm.mode = 0640;
    check("set", shmctl(id, IPC_SET, &ds));
    show("set", id);
    struct shminfo info;
    int max = shmctl(0, IPC_INFO, (struct shmid_ds *) &info);
    printf("info: max index >= 0 %d shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu\n", max >= 0,
           info.shmmax, info.shmmin, info.shmmni, info.shmseg, info.shmall);
    struct shm_info used;
    max = shmctl(0, SHM_INFO, (struct shmid_ds *) &used);
    printf("shm_info: index ok %d used >= 2 %d\n", max >= id % 32768, used.used_ids >= 2);
    printf("stat by index: %d\n", shmctl(id % 32768, SHM_STAT, &ds) == id);
    printf("stat any by index: %d\n", shmctl(id % 32768, SHM_STAT_ANY, &ds) == id);
    check("stat bad id", shmctl(id + 32768, IPC_STAT, &ds));
    check("bad command", shmctl(id, 99, &ds));
    proc(id);
    sysctl("shmmax");
    sysctl("shmall");
    sysctl("shmmni");

    /* An unprivileged user. */
    c = fork();
    if (c == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0) {
            printf("setuid: %s\n", errname(errno));
            _exit(1);
        }
        check("other attach", (long) shmat(id, NULL, 0));
        check("other attach ro", (long) shmat(id, NULL, SHM_RDONLY));
        check("other stat", shmctl(id, IPC_STAT, &ds));
        printf("other stat any: %d\n", shmctl(id % 32768, SHM_STAT_ANY, &ds) == id);
        check("other rmid", shmctl(id, IPC_RMID, NULL));
        check("other get", shmget(key, 0, 0));
        _exit(0);
    }
    waitpid(c, &st, 0);

    /* IPC_RMID while attached: SHM_DEST, key 0, still attachable by id, gone at the last detach. */
    p = shmat(k, NULL, 0);
    check("rmid attached", shmctl(k, IPC_RMID, NULL));
    show("dest", k);
    check("key gone", shmget(key, 0, 0));
    char *again = shmat(k, NULL, 0);
    check("attach dest", again == (void *) -1 ? -1 : 0);
    maps("dest", key);
    shmdt(again);
    shmdt(p);
    show("destroyed", k);
    check("rmid", shmctl(id, IPC_RMID, NULL));
    show("removed", id);
    return 0;
}
