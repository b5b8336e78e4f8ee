/*
 * File names are bytes: one name per byte value but '/' and NUL, names that are not UTF-8, and the
 * NFC and NFD forms of one text (two files). Each is created, listed with getdents, stat'ed, linked
 * to by a symlink whose target is that name, read back through readlink and /proc/self/fd, renamed
 * and removed; a directory with such a name becomes the working directory. Names print in hex, the
 * listing sorted, so the output does not depend on a file system's readdir order. Runs in an empty
 * scratch directory (the current one).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NAMES 264

static char names[NAMES][16];
static int count;

static void add(const char *name) {
    strcpy(names[count++], name);
}

static void hex(const char *label, const char *s, ssize_t n) {
    printf("%s ", label);
    for (ssize_t i = 0; i < n; i++) {
        printf("%02x", (unsigned char) s[i]);
    }
    printf("\n");
}

static int compare(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The sorted names of the current directory (without . and ..), read with getdents64. */
static void list(const char *label) {
    static char buf[65536];
    static char *seen[1024];
    int n = 0;
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    long got;
    while ((got = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < got;) {
            struct { unsigned long ino; long off; unsigned short reclen; unsigned char type; char name[]; } *d =
                (void *) (buf + off);
            if (strcmp(d->name, ".") != 0 && strcmp(d->name, "..") != 0) {
                seen[n++] = strdup(d->name);
                if (d->type != DT_REG && d->type != DT_LNK && d->type != DT_DIR) {
                    printf("odd type %d\n", d->type);
                }
            }
            off += d->reclen;
        }
    }
    close(fd);
    qsort(seen, n, sizeof seen[0], compare);
    printf("%s: %d names\n", label, n);
    for (int i = 0; i < n; i++) {
        hex(" ", seen[i], strlen(seen[i]));
        free(seen[i]);
    }
}

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    if (r_ < 0) printf("%s: %s\n", label, strerror(e_)); } while (0)

int main(void) {
    for (int c = 1; c < 256; c++) {
        if (c != '/') {
            char name[3] = {'n', (char) c, 0};
            add(name);
        }
    }
    add("\xff\xfe");                  /* not UTF-8 at all */
    add("a\xc3(b");                   /* a lead byte without its continuation */
    add("\xed\xa0\x80");              /* an encoded surrogate */
    add("\xc0\xaf");                  /* an overlong '/' */
    add("\xf4\x90\x80\x80");          /* past U+10FFFF */
    add("\xc3\xa9t\xc3\xa9");         /* "été" in NFC */
    add("e\xcc\x81te\xcc\x81");       /* "été" in NFD: another name */
    for (int i = 0; i < count; i++) {
        int fd = open(names[i], O_CREAT | O_EXCL | O_WRONLY, 0644);
        if (fd < 0) {
            hex("create failed", names[i], strlen(names[i]));
            continue;
        }
        write(fd, names[i], strlen(names[i]));
        close(fd);
    }
    list("created");
    for (int i = 0; i < count; i++) {
        struct stat st;
        if (lstat(names[i], &st) != 0 || st.st_size != (off_t) strlen(names[i]) || !S_ISREG(st.st_mode)) {
            hex("stat differs", names[i], strlen(names[i]));
        }
        char link[20] = "s";
        strcat(link, names[i]);
        SHOW("symlink", symlink(names[i], link));
        char target[64];
        ssize_t n = readlink(link, target, sizeof target);
        if (n != (ssize_t) strlen(names[i]) || memcmp(target, names[i], n) != 0) {
            hex("readlink differs", target, n);
        }
        int fd = open(link, O_RDONLY);
        char data[64];
        n = read(fd, data, sizeof data);
        if (n != (ssize_t) strlen(names[i]) || memcmp(data, names[i], n) != 0) {
            hex("read through the link differs", names[i], strlen(names[i]));
        }
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        n = readlink(proc, target, sizeof target);
        char *slash = n > 0 ? memrchr(target, '/', n) : NULL;
        if (slash == NULL || (size_t) (target + n - slash - 1) != strlen(names[i])
                || memcmp(slash + 1, names[i], strlen(names[i])) != 0) {
            hex("/proc/self/fd differs", target, n < 0 ? 0 : n);
        }
        close(fd);
    }
    list("with links");
    for (int i = 0; i < count; i++) {
        char moved[20] = "m";
        strcat(moved, names[i]);
        SHOW("rename", rename(names[i], moved));
        if (access(names[i], F_OK) == 0 || access(moved, F_OK) != 0) {
            hex("rename differs", names[i], strlen(names[i]));
        }
    }
    list("renamed");
    mkdir("d\xff\xc3", 0755);
    SHOW("chdir", chdir("d\xff\xc3"));
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) != NULL) {
        char *last = strrchr(cwd, '/');
        hex("cwd ends in", last, strlen(last));
    }
    SHOW("chdir ..", chdir(".."));
    for (int i = 0; i < count; i++) {
        char moved[20] = "m";
        char link[20] = "s";
        strcat(moved, names[i]);
        strcat(link, names[i]);
        SHOW("unlink", unlink(moved));
        SHOW("unlink link", unlink(link));
    }
    SHOW("rmdir", rmdir("d\xff\xc3"));
    list("removed");
    return 0;
}
