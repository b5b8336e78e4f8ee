/* Processes: fork, vfork, posix_spawn, execve (ELF and #!), wait4/waitid, pipes between processes, signals. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
    fflush(stdout);
}

static void status(const char *what, int st) {
    if (WIFEXITED(st)) {
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    } else if (WIFSIGNALED(st)) {
        printf("%s: killed by %d\n", what, WTERMSIG(st));
    } else {
        printf("%s: other 0x%x\n", what, st);
    }
    fflush(stdout);
}

static volatile sig_atomic_t handled;
static void on_signal(int sig) { handled = sig; }

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child argc %d last [%s] env JLXTEST=%s\n", argc, argv[argc - 1], getenv("JLXTEST"));
        return 9;
    }
    int st;
    /* fork: separate memory, the child's exit status, the parent's pid. */
    int shared = 1;
    char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    anon[0] = 'p';
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        shared = 2;
        anon[0] = 'c';
        _exit(getppid() == parent ? 3 : 4);
    }
    show("waitpid", waitpid(c, &st, 0) == c);
    status("fork child", st);
    printf("private copy kept %d, shared page now %c\n", shared, anon[0]);
    show("wait with no children", wait(&st));

    /* A pipe between parent and child, end of file when the writer exits. */
    int p[2];
    pipe(p);
    c = fork();
    if (c == 0) {
        close(p[0]);
        for (int i = 0; i < 3; i++) {
            dprintf(p[1], "line %d\n", i);
        }
        _exit(0);
    }
    close(p[1]);
    char buf[256];
    ssize_t n, total = 0;
    while ((n = read(p[0], buf + total, sizeof buf - 1 - total)) > 0) {
        total += n;
    }
    buf[total] = 0;
    printf("from child: %s", buf);
    close(p[0]);
    waitpid(c, &st, 0);
    status("pipe child", st);

    /* vfork + execve of this program, with an environment of its own. */
    char *cargv[] = {argv[0], "child", "last one", NULL};
    char *cenv[] = {"JLXTEST=vfork", NULL};
    c = vfork();
    if (c == 0) {
        execve(argv[0], cargv, cenv);
        _exit(127);
    }
    waitpid(c, &st, 0);
    status("vfork+execve", st);

    /* posix_spawn, and posix_spawnp of a missing program. */
    pid_t sp;
    setenv("JLXTEST", "spawn", 1);
    int spawned = posix_spawn(&sp, argv[0], NULL, NULL, cargv, environ);
    waitpid(sp, &st, 0);
    show("posix_spawn", spawned);
    status("spawned", st);
    show("posix_spawnp missing", posix_spawnp(&sp, "no-such-program-jlx", NULL, NULL, cargv, environ));

    /* execve errors seen from a child. */
    c = fork();
    if (c == 0) {
        char *none[] = {"x", NULL};
        int e1 = execve("/nonexistent/prog", none, environ) < 0 ? errno : 0;
        int e2 = execve("/etc/hostname", none, environ) < 0 ? errno : 0;
        int e3 = execve("/", none, environ) < 0 ? errno : 0;
        printf("execve errors %s / %s / %s\n", strerror(e1), strerror(e2), strerror(e3));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, &st, 0);

    /* A #! script. */
    FILE *f = fopen("script.sh", "w");
    fprintf(f, "#!/bin/sh -e\necho \"script args: $0 $*\"\nexit 6\n");
    fclose(f);
    chmod("script.sh", 0755);
    c = fork();
    if (c == 0) {
        char *sargv[] = {"./script.sh", "a", "b", NULL};
        execv("./script.sh", sargv);
        _exit(127);
    }
    waitpid(c, &st, 0);
    status("script", st);

    /* Death by signal, WNOHANG, waitid. */
    c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    show("WNOHANG while running", waitpid(c, &st, WNOHANG));
    kill(c, SIGTERM);
    waitpid(c, &st, 0);
    status("killed child", st);
    c = fork();
    if (c == 0) {
        _exit(42);
    }
    siginfo_t info;
    memset(&info, 0, sizeof info);
    show("waitid", waitid(P_PID, c, &info, WEXITED));
    printf("waitid: signo %d code %d status %d pid ok %d\n", info.si_signo, info.si_code, info.si_status,
           info.si_pid == c);

    /* SIGCHLD to a handler, kill to a process group, getpgid/setpgid. */
    signal(SIGCHLD, on_signal);
    c = fork();
    if (c == 0) {
        _exit(0);
    }
    while (handled != SIGCHLD) {
        usleep(1000);
    }
    waitpid(c, &st, 0);
    printf("SIGCHLD handled\n");
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        pause();
        _exit(0);
    }
    while (getpgid(c) != c) {
        usleep(1000);
    }
    show("kill group", kill(-c, SIGKILL));
    waitpid(c, &st, 0);
    status("group member", st);
    show("kill missing pid", kill(999999, 0));
    show("setsid as non-leader", setsid() > 0);
    show("setsid again", setsid());
    return 0;
}
