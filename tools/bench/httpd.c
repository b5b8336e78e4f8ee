/*
 * The host server of benchmark (n2), run natively by tools/bench/run: a minimal HTTP/1.x server on
 * 127.0.0.1 that answers every request with the same small 200 response and closes the connection.
 * It listens on the port given (0: one the kernel picks), prints the port, and serves one
 * connection at a time until killed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
                               "Connection: close\r\n\r\nHello, world\n";

/* Reads the request up to its blank line (a GET has no body), then answers. */
static void serve(int c) {
    char req[4096];
    size_t have = 0;
    while (have < sizeof req - 1) {
        ssize_t n = read(c, req + have, sizeof req - 1 - have);
        if (n <= 0) {
            return;
        }
        have += n;
        req[have] = 0;
        if (strstr(req, "\r\n\r\n")) {
            break;
        }
    }
    for (size_t off = 0; off < sizeof RESPONSE - 1;) {
        ssize_t n = write(c, RESPONSE + off, sizeof RESPONSE - 1 - off);
        if (n <= 0) {
            return;
        }
        off += n;
    }
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(argc > 1 ? atoi(argv[1]) : 0),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
            || bind(l, (struct sockaddr *) &a, sizeof a) < 0 || listen(l, 128) < 0
            || getsockname(l, (struct sockaddr *) &a, &len) < 0) {
        perror("httpd: listen");
        return 1;
    }
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    for (;;) {
        int c = accept(l, NULL, NULL);
        if (c < 0) {
            continue;
        }
        serve(c);
        close(c);
    }
}
