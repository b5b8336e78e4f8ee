/* sendfile, copy_file_range, close_range, posix_fadvise, flock and sync: results and errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-30s %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : ""); } while (0)

int main(void) {
    int src = open("src.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
    for (int i = 0; i < 1000; i++) {
        dprintf(src, "line %04d of the source file\n", i);
    }
    int dst = open("dst.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
    off_t off = 100;
    SHOW("sendfile with offset", sendfile(dst, src, &off, 500));
    printf("%-30s %lld, src offset %lld\n", "offset after", (long long) off, (long long) lseek(src, 0, SEEK_CUR));
    lseek(src, 0, SEEK_SET);
    SHOW("sendfile from file offset", sendfile(dst, src, NULL, 1000000));
    printf("%-30s %lld\n", "src offset after", (long long) lseek(src, 0, SEEK_CUR));
    SHOW("sendfile to read-only", sendfile(open("src.txt", O_RDONLY), src, NULL, 10));
    SHOW("sendfile bad offset, bad fds", sendfile(-1, -1, (off_t *) 8, 10));
    int pp[2];
    pipe(pp);
    write(pp[1], "abc", 3);
    SHOW("sendfile from a pipe", sendfile(dst, pp[0], NULL, 10));
    off_t zero = 0;
    SHOW("sendfile from a pipe at offset", sendfile(dst, pp[0], &zero, 10));
    SHOW("sendfile from a pipe, bad out", sendfile(-1, pp[0], &zero, 10));
    close(pp[0]);
    close(pp[1]);
    loff_t in = 10, out = 0;
    int dst2 = open("dst2.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
    SHOW("copy_file_range", syscall(SYS_copy_file_range, src, &in, dst2, &out, 300, 0));
    printf("%-30s in %lld out %lld\n", "offsets after", (long long) in, (long long) out);
    SHOW("copy_file_range bad flags", syscall(SYS_copy_file_range, src, NULL, dst2, NULL, 10, 1));
    SHOW("copy_file_range from dir", syscall(SYS_copy_file_range, open(".", O_RDONLY), NULL, dst2, NULL, 10, 0));
    SHOW("fadvise sequential", -posix_fadvise(src, 0, 0, POSIX_FADV_SEQUENTIAL));
    SHOW("fadvise bad advice", -posix_fadvise(src, 0, 0, 99));
    unlink("fifo");
    mkfifo("fifo", 0600);
    int fifo = open("fifo", O_RDWR);
    SHOW("fadvise on a FIFO", -posix_fadvise(fifo, 0, 0, POSIX_FADV_NORMAL));
    SHOW("flock exclusive", flock(src, LOCK_EX | LOCK_NB));
    int again = open("src.txt", O_RDONLY);
    SHOW("flock from other open file", flock(again, LOCK_EX | LOCK_NB));
    SHOW("flock unlock", flock(src, LOCK_UN));
    SHOW("flock now", flock(again, LOCK_SH | LOCK_NB));
    SHOW("flock bad op", flock(src, 3));
    sync();
    SHOW("syncfs", syncfs(dst));
    SHOW("fsync FIFO", fsync(fifo));
    SHOW("close_range bad", syscall(SYS_close_range, 10, 5, 0));
    SHOW("close_range cloexec", syscall(SYS_close_range, 3, 5, 4));
    printf("%-30s %d\n", "fd 3 cloexec", fcntl(3, F_GETFD));
    SHOW("close_range 3..~0", syscall(SYS_close_range, 3, ~0u, 0));
    SHOW("fd 3 after", fcntl(3, F_GETFD));
    int fa = open("alloc.bin", O_CREAT | O_TRUNC | O_RDWR, 0644);
    struct stat st;
    SHOW("fallocate 0..8192", fallocate(fa, 0, 0, 8192));
    fstat(fa, &st);
    printf("%-30s size %lld blocks %lld\n", "after fallocate", (long long) st.st_size, (long long) st.st_blocks);
    SHOW("fallocate keep size 8192..16384", fallocate(fa, FALLOC_FL_KEEP_SIZE, 8192, 8192));
    fstat(fa, &st);
    printf("%-30s size %lld blocks %lld\n", "after keep size", (long long) st.st_size, (long long) st.st_blocks);
    SHOW("punch hole 0..4096", fallocate(fa, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    fstat(fa, &st);
    printf("%-30s size %lld blocks %lld\n", "after punch", (long long) st.st_size, (long long) st.st_blocks);
    SHOW("punch hole without keep size", fallocate(fa, FALLOC_FL_PUNCH_HOLE, 0, 4096));
    SHOW("fallocate length 0", fallocate(fa, 0, 0, 0));
    SHOW("fallocate negative offset", fallocate(fa, 0, -1, 10));
    SHOW("fallocate on a FIFO", fallocate(fifo, 0, 0, 10));
    SHOW("fallocate read-only fd", fallocate(open("alloc.bin", O_RDONLY), 0, 0, 10));
    SHOW("fallocate directory", fallocate(open(".", O_RDONLY), 0, 0, 10));
    unlink("alloc.bin");
    char buf[64] = {0};
    int check = open("dst2.txt", O_RDONLY);
    read(check, buf, 20);
    printf("dst2 starts [%s]\n", buf);
    return 0;
}
