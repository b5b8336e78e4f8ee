/* File write, read, append, lseek, pread, pwrite, fstat in the directory argv[1]; then unlink. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char path[4096];
    snprintf(path, sizeof path, "%s/data.bin", argc > 1 ? argv[1] : ".");
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0640);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    const char *text = "hello, file\n";
    printf("write %zd\n", write(fd, text, strlen(text)));
    struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
    printf("writev %zd\n", writev(fd, iov, 2));
    printf("pwrite %zd\n", pwrite(fd, "XY", 2, 100));
    struct stat st;
    fstat(fd, &st);
    printf("size %lld mode %o regular %d\n", (long long) st.st_size, st.st_mode & 0777, S_ISREG(st.st_mode));
    printf("lseek end %lld\n", (long long) lseek(fd, 0, SEEK_END));
    printf("lseek set %lld\n", (long long) lseek(fd, 7, SEEK_SET));
    char buf[200] = {0};
    printf("read %zd [%.5s]\n", read(fd, buf, 5), buf);
    printf("pread %zd [%.2s]\n", pread(fd, buf, 10, 100), buf);
    memset(buf, 'z', 4);
    ssize_t hole = pread(fd, buf, 4, 50);
    printf("pread at hole %zd zero %d\n", hole, buf[0] == 0 && buf[3] == 0);
    close(fd);
    fd = open(path, O_WRONLY | O_APPEND);
    printf("append %zd\n", write(fd, "tail", 4));
    fstat(fd, &st);
    printf("size after append %lld, offset %lld\n", (long long) st.st_size, (long long) lseek(fd, 0, SEEK_CUR));
    printf("ftruncate %d\n", ftruncate(fd, 50));
    fstat(fd, &st);
    printf("size after ftruncate %lld\n", (long long) st.st_size);
    close(fd);
    FILE *f = fopen(path, "r");
    int lines = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        lines++;
    }
    fclose(f);
    printf("lines %d\n", lines);
    printf("unlink %d\n", unlink(path));
    printf("unlink again %d\n", unlink(path));
    perror("unlink");
    return 0;
}
