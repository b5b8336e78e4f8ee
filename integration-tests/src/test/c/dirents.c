/* getdents64(2)'s d_off: the position to seek to for the entry after this one. lseek(fd, d_off)
 * resumes at the next entry, telldir/seekdir round-trip, rewinddir starts over, and a directory
 * changed between reads still lists each surviving entry once. Names and orders are printed sorted
 * or as checks, and d_off values not at all (hash cookies on ext4, offsets in tmpfs's own order,
 * entry indexes under jlx), so that runs compare on any file system. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ent {
    char name[256];
    int64_t off;
};

static struct ent ents[256];

/* Reads a whole directory with getdents64, one small buffer at a time. */
static int list(int fd, struct ent *out, int bufsize) {
    char buf[4096] __attribute__((aligned(8)));
    int n = 0;
    for (;;) {
        long got = syscall(SYS_getdents64, fd, buf, bufsize);
        if (got < 0) { printf("getdents64: %s\n", strerror(errno)); return n; }
        if (got == 0) return n;
        for (long p = 0; p < got;) {
            struct dirent64 *d = (struct dirent64 *) (buf + p);
            strcpy(out[n].name, d->d_name);
            out[n].off = d->d_off;
            n++;
            p += d->d_reclen;
        }
    }
}

static int cmp(const void *a, const void *b) {
    return strcmp(((const struct ent *) a)->name, ((const struct ent *) b)->name);
}

int main(void) {
    mkdir("dents", 0755);
    char path[64];
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof path, "dents/file-%02d", i);
        close(open(path, O_CREAT | O_WRONLY, 0644));
    }
    int fd = open("dents", O_RDONLY | O_DIRECTORY);
    int n = list(fd, ents, sizeof(struct dirent64) + 16);
    printf("entries %d\n", n);

    /* Each d_off resumes at the following entry; the last one's at the end. */
    int resumed = 0, distinct = 1, zero = 0;
    for (int i = 0; i < n; i++) {
        if (ents[i].off == 0) zero++;
        for (int j = 0; j < i; j++)
            if (ents[j].off == ents[i].off) distinct = 0;
        off_t at = lseek(fd, ents[i].off, SEEK_SET);
        if (at != ents[i].off) { printf("lseek to d_off %d: %s\n", i, strerror(errno)); continue; }
        struct ent next[256];
        int m = list(fd, next, 4096);
        if (i + 1 < n ? m == n - i - 1 && strcmp(next[0].name, ents[i + 1].name) == 0 : m == 0) resumed++;
    }
    printf("lseek(d_off) resumes at the next entry: %d of %d\n", resumed, n);
    printf("d_off distinct %s, zero %d\n", distinct ? "yes" : "no", zero);
    off_t end = lseek(fd, 0, SEEK_CUR);
    printf("SEEK_CUR after the last read is the last d_off: %s\n", end == ents[n - 1].off ? "yes" : "no");
    printf("lseek back to 0: %ld\n", (long) lseek(fd, 0, SEEK_SET));
    struct ent again[256];
    printf("entries again %d\n", list(fd, again, 4096));
    close(fd);

    qsort(ents, n, sizeof ents[0], cmp);
    for (int i = 0; i < n; i += 10) printf("  %s\n", ents[i].name);

    /* telldir and seekdir round trip. */
    DIR *d = opendir("dents");
    long pos[256];
    char names[256][256];
    int k = 0;
    for (;;) {
        pos[k] = telldir(d);
        struct dirent *e = readdir(d);
        if (!e) break;
        strcpy(names[k++], e->d_name);
    }
    int same = 0;
    for (int i = k - 1; i >= 0; i--) {
        seekdir(d, pos[i]);
        struct dirent *e = readdir(d);
        if (e && strcmp(e->d_name, names[i]) == 0) same++;
    }
    printf("seekdir(telldir) gives the same entry: %d of %d\n", same, k);
    rewinddir(d);
    int count = 0;
    while (readdir(d)) count++;
    printf("after rewinddir %d\n", count);

    /* Removing entries while reading: every survivor still comes once. */
    rewinddir(d);
    int seen = 0;
    for (int i = 0; i < 10; i++) {
        struct dirent *e = readdir(d);
        if (e) seen++;
    }
    long mark = telldir(d);
    for (int i = 0; i < 40; i += 2) {
        snprintf(path, sizeof path, "dents/file-%02d", i);
        unlink(path);
    }
    seekdir(d, mark);
    struct dirent *e;
    int dup = 0;
    char got[64][256];
    int g = 0;
    rewinddir(d);
    while ((e = readdir(d))) {
        for (int j = 0; j < g; j++)
            if (strcmp(got[j], e->d_name) == 0) dup++;
        if (g < 64) strcpy(got[g++], e->d_name);
    }
    printf("after removing half: %d entries, %d repeated\n", g, dup);
    closedir(d);

    for (int i = 1; i < 40; i += 2) {
        snprintf(path, sizeof path, "dents/file-%02d", i);
        unlink(path);
    }
    rmdir("dents");
    return 0;
}
