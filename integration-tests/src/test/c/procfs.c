/*
 * What a program learns about itself from /proc and /sys. Prints only what is the same natively and
 * under an emulator: no pids, addresses or sizes, only whether each file agrees with the syscalls
 * and with the process's own memory. argv[1] is a scratch directory, printed as DIR.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "errname.h"

extern char **environ;
static const char *dir;
/* The auxiliary vector the kernel put on the stack (glibc's getauxval(AT_HWCAP) is glibc's own). */
static unsigned long *stack_auxv;
static size_t stack_auxv_bytes;

static unsigned long stack_aux(unsigned long type) {
    for (unsigned long *a = stack_auxv; a[0] != AT_NULL; a += 2) {
        if (a[0] == type) {
            return a[1];
        }
    }
    return 0;
}

/* The whole file, NUL-terminated; its length in *length. */
static char *slurp(const char *path, size_t *length) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return NULL;
    }
    size_t size = 0, capacity = 256;
    char *buf = malloc(capacity);
    ssize_t n;
    /* Small reads: the file must continue correctly from where the last read stopped. */
    while ((n = read(fd, buf + size, capacity - size - 1 < 100 ? capacity - size - 1 : 100)) > 0) {
        size += n;
        if (capacity - size < 2) {
            buf = realloc(buf, capacity *= 2);
        }
    }
    close(fd);
    buf[size] = 0;
    if (length != NULL) {
        *length = size;
    }
    return buf;
}

/* The value after "key:" in a status-like file, or "". Eight buffers, so one printf may use several. */
static const char *field(const char *text, const char *key) {
    static char values[8][512];
    static int next;
    char *value = values[next++ % 8];
    size_t k = strlen(key);
    for (const char *line = text; line != NULL && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, k) == 0 && line[k] == ':') {
            const char *v = line + k + 1;
            while (*v == '\t' || *v == ' ') {
                v++;
            }
            size_t n = strcspn(v, "\n");
            snprintf(value, sizeof values[0], "%.*s", (int) n, v);
            return value;
        }
    }
    return "";
}

/* errno names; musl has no strerrorname_np. */

/* readlink as a string, with the scratch directory shown as DIR. Four buffers, as for field(). */
static const char *link_of(const char *path) {
    static char shown_in[4][PATH_MAX + 16];
    static int next;
    char *shown = shown_in[next++ % 4];
    const size_t size = sizeof shown_in[0];
    char target[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
        snprintf(shown, size, "error %s", errname(errno));
        return shown;
    }
    target[n] = 0;
    size_t d = strlen(dir);
    if (strncmp(target, dir, d) == 0) {
        snprintf(shown, size, "DIR%s", target + d);
    } else {
        snprintf(shown, size, "%s", target);
    }
    return shown;
}

static const char *yes(int b) {
    return b ? "yes" : "no";
}

static void descriptors(void) {
    char path[PATH_MAX], link[64];
    snprintf(path, sizeof path, "%s/file", dir);
    int file = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    int directory = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int null = open("/dev/null", O_WRONLY);
    int fds[2];
    pipe(fds);
    printf("fds %d %d %d %d %d\n", file, directory, null, fds[0], fds[1]);
    snprintf(link, sizeof link, "/proc/self/fd/%d", file);
    printf("file -> %s\n", link_of(link));
    snprintf(link, sizeof link, "/proc/self/fd/%d", directory);
    printf("directory -> %s\n", link_of(link));
    snprintf(link, sizeof link, "/proc/self/fd/%d", null);
    printf("null -> %s\n", link_of(link));
    snprintf(link, sizeof link, "/proc/self/fd/%d", fds[0]);
    struct stat st;
    fstat(fds[0], &st);
    char expected[64];
    snprintf(expected, sizeof expected, "pipe:[%lu]", (unsigned long) st.st_ino);
    printf("pipe link names its inode %s\n", yes(strcmp(link_of(link), expected) == 0));
    fstat(0, &st);
    snprintf(expected, sizeof expected, "pipe:[%lu]", (unsigned long) st.st_ino);
    printf("stdin is a pipe with its inode %s\n", yes(strcmp(link_of("/proc/self/fd/0"), expected) == 0));
    struct stat lst;
    snprintf(link, sizeof link, "/proc/self/fd/%d", file);
    lstat(link, &lst);
    printf("fd link mode %o size %lld\n", lst.st_mode, (long long) lst.st_size);
    snprintf(link, sizeof link, "/proc/self/fd/%d", null);
    lstat(link, &lst);
    printf("write-only fd link mode %o\n", lst.st_mode);
    printf("stat through the link is the file %s\n", yes(stat(link, &lst) == 0 && S_ISCHR(lst.st_mode)));

    write(file, "0123456789", 10);
    lseek(file, 4, SEEK_SET);
    snprintf(link, sizeof link, "/proc/self/fdinfo/%d", file);
    char *info = slurp(link, NULL);
    printf("fdinfo pos %s flags %s\n", field(info, "pos"), field(info, "flags"));
    free(info);
    snprintf(link, sizeof link, "/proc/self/fdinfo/%d", directory);
    info = slurp(link, NULL);
    printf("fdinfo of an O_CLOEXEC directory: flags %s\n", field(info, "flags"));
    free(info);

    DIR *d = opendir("/proc/self/fd");
    int seen[64] = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            int n = atoi(e->d_name);
            if (n >= 0 && n < 64) {
                seen[n] = e->d_type;
            }
        }
    }
    closedir(d);
    printf("listed fds:");
    for (int i = 0; i < 64; i++) {
        if (seen[i]) {
            printf(" %d(%s)", i, seen[i] == DT_LNK ? "lnk" : "?");
        }
    }
    printf("\n");

    unlink(path);
    snprintf(link, sizeof link, "/proc/self/fd/%d", file);
    printf("after unlink -> %s\n", link_of(link));
    snprintf(link, sizeof link, "/proc/self/fd/%d", 99);
    printf("closed fd -> %s\n", link_of(link));
    close(file);
    close(directory);
    close(null);
    close(fds[0]);
    close(fds[1]);
}

/* Every maps line parses, ranges ascend, and the stack, heap and code are where they should be. */
static void maps(int argc, char **argv) {
    char *text = slurp("/proc/self/maps", NULL);
    char *exe = realpath(argv[0], NULL);
    int lines = 0, wellformed = 1, ascending = 1, stack = 0, heap = 0, code = 0, padded = 1;
    unsigned long previous = 0;
    void *small = malloc(32);
    int local = argc;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        unsigned long start, end, offset, inode;
        unsigned major, minor;
        char perms[5];
        int name = 0;
        lines++;
        if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &start, &end, perms, &offset, &major, &minor, &inode, &name)
                != 7 || start >= end || strspn(perms, "rwxps-") != 4 || (perms[3] != 'p' && perms[3] != 's')) {
            wellformed = 0;
            printf("bad line: %s\n", line);
            continue;
        }
        if (start < previous) {
            ascending = 0;
        }
        previous = end;
        const char *path = line + name;
        if (*path && name != 73) {
            padded = 0;
        }
        unsigned long at = (unsigned long) &local;
        if (at >= start && at < end && strcmp(path, "[stack]") == 0) {
            stack = 1;
        }
        at = (unsigned long) small;
        if (at >= start && at < end && strcmp(path, "[heap]") == 0) {
            heap = 1;
        }
        at = (unsigned long) &maps;
        if (at >= start && at < end && perms[2] == 'x' && exe != NULL && strcmp(path, exe) == 0) {
            code = 1;
        }
    }
    printf("maps: lines %s, well formed %s, ascending %s, names at column 73 %s\n", yes(lines > 3), yes(wellformed),
            yes(ascending), yes(padded));
    printf("maps: stack variable in [stack] %s, malloc in [heap] %s, code in the executable %s\n", yes(stack),
            yes(heap), yes(code));
    free(small);
    free(text);
    free(exe);
}

static void status_and_stat(int argc, char **argv) {
    char *status = slurp("/proc/self/status", NULL);
    char name[16] = {0};
    prctl(PR_GET_NAME, name);
    printf("status Name is comm %s, State %s\n", yes(strcmp(field(status, "Name"), name) == 0),
            field(status, "State"));
    printf("status Pid %s PPid %s Tgid %s\n", yes(atoi(field(status, "Pid")) == getpid()),
            yes(atoi(field(status, "PPid")) == getppid()), yes(atoi(field(status, "Tgid")) == getpid()));
    char ids[128];
    snprintf(ids, sizeof ids, "%d\t%d\t%d\t%d", getuid(), geteuid(), geteuid(), geteuid());
    printf("status Uid %s", yes(strcmp(field(status, "Uid"), ids) == 0));
    snprintf(ids, sizeof ids, "%d\t%d\t%d\t%d", getgid(), getegid(), getegid(), getegid());
    printf(" Gid %s Threads %s\n", yes(strcmp(field(status, "Gid"), ids) == 0), field(status, "Threads"));
    mode_t mask = umask(027);
    sigset_t usr1, old, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    sigprocmask(SIG_BLOCK, NULL, &now);
    unsigned long long blocked = 0;
    for (int sig = 1; sig < 65; sig++) {
        if (sigismember(&now, sig) == 1) {
            blocked |= 1ULL << (sig - 1);
        }
    }
    free(status);
    status = slurp("/proc/self/status", NULL);
    printf("status Umask is umask %s, SigBlk is the mask %s\n", yes(strtol(field(status, "Umask"), NULL, 8) == 027),
            yes(strtoull(field(status, "SigBlk"), NULL, 16) == blocked));
    umask(mask);
    sigprocmask(SIG_SETMASK, &old, NULL);
    long vmsize = atol(field(status, "VmSize"));
    long vmrss = atol(field(status, "VmRSS"));
    printf("status VmSize > VmRSS > 0 %s, VmStk > 0 %s\n", yes(vmsize > vmrss && vmrss > 0),
            yes(atol(field(status, "VmStk")) > 0));
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    char list[64];
    snprintf(list, sizeof list, CPU_COUNT(&set) == 1 ? "0" : "0-%d", CPU_COUNT(&set) - 1);
    printf("status Cpus_allowed_list is the affinity %s\n", yes(strcmp(field(status, "Cpus_allowed_list"), list) == 0));

    char *statm = slurp("/proc/self/statm", NULL);
    long pages[7];
    printf("statm has 7 fields %s\n", yes(sscanf(statm, "%ld %ld %ld %ld %ld %ld %ld", &pages[0], &pages[1],
            &pages[2], &pages[3], &pages[4], &pages[5], &pages[6]) == 7));
    free(statm);
    free(status);

    char *stat = slurp("/proc/self/stat", NULL);
    char comm[64];
    char state;
    int pid, ppid, pgrp, session;
    sscanf(stat, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state, &ppid, &pgrp, &session);
    printf("stat pid %s comm %s state %c ppid %s pgrp %s session %s\n", yes(pid == getpid()),
            yes(strcmp(comm, name) == 0), state, yes(ppid == getppid()), yes(pgrp == getpgrp()),
            yes(session == getsid(0)));
    /* Fields after the comm: 3 is the state, so field n is at index n - 3 of what follows. */
    char *rest = strrchr(stat, ')') + 2;
    unsigned long long f[60] = {0};
    int count = 0;
    for (char *tok = strtok(rest, " \n"); tok != NULL && count < 60; tok = strtok(NULL, " \n")) {
        f[count++] = strtoull(tok, NULL, 10);
    }
    printf("stat has 52 fields %s, num_threads %llu, exit_signal %llu\n", yes(count + 2 == 52), f[20 - 3],
            f[38 - 3]);
    size_t last = strlen(argv[argc - 1]);
    printf("stat: argc at startstack %s, arg_start %s, arg_end %s, env_start %s, env_end %s\n",
            yes((char **) (f[28 - 3] + 8) == argv), yes(f[48 - 3] == (unsigned long long) argv[0]),
            yes(f[49 - 3] == (unsigned long long) (argv[argc - 1] + last + 1)),
            yes(environ[0] == NULL || f[50 - 3] == (unsigned long long) environ[0]),
            yes(f[51 - 3] > f[50 - 3]));
    printf("stat rsslim unlimited %s, start_code < end_code %s\n", yes(f[25 - 3] == ULLONG_MAX),
            yes(f[26 - 3] < f[27 - 3]));
    free(stat);

    char task[64];
    snprintf(task, sizeof task, "/proc/self/task/%ld/stat", (long) syscall(SYS_gettid));
    char *taskstat = slurp(task, NULL);
    printf("task stat is the thread's %s\n", yes(taskstat != NULL && atoi(taskstat) == syscall(SYS_gettid)));
    free(taskstat);
}

static void memory_strings(int argc, char **argv) {
    size_t length;
    char *cmdline = slurp("/proc/self/cmdline", &length);
    size_t expected = 0;
    int same = 1;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        same &= expected + n <= length && memcmp(cmdline + expected, argv[i], n) == 0;
        expected += n;
    }
    printf("cmdline is argv %s\n", yes(same && expected == length));
    free(cmdline);

    char *env = slurp("/proc/self/environ", &length);
    expected = 0;
    same = 1;
    for (char **e = environ; *e != NULL; e++) {
        size_t n = strlen(*e) + 1;
        same &= expected + n <= length && memcmp(env + expected, *e, n) == 0;
        expected += n;
    }
    printf("environ is the environment %s\n", yes(same && expected == length));
    free(env);

    /* setproctitle: a program that overwrites its argument strings sees the change in cmdline. */
    size_t room = strlen(argv[0]);
    memset(argv[0], 'x', room);
    cmdline = slurp("/proc/self/cmdline", &length);
    printf("cmdline follows the memory %s\n", yes(length > room && cmdline[0] == 'x' && cmdline[room] == 0));
    free(cmdline);

    char *auxv = slurp("/proc/self/auxv", &length);
    printf("auxv is the stack's, AT_NULL included %s\n",
            yes(length == stack_auxv_bytes && memcmp(auxv, stack_auxv, length) == 0));
    free(auxv);
}

static void comm_and_limits(void) {
    prctl(PR_SET_NAME, "renamed");
    char *comm = slurp("/proc/self/comm", NULL);
    printf("comm after PR_SET_NAME [%s]\n", strtok(comm, "\n"));
    free(comm);
    int fd = open("/proc/self/comm", O_WRONLY);
    printf("write comm %zd\n", write(fd, "written", 7));
    close(fd);
    char name[16] = {0};
    prctl(PR_GET_NAME, name);
    printf("PR_GET_NAME after write [%s]\n", name);

    struct rlimit r = {1234, 5678};
    setrlimit(RLIMIT_CORE, &r);
    char *limits = slurp("/proc/self/limits", NULL);
    char *line = strstr(limits, "Max core file size");
    printf("limits: %.*s\n", line != NULL ? (int) strcspn(line, "\n") : 0, line != NULL ? line : "");
    line = strstr(limits, "Max nice priority");
    printf("limits: [%.*s]\n", line != NULL ? (int) strcspn(line, "\n") : 0, line != NULL ? line : "");
    free(limits);
}

static void links_and_errors(void) {
    char self[32], buf[64];
    snprintf(self, sizeof self, "%d", getpid());
    ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("/proc/self is the pid %s\n", yes(strcmp(buf, self) == 0));
    n = readlink("/proc/thread-self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(self, sizeof self, "%d/task/%ld", getpid(), (long) syscall(SYS_gettid));
    printf("/proc/thread-self is pid/task/tid %s\n", yes(strcmp(buf, self) == 0));
    char cwd[PATH_MAX];
    getcwd(cwd, sizeof cwd);
    n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    printf("cwd link is getcwd %s, root -> %s, mounts -> %s\n", yes(n > 0 && strncmp(buf, cwd, n) == 0),
            link_of("/proc/self/root"), link_of("/proc/mounts"));

    struct statfs fs;
    statfs("/proc", &fs);
    printf("statfs /proc type %lx\n", (unsigned long) fs.f_type);
    statfs("/sys/devices/system/cpu", &fs);
    printf("statfs /sys type %lx\n", (unsigned long) fs.f_type);
    struct stat st;
    lstat("/proc/self", &st);
    printf("/proc/self is a link %s", yes(S_ISLNK(st.st_mode)));
    stat("/proc", &st);
    printf("; /proc mode %o\n", st.st_mode);
    stat("/proc/self/status", &st);
    printf("status mode %o size %lld owner is us %s\n", st.st_mode, (long long) st.st_size,
            yes(st.st_uid == geteuid()));

    errno = 0;
    printf("open missing: %s\n", open("/proc/self/nonexistent", O_RDONLY) < 0 ? errname(errno) : "opened");
    errno = 0;
    printf("open /proc/nonexistent O_CREAT: %s\n",
            open("/proc/nonexistent", O_CREAT | O_WRONLY, 0600) < 0 ? errname(errno) : "opened");
    errno = 0;
    printf("mkdir /proc/d: %s\n", mkdir("/proc/d", 0700) < 0 ? errname(errno) : "made");
    errno = 0;
    printf("unlink status: %s\n", unlink("/proc/self/status") < 0 ? errname(errno) : "unlinked");
    errno = 0;
    printf("rename status: %s\n", rename("/proc/self/status", "/proc/self/x") < 0 ? errname(errno) : "done");
    errno = 0;
    printf("mkdir /sys/d: %s\n", mkdir("/sys/d", 0700) < 0 ? errname(errno) : "made");
    errno = 0;
    int fd = open("/proc/self/status", O_WRONLY);
    if (fd < 0) {
        printf("open status O_WRONLY: %s\n", errname(errno));
    } else {
        printf("write status: %s\n", write(fd, "x", 1) < 0 ? errname(errno) : "written");
        close(fd);
    }
    errno = 0;
    fd = open("/proc/sys/kernel/osrelease", O_WRONLY);
    printf("open osrelease O_WRONLY: %s\n", fd < 0 ? errname(errno) : "opened");
    errno = 0;
    fd = open("/sys/devices/system/cpu/online", O_WRONLY);
    printf("open cpu/online O_WRONLY: %s\n", fd < 0 ? errname(errno) : "opened");
    errno = 0;
    printf("lseek SEEK_END on stat: %s\n", (fd = open("/proc/self/stat", O_RDONLY)) >= 0
            && lseek(fd, 0, SEEK_END) < 0 ? errname(errno) : "moved");
    close(fd);
}

/* The kernel's files against the syscalls that answer the same questions. */
static void machine(void) {
    struct utsname u;
    uname(&u);
    char *release = slurp("/proc/sys/kernel/osrelease", NULL);
    char *ostype = slurp("/proc/sys/kernel/ostype", NULL);
    char *hostname = slurp("/proc/sys/kernel/hostname", NULL);
    char *version = slurp("/proc/sys/kernel/version", NULL);
    printf("sysctl osrelease %s ostype %s hostname %s version %s\n",
            yes(strcmp(strtok(release, "\n"), u.release) == 0), yes(strcmp(strtok(ostype, "\n"), u.sysname) == 0),
            yes(strcmp(strtok(hostname, "\n"), u.nodename) == 0), yes(strcmp(strtok(version, "\n"), u.version) == 0));
    char *banner = slurp("/proc/version", NULL);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "Linux version %s (", u.release);
    printf("/proc/version names the release %s\n", yes(strncmp(banner, prefix, strlen(prefix)) == 0));

    char *cpuinfo = slurp("/proc/cpuinfo", NULL);
    int processors = 0;
    for (char *p = cpuinfo; (p = strstr(p, "processor\t: ")) != NULL; p++) {
        processors++;
    }
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    char *online = slurp("/sys/devices/system/cpu/online", NULL);
    char expected[32];
    snprintf(expected, sizeof expected, CPU_COUNT(&set) == 1 ? "0\n" : "0-%d\n", CPU_COUNT(&set) - 1);
    printf("cpus: cpuinfo %s, sysconf %s, sys online %s\n", yes(processors == CPU_COUNT(&set)),
            yes(sysconf(_SC_NPROCESSORS_ONLN) == CPU_COUNT(&set)), yes(strcmp(online, expected) == 0));
    /*
     * AT_HWCAP is CPUID leaf 1 EDX, and ECX holds the next word of flags: each bit Linux names is in
     * the flags exactly when it is set.
     */
    static const char *edx[32] = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
        "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx", "fxsr", "sse",
        "sse2", "ss", "ht", "tm", "ia64", "pbe"};
    static const char *ecx[32] = {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2",
        "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
        "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c", "rdrand", "hypervisor"};
    char *flags = strstr(cpuinfo, "\nflags\t\t: ");
    char line[4096] = {0};
    if (flags != NULL) {
        snprintf(line, sizeof line, " %.*s ", (int) strcspn(flags + 10, "\n"), flags + 10);
    }
    unsigned a = 0, b = 0, c = 0, d = 0;
    __get_cpuid(1, &a, &b, &c, &d);
    unsigned long hwcap = stack_aux(AT_HWCAP);
    int agree = flags != NULL && hwcap == d, agree_ecx = flags != NULL;
    for (int bit = 0; bit < 32; bit++) {
        char word[32];
        if (edx[bit] != NULL) {
            snprintf(word, sizeof word, " %s ", edx[bit]);
            agree &= ((hwcap >> bit) & 1) == (strstr(line, word) != NULL);
        }
        if (ecx[bit] != NULL) {
            snprintf(word, sizeof word, " %s ", ecx[bit]);
            agree_ecx &= ((c >> bit) & 1) == (strstr(line, word) != NULL);
        }
    }
    printf("cpuinfo flags agree with CPUID leaf 1 ECX %s\n", yes(agree_ecx));
    printf("cpuinfo flags agree with AT_HWCAP, which is CPUID leaf 1 EDX %s\n", yes(agree));

    struct sysinfo si;
    sysinfo(&si);
    char *meminfo = slurp("/proc/meminfo", NULL);
    printf("meminfo MemTotal is sysinfo's %s\n",
            yes(atol(field(meminfo, "MemTotal")) == (long) (si.totalram * si.mem_unit / 1024)));
    char *uptime = slurp("/proc/uptime", NULL);
    double up = atof(uptime);
    printf("uptime within a second of sysinfo's %s\n", yes(up >= si.uptime - 1.5 && up <= si.uptime + 1.5));
    char *stat = slurp("/proc/stat", NULL);
    int cpus = 0;
    for (char *p = stat; (p = strstr(p, "\ncpu")) != NULL; p++) {
        cpus++;
    }
    printf("stat: one line per cpu %s, btime %s\n", yes(cpus == CPU_COUNT(&set)),
            yes(strstr(stat, "\nbtime ") != NULL));
    char *mounts = slurp("/proc/self/mounts", NULL);
    printf("mounts has proc on /proc %s\n", yes(strstr(mounts, " /proc proc rw,") != NULL));
    char *mountinfo = slurp("/proc/self/mountinfo", NULL);
    printf("mountinfo has / and /proc %s\n", yes(strstr(mountinfo, " / / ") != NULL
            && strstr(mountinfo, " / /proc rw") != NULL));
    free(release);
    free(ostype);
    free(hostname);
    free(version);
    free(banner);
    free(cpuinfo);
    free(online);
    free(meminfo);
    free(uptime);
    free(stat);
    free(mounts);
    free(mountinfo);
}

int main(int argc, char **argv) {
    char **e = environ;
    while (*e != NULL) {
        e++;
    }
    stack_auxv = (unsigned long *) (e + 1);
    unsigned long *end = stack_auxv;
    while (end[0] != AT_NULL) {
        end += 2;
    }
    stack_auxv_bytes = (end + 2 - stack_auxv) * sizeof *end;
    dir = argc > 1 ? argv[1] : "/tmp";
    descriptors();
    maps(argc, argv);
    status_and_stat(argc, argv);
    links_and_errors();
    machine();
    comm_and_limits();
    memory_strings(argc, argv);
    return 0;
}
