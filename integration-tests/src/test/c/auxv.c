/*
 * The auxiliary vector. Prints only what is the same natively and under an emulator for one
 * invocation: no addresses, only whether they point where they should.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern const ElfW(Ehdr) __ehdr_start;

struct seen {
    const ElfW(Phdr) *phdr;
    int phnum;
    int calls;
};

static int first_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct seen *s = data;
    if (s->calls++ == 0) {
        s->phdr = info->dlpi_phdr;
        s->phnum = info->dlpi_phnum;
    }
    return 0;
}

int main(int argc, char **argv) {
    (void) argc;
    printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
    printf("AT_CLKTCK %lu\n", getauxval(AT_CLKTCK));
    printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
    printf("AT_UID %lu AT_EUID %lu AT_GID %lu AT_EGID %lu\n", getauxval(AT_UID), getauxval(AT_EUID),
            getauxval(AT_GID), getauxval(AT_EGID));
    printf("ids match the syscalls %d\n", getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid()
            && getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid());

    const unsigned char *random = (const unsigned char *) getauxval(AT_RANDOM);
    unsigned char copy[16] = {0};
    unsigned nonzero = 0;
    if (random != NULL) {
        memcpy(copy, random, sizeof copy);
        for (int i = 0; i < 16; i++) {
            nonzero += copy[i] != 0;
        }
    }
    /* 16 random bytes: the chance that fewer than 8 are non-zero is negligible. */
    printf("AT_RANDOM non-null %d, 16 bytes readable, mostly non-zero %d\n", random != NULL, nonzero >= 8);

    const ElfW(Phdr) *own = (const ElfW(Phdr) *) ((const char *) &__ehdr_start + __ehdr_start.e_phoff);
    printf("AT_PHDR is our program headers %d\n", (const ElfW(Phdr) *) getauxval(AT_PHDR) == own);
    printf("AT_PHNUM matches e_phnum %d, AT_PHENT %lu\n", getauxval(AT_PHNUM) == __ehdr_start.e_phnum,
            getauxval(AT_PHENT));
    struct seen seen = {0};
    dl_iterate_phdr(first_object, &seen);
    printf("dl_iterate_phdr sees our headers %d, count matches %d\n", seen.phdr == own,
            seen.phnum == __ehdr_start.e_phnum);
    /* A static-PIE (ET_DYN) is loaded at a bias: its ELF header, at vaddr 0, is where the bias is. */
    unsigned long bias = __ehdr_start.e_type == ET_DYN ? (unsigned long) &__ehdr_start : 0;
    printf("AT_ENTRY is our entry %d\n", getauxval(AT_ENTRY) == bias + __ehdr_start.e_entry);
    printf("AT_BASE %lu (static: no interpreter)\n", getauxval(AT_BASE));

    const char *execfn = (const char *) getauxval(AT_EXECFN);
    printf("AT_EXECFN %s\n", execfn ? execfn : "(none)");
    printf("AT_EXECFN is argv[0] %d\n", execfn != NULL && strcmp(execfn, argv[0]) == 0);
    const char *platform = (const char *) getauxval(AT_PLATFORM);
    printf("AT_PLATFORM %s\n", platform ? platform : "(none)");
    unsigned long hwcap = getauxval(AT_HWCAP);
    printf("AT_HWCAP non-zero %d, fpu %lu\n", hwcap != 0, hwcap & 1);
    return 0;
}
