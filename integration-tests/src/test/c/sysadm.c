/* reboot(2) in a PID namespace, modify_ldt's reads, and mprotect/pkey_mprotect's order of checks,
 * against Linux. Natively the program makes its own PID namespace (as root) and only then calls
 * reboot's commands; under jlx, whose run is one, that unshare is refused and the run is the
 * namespace. Argument: "restart" (the namespace's init calls RESTART) or "halt" (a grandchild calls
 * POWER_OFF while init waits). Without a namespace, natively, it stops before any command. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
/* linux/reboot.h's numbers (musl has no kernel headers). */
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_MAGIC2A 85072278
#define LINUX_REBOOT_MAGIC2B 369367448
#define LINUX_REBOOT_MAGIC2C 537993216
#define LINUX_REBOOT_CMD_RESTART 0x01234567
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define LINUX_REBOOT_CMD_RESTART2 0xa1b2c3d4
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000
#define LINUX_REBOOT_CMD_SW_SUSPEND 0xd000fce2
#define LINUX_REBOOT_CMD_KEXEC 0x45584543
#include "errname.h"

static void show(const char *what, long r) {
    if (r < 0) {
        printf("%s = -1 %s\n", what, errname(errno));
    } else {
        printf("%s = %ld\n", what, r);
    }
    fflush(stdout);
}

static long rb(int m1, int m2, unsigned cmd, void *arg) {
    return syscall(SYS_reboot, m1, m2, cmd, arg);
}

static void ldt(void) {
    unsigned char buf[256];
    memset(buf, 0xaa, sizeof buf);
    /* modify_ldt returns an int zero-extended to 64 bits: -ENOSYS is 4294967258. */
    printf("read ldt = %ld\n", syscall(SYS_modify_ldt, 0, buf, sizeof buf));
    printf("read ldt NULL 0 = %ld\n", syscall(SYS_modify_ldt, 0, NULL, 0));
    printf("read default 256 = %ld", syscall(SYS_modify_ldt, 2, buf, sizeof buf));
    printf(" first %02x byte127 %02x byte128 %02x\n", buf[0], buf[127], buf[128]);
    memset(buf, 0xaa, sizeof buf);
    printf("read default 5 = %ld byte4 %02x byte5 %02x\n", syscall(SYS_modify_ldt, 2, buf, 5), buf[4], buf[5]);
    errno = 0;
    long r = syscall(SYS_modify_ldt, 2, (void *) 16, 8);
    printf("read default bad pointer = %ld (%s)\n", r, (unsigned long) r == (unsigned) -EFAULT ? "-EFAULT" : "?");
    printf("func 3 = %lu, func -1 = %lu\n", (unsigned long) syscall(SYS_modify_ldt, 3, buf, 16),
           (unsigned long) syscall(SYS_modify_ldt, -1, buf, 16));
}

static void protections(void) {
    char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mprotect len 0 bad prot", syscall(SYS_mprotect, p, 0, 0x10000));
    show("mprotect unaligned len 0", syscall(SYS_mprotect, p + 1, 0, PROT_READ));
    show("mprotect both grows len 0", syscall(SYS_mprotect, p, 0, PROT_GROWSDOWN | PROT_GROWSUP));
    show("mprotect wrap bad prot", syscall(SYS_mprotect, p, -4096L, 0x10000));
    show("mprotect bad prot", syscall(SYS_mprotect, p, 4096, 0x10000));
    show("mprotect PROT_SEM", syscall(SYS_mprotect, p, 4096, PROT_READ | 0x8));
    show("mprotect unmapped", syscall(SYS_mprotect, p + 8192 * 1024L * 1024, 4096, PROT_READ));
    show("pkey_mprotect len 0 key 5", syscall(SYS_pkey_mprotect, p, 0, PROT_READ, 5));
    show("pkey_mprotect len 0 bad prot key -1", syscall(SYS_pkey_mprotect, NULL, 0, 0x10000, -1));
    show("pkey_mprotect wrap key 5", syscall(SYS_pkey_mprotect, p, -4096L, PROT_READ, 5));
    show("pkey_mprotect bad prot key 5", syscall(SYS_pkey_mprotect, p, 4096, 0x10000, 5));
    show("pkey_mprotect key 5", syscall(SYS_pkey_mprotect, p, 4096, PROT_READ, 5));
    show("pkey_mprotect key -1", syscall(SYS_pkey_mprotect, p, 4096, PROT_READ | PROT_WRITE, -1));
    p[0] = 1;
    show("written", p[0]);
}

/* The commands, in the namespace: they end it, so nothing after them prints. */
static void commands(int halt) {
    show("CAD_ON", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_ON, NULL));
    show("CAD_OFF", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2A, LINUX_REBOOT_CMD_CAD_OFF, NULL));
    show("bogus command", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2B, 0x12345678, NULL));
    show("SW_SUSPEND", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C, LINUX_REBOOT_CMD_SW_SUSPEND, NULL));
    show("KEXEC", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C, LINUX_REBOOT_CMD_KEXEC, NULL));
    if (!halt) {
        show("RESTART2 bad string", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART2, (void *) 16));
        printf("not reached\n");
        return;
    }
    pid_t grandchild = fork();
    if (grandchild == 0) {
        show("POWER_OFF", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL));
        printf("not reached either\n");
        _exit(3);
    }
    int status;
    waitpid(grandchild, &status, 0);
    printf("init still running after the grandchild's POWER_OFF\n");
}

int main(int argc, char **argv) {
    int halt = argc > 1 && strcmp(argv[1], "halt") == 0;
    ldt();
    protections();
    /* The magic numbers come first, whatever the namespace: these are safe anywhere. */
    show("bad magic1", rb(0, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART, NULL));
    show("bad magic2", rb(LINUX_REBOOT_MAGIC1, 0, LINUX_REBOOT_CMD_RESTART, NULL));
    pid_t child = fork();
    if (child == 0) {
        setuid(65534);
        show("nobody, bad magic", rb(0, 0, 0, NULL));
        show("nobody, RESTART", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART, NULL));
        _exit(0);
    }
    waitpid(child, NULL, 0);

    struct utsname u;
    uname(&u);
    int jlx = strstr(u.release, "jlx") != NULL;
    if (unshare(CLONE_NEWPID) != 0 && !jlx) {
        printf("no PID namespace of its own: reboot's commands not tried\n");
        return 1;
    }
    child = fork();
    if (child == 0) {
        commands(halt);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    /* As unshare(1) does: end as the namespace's init ended. */
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        kill(getpid(), WTERMSIG(status));
    }
    printf("init exited %d\n", WEXITSTATUS(status));
    return 0;
}
