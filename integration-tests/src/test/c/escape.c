/*
 * Attempts to reach the file /secret of the HOST from inside a guest root: each attack prints what it
 * read or the errno it got. Run natively under chroot(8) it shows what Linux gives inside a chroot;
 * under jlx --root it must show the same, and never the host's secret text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show_fd(const char *attack, int fd) {
    if (fd < 0) {
        printf("%-34s errno %s\n", attack, strerror(errno));
        return;
    }
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        printf("%-34s opened, read errno %s\n", attack, strerror(errno));
    } else {
        buf[strcspn(buf, "\n")] = 0;
        printf("%-34s read [%s]\n", attack, buf);
    }
    close(fd);
}

static void show_rc(const char *attack, int rc) {
    printf("%-34s %s\n", attack, rc == 0 ? "ok" : strerror(errno));
}

int main(void) {
    char cwd[4096];
    show_fd("open /secret", open("/secret", O_RDONLY));
    show_fd("open ../../../../secret", open("../../../../secret", O_RDONLY));
    show_fd("open /../../secret", open("/../../secret", O_RDONLY));
    show_fd("open /./../secret", open("/./../secret", O_RDONLY));
    show_fd("open //secret", open("//secret", O_RDONLY));
    int root = open("/", O_RDONLY | O_DIRECTORY);
    show_fd("openat(/, ../secret)", openat(root, "../secret", O_RDONLY));
    show_fd("openat(/, ../../secret)", openat(root, "../../secret", O_RDONLY));
    int up = openat(root, "..", O_RDONLY | O_DIRECTORY);
    show_fd("openat(openat(/, ..), secret)", openat(up, "secret", O_RDONLY));
    show_rc("symlink abs -> /secret", symlink("/secret", "/tmp/abs"));
    show_fd("open via abs symlink", open("/tmp/abs", O_RDONLY));
    show_rc("symlink rel -> ../../../secret", symlink("../../../../../secret", "/tmp/rel"));
    show_fd("open via rel symlink", open("/tmp/rel", O_RDONLY));
    show_rc("symlink dir -> /..", symlink("/..", "/tmp/updir"));
    show_fd("open via dir symlink/secret", open("/tmp/updir/secret", O_RDONLY));
    show_rc("symlink chain", symlink("/tmp/updir/..", "/tmp/chain"));
    show_fd("open via chain/secret", open("/tmp/chain/secret", O_RDONLY));
    show_fd("O_NOFOLLOW on abs symlink", open("/tmp/abs", O_RDONLY | O_NOFOLLOW));
    show_rc("link /secret -> /tmp/hard", link("/secret", "/tmp/hard"));
    show_fd("open hard link", open("/tmp/hard", O_RDONLY));
    show_rc("link ../secret -> /tmp/hard2", link("../secret", "/tmp/hard2"));
    show_rc("rename /secret -> /tmp/moved", rename("/secret", "/tmp/moved"));
    show_rc("rename back", rename("/tmp/moved", "/secret"));
    show_rc("rename /tmp/x -> ../escaped", rename("/tmp/abs", "../escaped"));
    show_rc("chdir ..", chdir(".."));
    show_rc("chdir ../../..", chdir("../../.."));
    printf("%-34s %s\n", "getcwd after chdir ..", getcwd(cwd, sizeof cwd));
    show_fd("open secret after chdir", open("secret", O_RDONLY));
    show_rc("fchdir(/..)", fchdir(up));
    printf("%-34s %s\n", "getcwd after fchdir", getcwd(cwd, sizeof cwd));
    show_fd("open ./secret after fchdir", open("./secret", O_RDONLY));
    show_rc("mkdir /tmp/d", mkdir("/tmp/d", 0755));
    show_rc("chdir /tmp/d", chdir("/tmp/d"));
    show_fd("open ../../../secret from d", open("../../../secret", O_RDONLY));
    show_rc("rmdir /tmp/d then chdir ..", rmdir("/tmp/d") || chdir(".."));
    printf("%-34s %s\n", "getcwd now", getcwd(cwd, sizeof cwd));
    char target[256] = {0};
    ssize_t n = readlink("/tmp/rel", target, sizeof target - 1);
    printf("%-34s %zd [%s]\n", "readlink rel shows its text", n, n > 0 ? target : "");
    struct stat st;
    show_rc("stat /../secret", stat("/../secret", &st));
    show_rc("chmod /../secret", chmod("/../secret", 0777));
    show_rc("utime via symlink", utimensat(AT_FDCWD, "/tmp/abs", NULL, 0));
    show_rc("truncate via rel symlink", truncate("/tmp/rel", 0));
    show_fd("open /proc/self/root/secret", open("/proc/self/root/secret", O_RDONLY));
    show_fd("open /proc/1/root/secret", open("/proc/1/root/secret", O_RDONLY));
    show_rc("unlink ../secret", unlink("../secret"));
    show_fd("open /secret at the end", open("/secret", O_RDONLY));
    return 0;
}
