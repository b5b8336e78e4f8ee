/* A restartable sequence interrupted by a signal goes to its abort handler (rseq(2)). */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#define RSEQ_SIG 0x53053053

struct rseq_area {
    uint32_t cpu_id_start;
    uint32_t cpu_id;
    uint64_t rseq_cs;
    uint32_t flags;
} __attribute__((aligned(32)));

static __thread struct rseq_area own;

#ifdef __GLIBC__
extern const ptrdiff_t __rseq_offset;
extern const unsigned int __rseq_size;
#endif

/* The thread's registered area: glibc registers one at start-up, musl does not. */
static struct rseq_area *area(void) {
    if (syscall(SYS_rseq, &own, sizeof own, 0, RSEQ_SIG) == 0) {
        return &own;
    }
#ifdef __GLIBC__
    if ((errno == EBUSY || errno == EINVAL) && __rseq_size > 0) {
        return (struct rseq_area *) ((char *) __builtin_thread_pointer() + __rseq_offset);
    }
#endif
    printf("rseq: %s\n", strerror(errno));
    return NULL;
}

static void on_alarm(int sig) {
    (void) sig;
}

int main(void) {
    struct rseq_area *rs = area();
    if (rs == NULL) {
        return 1;
    }
    signal(SIGALRM, on_alarm);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    /* Spins inside the critical section: only an abort gets out of it. */
    __asm__ volatile goto(
        ".pushsection __rseq_cs, \"aw\"\n"
        ".balign 32\n"
        "3: .long 0, 0\n"
        ".quad 1f, 2f - 1f, 4f\n"
        ".popsection\n"
        "leaq 3b(%%rip), %%rax\n"
        "movq %%rax, %[cs]\n"
        "1: jmp 1b\n"
        "2: jmp %l[done]\n"
        ".long 0x53053053\n"
        "4: jmp %l[aborted]\n"
        : : [cs] "m"(rs->rseq_cs) : "rax", "memory" : done, aborted);
done:
    printf("critical section ended without an abort\n");
    return 1;
aborted:
    printf("critical section aborted by a signal, rseq_cs %s\n", rs->rseq_cs == 0 ? "cleared" : "kept");
    return 0;
}
