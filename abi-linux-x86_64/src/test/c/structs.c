/*
 * Prints the bytes of each struct the ABI module encodes, filled with distinct values through the real
 * kernel and glibc headers, plus field offsets. Run by hand (gcc structs.c signal_structs.c && ./a.out)
 * to produce the golden bytes in StructGoldenTest.
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
#include <sys/times.h>
#include <linux/stat.h>
#include <linux/rseq.h>
#include <asm-generic/fcntl.h>

struct kernel_sigaction { unsigned long handler, flags, restorer, mask; };

/* signal_structs.c: the structs whose kernel headers clash with glibc's. */
void signal_structs(void);

#define O(s, f) printf("offset %s %s %zu\n", #s, #f, offsetof(struct s, f))
#define Z(s) printf("size %s %zu\n", #s, sizeof(struct s))

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
    struct f_owner_ex fo = {F_OWNER_PGRP, 1234567};
    hex("f_owner_ex", &fo, sizeof fo);
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
    struct statx sx;
    memset(&sx, 0, sizeof sx);
    sx.stx_mask = 0x17ff; sx.stx_blksize = 4096; sx.stx_attributes = 0x100000; sx.stx_nlink = 2; sx.stx_uid = 1000;
    sx.stx_gid = 1001; sx.stx_mode = 040755; sx.stx_ino = 0x1112131415161718; sx.stx_size = 0x123456789;
    sx.stx_blocks = 8; sx.stx_attributes_mask = 0x203074;
    sx.stx_atime.tv_sec = 1700000000; sx.stx_atime.tv_nsec = 1;
    sx.stx_btime.tv_sec = -1; sx.stx_btime.tv_nsec = 2;
    sx.stx_ctime.tv_sec = 1700000002; sx.stx_ctime.tv_nsec = 3;
    sx.stx_mtime.tv_sec = 1700000003; sx.stx_mtime.tv_nsec = 999999999;
    sx.stx_rdev_major = 136; sx.stx_rdev_minor = 3; sx.stx_dev_major = 8; sx.stx_dev_minor = 1;
    sx.stx_mnt_id = 29; sx.stx_dio_mem_align = 512; sx.stx_dio_offset_align = 4096;
    hex("statx", &sx, sizeof sx);
    struct tms tm = {11, 22, 33, 44};
    hex("tms", &tm, sizeof tm);
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    ru.ru_utime.tv_sec = 1; ru.ru_utime.tv_usec = 2; ru.ru_stime.tv_sec = 3; ru.ru_stime.tv_usec = 4;
    ru.ru_maxrss = 5; ru.ru_ixrss = 6; ru.ru_idrss = 7; ru.ru_isrss = 8; ru.ru_minflt = 9; ru.ru_majflt = 10;
    ru.ru_nswap = 11; ru.ru_inblock = 12; ru.ru_oublock = 13; ru.ru_msgsnd = 14; ru.ru_msgrcv = 15;
    ru.ru_nsignals = 16; ru.ru_nvcsw = 17; ru.ru_nivcsw = 18;
    hex("rusage", &ru, sizeof ru);

    Z(stat); O(stat, st_dev); O(stat, st_ino); O(stat, st_nlink); O(stat, st_mode); O(stat, st_uid); O(stat, st_gid);
    O(stat, st_rdev); O(stat, st_size); O(stat, st_blksize); O(stat, st_blocks); O(stat, st_atime);
    O(stat, st_atime_nsec); O(stat, st_mtime); O(stat, st_mtime_nsec); O(stat, st_ctime); O(stat, st_ctime_nsec);
    Z(__kernel_timespec); O(__kernel_timespec, tv_sec); O(__kernel_timespec, tv_nsec);
    Z(timeval); O(timeval, tv_sec); O(timeval, tv_usec);
    Z(timezone); O(timezone, tz_minuteswest); O(timezone, tz_dsttime);
    Z(rlimit); O(rlimit, rlim_cur); O(rlimit, rlim_max);
    Z(iovec); O(iovec, iov_base); O(iovec, iov_len);
    Z(f_owner_ex); O(f_owner_ex, type); O(f_owner_ex, pid);
    Z(kernel_sigaction); O(kernel_sigaction, handler); O(kernel_sigaction, flags); O(kernel_sigaction, restorer);
    O(kernel_sigaction, mask);
    Z(winsize); O(winsize, ws_row); O(winsize, ws_col); O(winsize, ws_xpixel); O(winsize, ws_ypixel);
    Z(termios); O(termios, c_iflag); O(termios, c_oflag); O(termios, c_cflag); O(termios, c_lflag); O(termios, c_line);
    O(termios, c_cc);
    Z(new_utsname); O(new_utsname, sysname); O(new_utsname, nodename); O(new_utsname, release);
    O(new_utsname, version); O(new_utsname, machine); O(new_utsname, domainname);
    Z(sysinfo); O(sysinfo, uptime); O(sysinfo, loads); O(sysinfo, totalram); O(sysinfo, freeram); O(sysinfo, sharedram);
    O(sysinfo, bufferram); O(sysinfo, totalswap); O(sysinfo, freeswap); O(sysinfo, procs); O(sysinfo, pad);
    O(sysinfo, totalhigh); O(sysinfo, freehigh); O(sysinfo, mem_unit);
    Z(statx_timestamp); O(statx_timestamp, tv_sec); O(statx_timestamp, tv_nsec);
    Z(statx); O(statx, stx_mask); O(statx, stx_blksize); O(statx, stx_attributes); O(statx, stx_nlink); O(statx, stx_uid);
    O(statx, stx_gid); O(statx, stx_mode); O(statx, stx_ino); O(statx, stx_size); O(statx, stx_blocks);
    O(statx, stx_attributes_mask); O(statx, stx_atime); O(statx, stx_btime); O(statx, stx_ctime); O(statx, stx_mtime);
    O(statx, stx_rdev_major); O(statx, stx_rdev_minor); O(statx, stx_dev_major); O(statx, stx_dev_minor);
    O(statx, stx_mnt_id); O(statx, stx_dio_mem_align); O(statx, stx_dio_offset_align);
    Z(tms); O(tms, tms_utime); O(tms, tms_stime); O(tms, tms_cutime); O(tms, tms_cstime);
    Z(rusage); O(rusage, ru_utime); O(rusage, ru_stime); O(rusage, ru_maxrss); O(rusage, ru_ixrss); O(rusage, ru_idrss);
    O(rusage, ru_isrss); O(rusage, ru_minflt); O(rusage, ru_majflt); O(rusage, ru_nswap); O(rusage, ru_inblock);
    O(rusage, ru_oublock); O(rusage, ru_msgsnd); O(rusage, ru_msgrcv); O(rusage, ru_nsignals); O(rusage, ru_nvcsw);
    O(rusage, ru_nivcsw);
    Z(rseq); O(rseq, cpu_id_start); O(rseq, cpu_id); O(rseq, rseq_cs); O(rseq, flags);
    Z(rseq_cs); O(rseq_cs, version); O(rseq_cs, flags); O(rseq_cs, start_ip); O(rseq_cs, post_commit_offset);
    O(rseq_cs, abort_ip);
    signal_structs();
    return 0;
}
