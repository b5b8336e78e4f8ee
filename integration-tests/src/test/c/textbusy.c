/*
 * ETXTBSY: a program a process runs (deny_write_access) cannot be opened for writing or truncated;
 * the open's own errors (EEXIST, ENOTDIR) come first, and the file is left as it was. Also a copy of this program run
 * by a child: busy while the child runs it, writable once the child has gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static void result(const char *what, int r) {
    if (r < 0) {
        printf("%-40s -1 %s\n", what, errname(errno));
    } else {
        printf("%-40s ok\n", what);
    }
}

static int try_open(const char *what, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    result(what, fd);
    if (fd >= 0) {
        close(fd);
    }
    return fd;
}

static long size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long) st.st_size : -1;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        if (write(3, "x", 1) != 1) {
            return 1;
        }
        pause();
        return 0;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0) {
        perror("readlink");
        return 1;
    }
    self[n] = 0;
    long before = size(self);
    try_open("open self O_WRONLY", self, O_WRONLY);
    try_open("open self O_RDWR|O_TRUNC", self, O_RDWR | O_TRUNC);
    try_open("open self O_RDONLY|O_TRUNC", self, O_RDONLY | O_TRUNC);
    try_open("open self O_WRONLY|O_CREAT|O_EXCL", self, O_WRONLY | O_CREAT | O_EXCL);
    try_open("open self O_RDONLY", self, O_RDONLY);
    result("truncate self", truncate(self, 0));
    printf("%-40s %s\n", "size unchanged", size(self) == before ? "yes" : "no");

    /* A copy run by a child. */
    int in = open(self, O_RDONLY);
    int out = open("copy", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, n) != n) {
            perror("write");
            return 1;
        }
    }
    close(in);
    close(out);
    if (link("copy", "link") != 0) {
        perror("link");
        return 1;
    }
    int p[2];
    if (pipe(p) != 0) {
        return 1;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        dup2(p[1], 3);
        execl("./copy", "copy", "child", (char *) 0);
        _exit(127);
    }
    close(p[1]);
    char c;
    printf("%-40s %s\n", "child runs the copy", read(p[0], &c, 1) == 1 ? "yes" : "no");
    try_open("open copy O_WRONLY", "copy", O_WRONLY);
    try_open("open its hard link O_WRONLY", "link", O_WRONLY);
    result("truncate copy", truncate("copy", 0));
    try_open("open copy O_WRONLY|O_DIRECTORY", "copy", O_WRONLY | O_DIRECTORY);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    try_open("open copy O_WRONLY, child gone", "copy", O_WRONLY);
    result("truncate copy, child gone", truncate("copy", 0));
    unlink("copy");
    unlink("link");
    return 0;
}
