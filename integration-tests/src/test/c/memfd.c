#define _GNU_SOURCE
/*
 * memfd_create(2): the file it makes (mode, links, flags, name in /proc), its flags and name limits,
 * and seals: F_ADD_SEALS/F_GET_SEALS and what each seal refuses (write, truncate, fallocate); and
 * shared mappings of it: seen by read and write, by a forked child, growing with the file, and
 * what seals do to them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 1
#define F_SEAL_SHRINK 2
#define F_SEAL_GROW 4
#define F_SEAL_WRITE 8
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x10
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1
#define MFD_ALLOW_SEALING 2
#endif

static void show(const char *what, long r) {
    if (r < 0) {
        printf("%-52s = -1 %s\n", what, strerror(errno));
    } else {
        printf("%-52s = %ld\n", what, r);
    }
}

#define T(x) do { errno = 0; show(#x, (long) (x)); } while (0)

static long memfd(const char *name, long flags) {
    return syscall(SYS_memfd_create, name, flags);
}

static void describe(int fd) {
    struct stat st;
    fstat(fd, &st);
    char path[32], link[300];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = readlink(path, link, sizeof link);
    printf("  mode %o links %ld size %ld mine %d; %.*s\n", st.st_mode, (long) st.st_nlink, (long) st.st_size,
           st.st_uid == geteuid(), (int) (n < 0 ? 0 : n), link);
}

static void shared(void) {
    int fd = memfd("shared", MFD_ALLOW_SEALING);
    T(write(fd, "hello", 5));
    T(ftruncate(fd, 8192));
    char *p = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    T(p != MAP_FAILED);
    printf("  mapped reads \"%s\"\n", p);
    memcpy(p + 4096, "through the map", 16);
    char back[20] = {0};
    T(pread(fd, back, 16, 4096));
    printf("  read gives \"%s\"\n", back);
    T(pwrite(fd, "written", 8, 100));
    printf("  mapped sees \"%s\"\n", p + 100);
    pid_t child = fork();
    if (child == 0) {
        memcpy(p + 200, "from the child", 15);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("  after the child: \"%s\"\n", p + 200);
    T(ftruncate(fd, 16384));
    T(pwrite(fd, "grown", 6, 12288));
    char *grown = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 12288);
    printf("  grown part: \"%s\"\n", grown);
    munmap(grown, 4096);
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    T(munmap(p, 16384));
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    T(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    T(ro != MAP_FAILED);
    printf("  read-only map: \"%s\"\n", ro);
    struct stat st;
    fstat(fd, &st);
    printf("  size %ld\n", (long) st.st_size);
    munmap(ro, 4096);
    close(fd);
}

int main(void) {
    shared();
    int fd = memfd("first", MFD_ALLOW_SEALING | MFD_CLOEXEC);
    describe(fd);
    T(fcntl(fd, F_GETFD));
    T(fcntl(fd, F_GETFL));
    T(fcntl(fd, F_GET_SEALS));
    int plain = memfd("", 0);
    describe(plain);
    T(fcntl(plain, F_GETFD));
    T(fcntl(plain, F_GET_SEALS));
    T(fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE));

    char name[300];
    memset(name, 'n', sizeof name);
    name[249] = 0;
    int longest = memfd(name, 0);
    T(longest >= 0);
    name[249] = 'n';
    name[250] = 0;
    T(memfd(name, 0));
    T(memfd((char *) 8, 0));
    T(memfd("x", 0x1000));
    T(memfd("x", MFD_ALLOW_SEALING | 0x100));

    T(write(fd, "0123456789", 10));
    T(fcntl(fd, F_ADD_SEALS, 0x40000));
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
    T(fcntl(fd, F_GET_SEALS));
    T(ftruncate(fd, 4));
    T(ftruncate(fd, 8192));
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
    T(ftruncate(fd, 8193));
    T(ftruncate(fd, 8192));
    T(pwrite(fd, "ab", 2, 8191));
    T(pwrite(fd, "ab", 2, 8190));
    char big[5000];
    memset(big, 'z', sizeof big);
    T(pwrite(fd, big, sizeof big, 4000));
    T(fallocate(fd, 0, 0, 8192));
    T(fallocate(fd, 0, 0, 8193));
    T(fallocate(fd, FALLOC_FL_KEEP_SIZE, 8000, 1000));
    T(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10));
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    T(write(fd, "x", 1));
    T(write(fd, "", 0));
    T(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10));
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SEAL));
    T(fcntl(fd, F_GET_SEALS));
    T(fcntl(fd, F_ADD_SEALS, 0));
    char back[12];
    T(pread(fd, back, 10, 0));
    printf("  \"%.10s\"\n", back);
    T(lseek(fd, 0, SEEK_END));

    /* A description opened read-only may not add seals, before anything else is asked. */
    close(open("notmemfd", O_RDWR | O_CREAT | O_TRUNC, 0600));
    int ro = open("notmemfd", O_RDONLY);
    T(fcntl(ro, F_ADD_SEALS, F_SEAL_WRITE));
    T(fcntl(ro, F_ADD_SEALS, 0x40000));
    unlink("notmemfd");
    return 0;
}
