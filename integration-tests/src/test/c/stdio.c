/* Reads stdin to the end; writes counts and data to stdout and a note to stderr. */
#include <stdio.h>

int main(void) {
    char buf[65536];
    size_t total = 0, lines = 0, n;
    unsigned long sum = 0;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        for (size_t i = 0; i < n; i++) {
            lines += buf[i] == '\n';
            sum = sum * 31 + (unsigned char) buf[i];
        }
        fwrite(buf, 1, n, stdout);
        total += n;
    }
    printf("\nbytes %zu lines %zu hash %lu\n", total, lines, sum);
    fprintf(stderr, "stdio: done\n");
    return 0;
}
