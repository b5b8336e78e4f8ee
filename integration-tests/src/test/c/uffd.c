/*
 * userfaultfd(2): the descriptor's flags, UFFDIO_API's handshake, read and
 * poll with no fault pending, UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_WAKE and UFFDIO_UNREGISTER on
 * ranges never registered, and their argument checks. With "register": the classic handler, a
 * thread that touches a registered page blocks until another copies the page in. Structures are
 * spelled out: musl has no linux/ headers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "errname.h"

#define UFFD_API 0xaa
#define UFFD_USER_MODE_ONLY 1
struct api { uint64_t api, features, ioctls; };
struct range { uint64_t start, len; };
struct reg { struct range range; uint64_t mode, ioctls; };
struct copy { uint64_t dst, src, len, mode; int64_t copy; };
struct zero { struct range range; uint64_t mode; int64_t zeropage; };
struct msg { uint8_t event, r1; uint16_t r2; uint32_t r3; uint64_t flags, address, ptid; };
#define UFFDIO_API_ _IOWR(0xaa, 0x3f, struct api)
#define UFFDIO_REGISTER_ _IOWR(0xaa, 0x00, struct reg)
#define UFFDIO_UNREGISTER_ _IOR(0xaa, 0x01, struct range)
#define UFFDIO_WAKE_ _IOR(0xaa, 0x02, struct range)
#define UFFDIO_COPY_ _IOWR(0xaa, 0x03, struct copy)
#define UFFDIO_ZEROPAGE_ _IOWR(0xaa, 0x04, struct zero)
#define USERFAULTFD_IOC_NEW_ _IO(0xaa, 0x00)
#define MODE_MISSING 1
#define UFFD_EVENT_PAGEFAULT 0x12

static long uffd_open(int flags) {
    return syscall(SYS_userfaultfd, flags);
}

static void show(const char *what, long r) {
    if (r < 0) {
        printf("%s: %s\n", what, errname(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

static void flags_of(const char *what, int fd) {
    printf("%s: nonblock %d cloexec %d\n", what, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
}

static int page;

static void basics(void) {
    long fd = uffd_open(O_CLOEXEC | O_NONBLOCK);
    show("userfaultfd(CLOEXEC|NONBLOCK) gives a descriptor", fd >= 0 ? 0 : -1);
    flags_of("  its flags", fd);
    long plain = uffd_open(0);
    flags_of("userfaultfd(0)", plain);
    close(plain);
    long user = uffd_open(UFFD_USER_MODE_ONLY);
    show("UFFD_USER_MODE_ONLY", user >= 0 ? 0 : -1);
    close(user);
    show("unknown flag", uffd_open(0x8));
    show("O_RDWR", uffd_open(O_RDWR));

    char b[sizeof(struct msg)];
    show("read before UFFDIO_API", read(fd, b, sizeof b));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    show("poll before UFFDIO_API", poll(&p, 1, 0));
    printf("  revents %#x\n", p.revents);

    struct range r = {0, 0};
    show("UFFDIO_WAKE before UFFDIO_API", ioctl(fd, UFFDIO_WAKE_, &r));
    struct api a = {0x55, 0, 0};
    show("UFFDIO_API wrong api", ioctl(fd, UFFDIO_API_, &a));
    printf("  api %#llx features %#llx ioctls %#llx\n", (unsigned long long) a.api, (unsigned long long) a.features,
           (unsigned long long) a.ioctls);
    a = (struct api){UFFD_API, 1ull << 60, 0};
    show("UFFDIO_API unknown feature", ioctl(fd, UFFDIO_API_, &a));
    show("UFFDIO_API bad pointer", ioctl(fd, UFFDIO_API_, (void *) 8));
    a = (struct api){UFFD_API, 0, 0};
    show("UFFDIO_API", ioctl(fd, UFFDIO_API_, &a));
    printf("  api %#llx ioctls %#llx\n", (unsigned long long) a.api, (unsigned long long) a.ioctls);
    a = (struct api){UFFD_API, 0, 0};
    show("UFFDIO_API again", ioctl(fd, UFFDIO_API_, &a));

    show("read, nothing pending", read(fd, b, sizeof b));
    show("read, short buffer", read(fd, b, 8));
    show("poll, nothing pending", poll(&p, 1, 0));
    printf("  revents %#x\n", p.revents);
    show("write", write(fd, b, sizeof b));
    show("lseek", lseek(fd, 0, SEEK_SET));

    char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *src = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(src, 'x', page);
    r = (struct range){(uintptr_t) m, page};
    show("UFFDIO_WAKE", ioctl(fd, UFFDIO_WAKE_, &r));
    r = (struct range){(uintptr_t) m + 1, page};
    show("UFFDIO_WAKE unaligned", ioctl(fd, UFFDIO_WAKE_, &r));
    r = (struct range){(uintptr_t) m, 0};
    show("UFFDIO_WAKE empty", ioctl(fd, UFFDIO_WAKE_, &r));
    show("UFFDIO_WAKE bad pointer", ioctl(fd, UFFDIO_WAKE_, (void *) 8));
    r = (struct range){(uintptr_t) m, page};
    show("UFFDIO_UNREGISTER of a range not registered", ioctl(fd, UFFDIO_UNREGISTER_, &r));
    r = (struct range){(uintptr_t) m, page + 1};
    show("UFFDIO_UNREGISTER unaligned", ioctl(fd, UFFDIO_UNREGISTER_, &r));

    struct copy c = {(uintptr_t) m, (uintptr_t) src, page, 0, 0};
    show("UFFDIO_COPY to a range not registered", ioctl(fd, UFFDIO_COPY_, &c));
    printf("  copy %lld, page untouched %d\n", (long long) c.copy, m[0] == 0);
    c = (struct copy){(uintptr_t) m, (uintptr_t) src, page, 4, 0};
    show("UFFDIO_COPY unknown mode", ioctl(fd, UFFDIO_COPY_, &c));
    printf("  copy %lld\n", (long long) c.copy);
    c = (struct copy){(uintptr_t) m + 8, (uintptr_t) src, page, 0, 0};
    show("UFFDIO_COPY unaligned", ioctl(fd, UFFDIO_COPY_, &c));
    printf("  copy %lld\n", (long long) c.copy);
    c = (struct copy){(uintptr_t) m, (uintptr_t) m, page, 0, 0};
    show("UFFDIO_COPY overlapping", ioctl(fd, UFFDIO_COPY_, &c));
    show("UFFDIO_COPY bad pointer", ioctl(fd, UFFDIO_COPY_, (void *) 8));
    struct zero z = {{(uintptr_t) m, page}, 0, 0};
    show("UFFDIO_ZEROPAGE to a range not registered", ioctl(fd, UFFDIO_ZEROPAGE_, &z));
    printf("  zeropage %lld\n", (long long) z.zeropage);
    z = (struct zero){{(uintptr_t) m, page}, 2, 0};
    show("UFFDIO_ZEROPAGE unknown mode", ioctl(fd, UFFDIO_ZEROPAGE_, &z));
    printf("  zeropage %lld\n", (long long) z.zeropage);
    show("unknown ioctl", ioctl(fd, _IOR(0xaa, 0x30, struct range), &r));
    close(fd);

    /* A second descriptor through /dev/userfaultfd. */
    int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
    show("open /dev/userfaultfd", dev >= 0 ? 0 : -1);
    if (dev >= 0) {
        long nfd = ioctl(dev, USERFAULTFD_IOC_NEW_, O_CLOEXEC | O_NONBLOCK);
        show("USERFAULTFD_IOC_NEW", nfd >= 0 ? 0 : -1);
        flags_of("  its flags", nfd);
        a = (struct api){UFFD_API, 0, 0};
        show("  UFFDIO_API", ioctl(nfd, UFFDIO_API_, &a));
        show("  read", read(nfd, b, sizeof b));
        show("USERFAULTFD_IOC_NEW bad flag", ioctl(dev, USERFAULTFD_IOC_NEW_, 0x8));
        show("other ioctl on /dev/userfaultfd", ioctl(dev, _IO(0xaa, 0x01), 0));
        show("read of /dev/userfaultfd", read(dev, b, 1));
        show("write to /dev/userfaultfd", write(dev, b, 1));
        close(nfd);
        close(dev);
    }
}

/* The classic example: the handler thread reads the fault and copies a page in. */
static long uffd;
static char *area;

static void *handler(void *arg) {
    char *src = arg;
    struct pollfd p = {.fd = (int) uffd, .events = POLLIN};
    for (int served = 0; served < 2; served++) {
        if (poll(&p, 1, 5000) != 1) {
            printf("handler: no fault came\n");
            return NULL;
        }
        struct msg m;
        if (read((int) uffd, &m, sizeof m) != sizeof m) {
            printf("handler: read: %s\n", errname(errno));
            return NULL;
        }
        printf("handler: event %#x at page %ld, write %d\n", m.event,
               (long) ((m.address - (uintptr_t) area) / page), (int) (m.flags & 1));
        if (served == 0) {
            memset(src, 'A', page);
            struct copy c = {m.address & ~(uint64_t) (page - 1), (uintptr_t) src, page, 0, 0};
            show("handler: UFFDIO_COPY", ioctl((int) uffd, UFFDIO_COPY_, &c));
            printf("handler: copied %lld\n", (long long) c.copy);
        } else {
            struct zero z = {{m.address & ~(uint64_t) (page - 1), page}, 0, 0};
            show("handler: UFFDIO_ZEROPAGE", ioctl((int) uffd, UFFDIO_ZEROPAGE_, &z));
        }
    }
    return NULL;
}

static void registered(void) {
    uffd = uffd_open(O_CLOEXEC | O_NONBLOCK);
    struct api a = {UFFD_API, 0, 0};
    ioctl((int) uffd, UFFDIO_API_, &a);
    area = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct reg r = {{(uintptr_t) area, 4 * page}, MODE_MISSING, 0};
    long registered = ioctl((int) uffd, UFFDIO_REGISTER_, &r);
    show("UFFDIO_REGISTER", registered);
    if (registered < 0) {
        return;  /* no fault would come: the handler would wait in vain */
    }
    printf("  ioctls wake %d copy %d zeropage %d\n", (int) (r.ioctls >> 2 & 1), (int) (r.ioctls >> 3 & 1),
           (int) (r.ioctls >> 4 & 1));
    char *src = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pthread_t h;
    pthread_create(&h, NULL, handler, src);
    printf("main: page 1 reads '%c'\n", area[page + 5]);
    printf("main: page 3 reads %d\n", area[3 * page]);
    pthread_join(h, NULL);
    struct copy c = {(uintptr_t) area + page, (uintptr_t) src, page, 0, 0};
    show("UFFDIO_COPY onto a populated page", ioctl((int) uffd, UFFDIO_COPY_, &c));
    struct range u = {(uintptr_t) area, 4 * page};
    show("UFFDIO_UNREGISTER", ioctl((int) uffd, UFFDIO_UNREGISTER_, &u));
    printf("main: page 2 reads %d after unregister\n", area[2 * page]);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    page = getpagesize();
    if (argc > 1 && strcmp(argv[1], "register") == 0) {
        registered();
    } else {
        basics();
    }
    return 0;
}
