/* The auxiliary vector: values that are the same natively and under an emulator for one invocation. */
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern const ElfW(Ehdr) __ehdr_start;

int main(void) {
    printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
    printf("AT_CLKTCK %lu\n", getauxval(AT_CLKTCK));
    printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
    printf("ids match %d\n", getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid()
            && getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid());
    const unsigned char *random = (const unsigned char *) getauxval(AT_RANDOM);
    unsigned sum = 0;
    for (int i = 0; random != NULL && i < 16; i++) {
        sum |= random[i];
    }
    printf("AT_RANDOM readable %d\n", random != NULL && sum != 0);
    const ElfW(Phdr) *phdr = (const ElfW(Phdr) *) getauxval(AT_PHDR);
    printf("AT_PHDR is ours %d\n", phdr == (const ElfW(Phdr) *) ((const char *) &__ehdr_start + __ehdr_start.e_phoff));
    printf("AT_PHNUM %d AT_PHENT %lu\n", getauxval(AT_PHNUM) == __ehdr_start.e_phnum, getauxval(AT_PHENT));
    printf("AT_ENTRY set %d\n", getauxval(AT_ENTRY) != 0);
    const char *execfn = (const char *) getauxval(AT_EXECFN);
    const char *slash = execfn ? strrchr(execfn, '/') : NULL;
    printf("AT_EXECFN %s\n", slash ? slash + 1 : "(none)");
    printf("AT_PLATFORM %s\n", (const char *) getauxval(AT_PLATFORM));
    printf("AT_HWCAP fpu %lu\n", getauxval(AT_HWCAP) & 1);
    return 0;
}
