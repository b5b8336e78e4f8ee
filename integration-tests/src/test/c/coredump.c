/*
 * Core dumps (core(5)): children that die of SIGSEGV, SIGABRT, SIGQUIT, SIGFPE, SIGILL and SIGTERM under
 * RLIMIT_CORE 0, a page less one, 8 KiB and unlimited; what wait and waitid report (WCOREDUMP,
 * CLD_DUMPED) and the core file in the working directory ("core", or "core.PID" under core_uses_pid):
 * a regular file of mode 0600 with ELF magic and e_type ET_CORE, its notes (the faulting thread's
 * NT_PRSTATUS first, NT_PRPSINFO, NT_SIGINFO) and memory (a heap string, PT_LOADs following
 * coredump_filter). PR_SET_DUMPABLE 0 gives no core; a file, a symbolic link or a file of two links at
 * the name is unlinked and the core made anew, a directory there stops it.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static char corename[64];
static char *marker;
static volatile int *nowhere;
static int tidpipe[2];

__attribute__((noinline)) static void segv_here(void) {
    *nowhere = 1;
}

static volatile int zero, quotient;

static void *sleeper(void *arg) {
    (void) arg;
    pause();
    return NULL;
}

static void *crasher(void *arg) {
    (void) arg;
    int tid = (int) syscall(SYS_gettid);
    write(tidpipe[1], &tid, sizeof tid);
    segv_here();
    return NULL;
}

static void die(const char *how) {
    if (strcmp(how, "segv") == 0) {
        segv_here();
    } else if (strcmp(how, "abort") == 0) {
        abort();
    } else if (strcmp(how, "quit") == 0) {
        kill(getpid(), SIGQUIT);
    } else if (strcmp(how, "fpe") == 0) {
        quotient = 7 / zero;
    } else if (strcmp(how, "ill") == 0) {
        __asm__ volatile("ud2");
    } else if (strcmp(how, "term") == 0) {
        raise(SIGTERM);
    } else if (strcmp(how, "thread") == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, sleeper, NULL);
        pthread_create(&b, NULL, crasher, NULL);
        pause();
    }
    _exit(99);
}

/* Reads the whole file; NULL when it cannot be read. */
static unsigned char *slurp(const char *name, long *size) {
    int fd = open(name, O_RDONLY);
    if (fd < 0) {
        return NULL;
    }
    struct stat st;
    fstat(fd, &st);
    unsigned char *b = malloc(st.st_size + 1);
    long got = 0;
    while (got < st.st_size) {
        long n = read(fd, b + got, st.st_size - got);
        if (n <= 0) {
            break;
        }
        got += n;
    }
    close(fd);
    *size = got;
    return b;
}

/* What the core file says: its notes and whether the heap marker and the faulting RIP are in it. */
static void inspect(const char *name, int tid) {
    long size;
    unsigned char *b = slurp(name, &size);
    if (b == NULL || size < (long) sizeof(Elf64_Ehdr)) {
        printf("  core unreadable or short\n");
        free(b);
        return;
    }
    Elf64_Ehdr *eh = (Elf64_Ehdr *) b;
    printf("  magic %d class %d type %d machine %d\n", memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0,
           eh->e_ident[EI_CLASS], eh->e_type, eh->e_machine);
    if (eh->e_phoff + (long) eh->e_phnum * sizeof(Elf64_Phdr) > (unsigned long) size) {
        printf("  program headers cut off\n");
        free(b);
        return;
    }
    Elf64_Phdr *ph = (Elf64_Phdr *) (b + eh->e_phoff);
    int prstatus = 0, first = 1;
    int marker_found = 0, marker_dumped = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && (uintptr_t) marker >= ph[i].p_vaddr
                && (uintptr_t) marker < ph[i].p_vaddr + ph[i].p_memsz) {
            marker_found = 1;
            unsigned long at = ph[i].p_offset + ((uintptr_t) marker - ph[i].p_vaddr);
            marker_dumped = (uintptr_t) marker - ph[i].p_vaddr < ph[i].p_filesz && at + 16 <= (unsigned long) size
                    && memcmp(b + at, "heap marker 4242", 16) == 0;
        }
        if (ph[i].p_type != PT_NOTE || ph[i].p_offset + ph[i].p_filesz > (unsigned long) size) {
            continue;
        }
        unsigned char *n = b + ph[i].p_offset, *end = n + ph[i].p_filesz;
        while (n + sizeof(Elf64_Nhdr) <= end) {
            Elf64_Nhdr *nh = (Elf64_Nhdr *) n;
            const char *nname = (const char *) (n + sizeof *nh);
            unsigned char *desc = n + sizeof *nh + ((nh->n_namesz + 3) & ~3u);
            if (nh->n_type == NT_PRSTATUS && strcmp(nname, "CORE") == 0) {
                prstatus++;
                /* struct elf_prstatus: pr_cursig at 12, pr_pid at 32, pr_reg at 112 (rip is its 17th). */
                short cursig;
                int pid;
                uint64_t rip;
                memcpy(&cursig, desc + 12, 2);
                memcpy(&pid, desc + 32, 4);
                memcpy(&rip, desc + 112 + 16 * 8, 8);
                if (first) {
                    printf("  first prstatus: cursig %d, the faulting thread %d", cursig, pid == tid);
                    if (cursig == SIGSEGV) {
                        printf(", rip in segv_here %d", rip >= (uintptr_t) segv_here && rip < (uintptr_t) segv_here + 32);
                    }
                    printf("\n");
                }
                first = 0;
            } else if (nh->n_type == NT_PRPSINFO && strcmp(nname, "CORE") == 0) {
                /* struct elf_prpsinfo: pr_fname at 40, pr_psargs at 56. */
                printf("  prpsinfo fname %.16s args %.80s\n", (char *) desc + 40, (char *) desc + 56);
            } else if (nh->n_type == NT_SIGINFO && strcmp(nname, "CORE") == 0) {
                siginfo_t si;
                memcpy(&si, desc, sizeof si);
                printf("  siginfo signo %d code %d\n", si.si_signo, si.si_code);
            } else if (nh->n_type == NT_AUXV && strcmp(nname, "CORE") == 0) {
                printf("  auxv ends with AT_NULL %d\n", nh->n_descsz >= 16 && ((uint64_t *) desc)[nh->n_descsz / 8 - 2] == AT_NULL);
            } else if (nh->n_type == NT_FILE && strcmp(nname, "CORE") == 0) {
                printf("  file note has mappings %d\n", ((uint64_t *) desc)[0] > 0);
            }
            n = desc + ((nh->n_descsz + 3) & ~3u);
        }
    }
    printf("  threads %d, heap marker mapped %d dumped %d\n", prstatus, marker_found, marker_dumped);
    free(b);
}

/* The core file's state after a child died: absent, or its type, mode and header. */
static void report_core(int tid, int deep, long limit) {
    struct stat st;
    if (lstat(corename, &st) != 0) {
        printf("  no core file (%s)\n", errname(errno));
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        printf("  core is not a regular file (%o)\n", (unsigned) (st.st_mode & S_IFMT));
        return;
    }
    printf("  core regular mode %o links %d", (unsigned) (st.st_mode & 07777), (int) st.st_nlink);
    if (limit > 0) {
        printf(" within limit %d", st.st_size <= limit);
    }
    printf("\n");
    if (deep) {
        inspect(corename, tid);
    } else {
        long size;
        unsigned char *b = slurp(corename, &size);
        printf("  magic %d type %d\n", b && size >= 18 && memcmp(b, ELFMAG, SELFMAG) == 0,
               b && size >= 18 ? ((Elf64_Ehdr *) b)->e_type : -1);
        free(b);
    }
}

/* One child: its RLIMIT_CORE, dumpable flag and coredump_filter, then its death. */
static void run(const char *how, long limit, int dumpable, const char *filter, int deep) {
    printf("%s limit %ld dumpable %d filter %s\n", how, limit, dumpable, filter ? filter : "-");
    fflush(stdout);
    pipe(tidpipe);
    pid_t pid = fork();
    if (pid == 0) {
        close(tidpipe[0]);
        struct rlimit r = {limit < 0 ? RLIM_INFINITY : (rlim_t) limit, RLIM_INFINITY};
        if (setrlimit(RLIMIT_CORE, &r) != 0) {
            printf("setrlimit %s\n", errname(errno));
        }
        if (!dumpable) {
            prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        }
        if (filter) {
            int fd = open("/proc/self/coredump_filter", O_WRONLY);
            if (fd < 0 || write(fd, filter, strlen(filter)) < 0) {
                printf("coredump_filter %s\n", errname(errno));
            }
            close(fd);
        }
        die(how);
    }
    close(tidpipe[1]);
    int tid = 0;
    if (read(tidpipe[0], &tid, sizeof tid) != sizeof tid) {
        tid = 0;
    }
    close(tidpipe[0]);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    printf("  waitid code %s status %d\n", si.si_code == CLD_DUMPED ? "CLD_DUMPED" : si.si_code == CLD_KILLED
           ? "CLD_KILLED" : "other", si.si_status);
    int status;
    waitpid(pid, &status, 0);
    printf("  signaled %d sig %d coredump %d\n", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0,
           WIFSIGNALED(status) ? WCOREDUMP(status) != 0 : 0);
    snprintf(corename, sizeof corename, "core");
    FILE *f = fopen("/proc/sys/kernel/core_uses_pid", "r");
    int uses_pid = 0;
    if (f) {
        if (fscanf(f, "%d", &uses_pid) != 1) {
            uses_pid = 0;
        }
        fclose(f);
    }
    if (uses_pid) {
        snprintf(corename, sizeof corename, "core.%d", (int) pid);
    }
    report_core(tid ? tid : pid, deep, limit);
    unlink(corename);
}

/* A child that finds {@code setup} at the core's name before it dies of SIGSEGV. */
static void in_the_way(const char *what) {
    printf("in the way: %s\n", what);
    fflush(stdout);
    /* The child's pid decides core.PID; only "core" is used here, as core_uses_pid 0 names it. */
    FILE *f = fopen("/proc/sys/kernel/core_uses_pid", "r");
    int uses_pid = 0;
    if (f) {
        if (fscanf(f, "%d", &uses_pid) != 1) {
            uses_pid = 0;
        }
        fclose(f);
    }
    if (uses_pid) {
        printf("  core_uses_pid set: skipped\n");
        return;
    }
    if (strcmp(what, "mode 0644") == 0) {
        int fd = open("core", O_CREAT | O_WRONLY, 0644);
        fchmod(fd, 0644);
        write(fd, "old", 3);
        close(fd);
    } else if (strcmp(what, "mode 0600") == 0) {
        int fd = open("core", O_CREAT | O_WRONLY, 0600);
        write(fd, "old contents", 12);
        close(fd);
    } else if (strcmp(what, "directory") == 0) {
        mkdir("core", 0700);
    } else if (strcmp(what, "symlink") == 0) {
        symlink("elsewhere", "core");
    } else if (strcmp(what, "two links") == 0) {
        int fd = open("core", O_CREAT | O_WRONLY, 0600);
        close(fd);
        link("core", "core-link");
    }
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit r = {RLIM_INFINITY, RLIM_INFINITY};
        setrlimit(RLIMIT_CORE, &r);
        segv_here();
    }
    int status;
    waitpid(pid, &status, 0);
    printf("  sig %d coredump %d\n", WTERMSIG(status), WCOREDUMP(status) != 0);
    struct stat st;
    if (lstat("core", &st) == 0) {
        long size;
        unsigned char *b = S_ISREG(st.st_mode) ? slurp("core", &size) : NULL;
        printf("  core type %o mode %o ELF %d\n", (unsigned) (st.st_mode & S_IFMT), (unsigned) (st.st_mode & 07777),
               b != NULL && size >= 4 && memcmp(b, ELFMAG, SELFMAG) == 0);
        free(b);
    } else {
        printf("  no core (%s)\n", errname(errno));
    }
    unlink("core-link");
    if (rmdir("core") != 0) {
        unlink("core");
    }
    if (lstat("elsewhere", &st) == 0) {
        printf("  the link's target was made\n");
        unlink("elsewhere");
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(022);
    marker = malloc(64);
    strcpy(marker, "heap marker 4242");
    char buf[32] = "";
    int fd = open("/proc/self/coredump_filter", O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    printf("coredump_filter %s", n > 0 ? buf : "unreadable\n");
    close(fd);
    run("segv", 0, 1, NULL, 0);
    run("segv", 4095, 1, NULL, 0);
    run("segv", -1, 1, NULL, 1);
    run("segv", 8192, 1, NULL, 0);
    run("segv", -1, 0, NULL, 0);
    run("segv", -1, 1, "0x0", 1);
    run("abort", 0, 1, NULL, 0);
    run("abort", -1, 1, NULL, 1);
    run("quit", -1, 1, NULL, 1);
    run("fpe", -1, 1, NULL, 0);
    run("ill", -1, 1, NULL, 0);
    run("term", -1, 1, NULL, 0);
    run("thread", -1, 1, NULL, 1);
    in_the_way("mode 0644");
    in_the_way("mode 0600");
    in_the_way("directory");
    in_the_way("symlink");
    in_the_way("two links");
    return 0;
}
