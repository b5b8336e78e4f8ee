/*
 * Prints the bytes of each struct the ABI module encodes, filled with distinct values through the real
 * kernel and glibc headers, plus field offsets. Run by hand (gcc structs.c && ./a.out) to produce the
 * golden bytes in StructGoldenTest.
 */
#include <asm/stat.h>
#include <linux/sysinfo.h>
#include <linux/time_types.h>
#include <linux/utsname.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <asm/termbits.h>
#include <sys/ioctl.h>

struct kernel_sigaction { unsigned long handler, flags, restorer, mask; };

static void hex(const char *name, const void *p, size_t n) {
    printf("%s ", name);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", ((const unsigned char *) p)[i]);
    }
    printf("\n");
}

int main(void) {
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_dev = 0x0102030405060708; st.st_ino = 0x1112131415161718; st.st_nlink = 3; st.st_mode = 0100644;
    st.st_uid = 1000; st.st_gid = 1001; st.st_rdev = 0x2122; st.st_size = 0x123456789; st.st_blksize = 4096;
    st.st_blocks = 17; st.st_atime = 1700000000; st.st_atime_nsec = 123; st.st_mtime = 1700000001;
    st.st_mtime_nsec = 456; st.st_ctime = 1700000002; st.st_ctime_nsec = 789;
    hex("stat", &st, sizeof st);
    printf("stat offsets %zu %zu %zu %zu %zu %zu\n", offsetof(struct stat, st_mode), offsetof(struct stat, st_rdev),
           offsetof(struct stat, st_blocks), offsetof(struct stat, st_atime_nsec), offsetof(struct stat, st_ctime_nsec),
           sizeof st);
    struct __kernel_timespec ts = {-5, 999999999};
    hex("timespec", &ts, sizeof ts);
    struct timeval tv = {1700000000, 654321};
    hex("timeval", &tv, sizeof tv);
    struct timezone tz = {-60, 1};
    hex("timezone", &tz, sizeof tz);
    struct rlimit rl = {8388608, RLIM_INFINITY};
    hex("rlimit", &rl, sizeof rl);
    struct iovec iov = {(void *) 0x7fff0000, 42};
    hex("iovec", &iov, sizeof iov);
    struct kernel_sigaction ksa = {0x401000, 0x14000000, 0x401234, 0x8001};
    hex("sigaction", &ksa, sizeof ksa);
    struct winsize ws = {24, 80, 640, 480};
    hex("winsize", &ws, sizeof ws);
    struct termios t;
    memset(&t, 0, sizeof t);
    t.c_iflag = 0x500; t.c_oflag = 0x5; t.c_cflag = 0xbf; t.c_lflag = 0x8a3b; t.c_line = 0;
    for (int i = 0; i < NCCS; i++) t.c_cc[i] = (unsigned char) (i + 1);
    hex("termios", &t, sizeof t);
    struct new_utsname u;
    memset(&u, 0, sizeof u);
    strcpy(u.sysname, "Linux"); strcpy(u.nodename, "host"); strcpy(u.release, "6.1.0");
    strcpy(u.version, "#1"); strcpy(u.machine, "x86_64"); strcpy(u.domainname, "(none)");
    hex("utsname", &u, sizeof u);
    struct sysinfo si;
    memset(&si, 0, sizeof si);
    si.uptime = 100; si.loads[0] = 1; si.loads[1] = 2; si.loads[2] = 3; si.totalram = 1 << 30; si.freeram = 1 << 29;
    si.sharedram = 5; si.bufferram = 6; si.totalswap = 7; si.freeswap = 8; si.procs = 9; si.totalhigh = 10;
    si.freehigh = 11; si.mem_unit = 1;
    hex("sysinfo", &si, sizeof si);
    return 0;
}
