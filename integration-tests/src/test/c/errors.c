/* errno text for failed calls, and the exit status given as argv[1]. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    FILE *f = fopen("/no/such/file", "r");
    if (f == NULL) {
        perror("fopen /no/such/file");
    }
    if (open("/", O_WRONLY) < 0) {
        printf("open / for writing: %s\n", strerror(errno));
    }
    char c;
    if (read(12345, &c, 1) < 0) {
        printf("read bad fd: %s\n", strerror(errno));
    }
    if (write(1, (void *) 16, 1) < 0) {
        printf("write from a bad pointer: %s\n", strerror(errno));
    }
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "main") == 0) {
        return 42;
    }
    exit(argc > 1 ? atoi(argv[1]) : 0);
}
