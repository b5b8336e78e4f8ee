package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The host's socket calls, bound with FFM (guest buffers are native memory FFM passes as they are,
 * and a socket's send and receive are on the hot path of every byte), each with the errno it left
 * captured at once. The C prototypes are POSIX's, the same on Linux and macOS; what differs (the
 * numbers, struct msghdr's fields, sockaddr's first bytes) is the caller's ({@link PosixNetwork}).
 * accept4 and the epoll calls exist only on Linux, the kqueue calls only on macOS (and the BSDs);
 * each is bound when first used.
 */
final class SocketCalls {
    private SocketCalls() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_CAPTURE = Linker.Option.captureCallState("errno");

    private static MethodHandle bind(String name, FunctionDescriptor type, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = ERRNO_CAPTURE;
        System.arraycopy(options, 0, all, 1, options.length);
        Optional<MemorySegment> f = LINKER.defaultLookup().find(name);
        return f.map(a -> LINKER.downcallHandle(a, type, all)).orElse(null);
    }

    /** int socket(int domain, int type, int protocol); */
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT));
    /** int bind(int fd, const struct sockaddr *addr, socklen_t len); */
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** int connect(int fd, const struct sockaddr *addr, socklen_t len); */
    private static final MethodHandle CONNECT = bind("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    /** int listen(int fd, int backlog); */
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** int accept(int fd, struct sockaddr *addr, socklen_t *len); */
    private static final MethodHandle ACCEPT = bind("accept", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            ADDRESS));
    /** int getsockname(int fd, struct sockaddr *addr, socklen_t *len); */
    private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            ADDRESS, ADDRESS));
    /** int getpeername(int fd, struct sockaddr *addr, socklen_t *len); */
    private static final MethodHandle GETPEERNAME = bind("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            ADDRESS, ADDRESS));
    /** ssize_t sendmsg(int fd, const struct msghdr *msg, int flags); */
    private static final MethodHandle SENDMSG = bind("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_INT));
    /** ssize_t recvmsg(int fd, struct msghdr *msg, int flags); */
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_INT));
    /** int shutdown(int fd, int how); */
    private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** int setsockopt(int fd, int level, int name, const void *value, socklen_t len); */
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** int getsockopt(int fd, int level, int name, void *value, socklen_t *len); */
    private static final MethodHandle GETSOCKOPT = bind("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** int ioctl(int fd, unsigned long request, ...); with one pointer argument. */
    private static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
            ADDRESS), Linker.Option.firstVariadicArg(2));
    /** int fcntl(int fd, int cmd, ...); with one int argument. */
    private static final MethodHandle FCNTL = bind("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT), Linker.Option.firstVariadicArg(2));
    /** int close(int fd); */
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** int pipe(int fds[2]); */
    private static final MethodHandle PIPE = bind("pipe", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** ssize_t read(int fd, void *buf, size_t n); and write: a waker pipe's bytes, an eventfd's counter. */
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG));

    /** What one thread's calls use: the errno capture and a scratch area for the structs they pass. */
    static final class Scratch {
        /** The most iovecs one send or receive passes (Linux's UIO_MAXIOV). */
        static final int IOV_MAX = 1024;
        final MemorySegment capture;
        final MemorySegment msghdr;
        final MemorySegment sockaddr;
        final MemorySegment length;
        final MemorySegment value;
        final MemorySegment pollfd;
        final MemorySegment iov;
        /** Room for a receive's control messages in the host's layout, where they are translated (macOS). */
        final MemorySegment control;

        private Scratch() {
            Arena arena = Arena.ofAuto();
            capture = arena.allocate(CAPTURE);
            MemorySegment all = arena.allocate(1024 + 16L * IOV_MAX, 16);
            msghdr = all.asSlice(0, 64);
            sockaddr = all.asSlice(64, 128);
            length = all.asSlice(192, 8);
            pollfd = all.asSlice(200, 16);
            value = all.asSlice(256, 768);
            iov = all.asSlice(1024);
            control = arena.allocate(CONTROL_SIZE, 8);
        }

        /** The most control data of one receive in the host's layout: every option's messages at once, with room. */
        static final int CONTROL_SIZE = 1024;

        int errno() {
            return (int) ERRNO.get(capture, 0L);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() {
        return SCRATCH.get();
    }

    private static IllegalStateException failed(Throwable t) {
        return new IllegalStateException("a host socket call failed in the JVM", t);
    }

    static int socket(Scratch s, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(s.capture, domain, type, protocol);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int bind(Scratch s, int fd, MemorySegment addr, int len) {
        try {
            return (int) BIND.invokeExact(s.capture, fd, addr, len);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int connect(Scratch s, int fd, MemorySegment addr, int len) {
        try {
            return (int) CONNECT.invokeExact(s.capture, fd, addr, len);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int listen(Scratch s, int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(s.capture, fd, backlog);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int accept(Scratch s, int fd, MemorySegment addr, MemorySegment len) {
        try {
            return (int) ACCEPT.invokeExact(s.capture, fd, addr, len);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags); (Linux) */
    private static final class Accept4 {
        static final MethodHandle ACCEPT4 = bind("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                JAVA_INT));
    }

    static int accept4(Scratch s, int fd, MemorySegment addr, MemorySegment len, int flags) {
        try {
            return (int) Accept4.ACCEPT4.invokeExact(s.capture, fd, addr, len, flags);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int getsockname(Scratch s, int fd, MemorySegment addr, MemorySegment len) {
        try {
            return (int) GETSOCKNAME.invokeExact(s.capture, fd, addr, len);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int getpeername(Scratch s, int fd, MemorySegment addr, MemorySegment len) {
        try {
            return (int) GETPEERNAME.invokeExact(s.capture, fd, addr, len);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static long sendmsg(Scratch s, int fd, MemorySegment msg, int flags) {
        try {
            return (long) SENDMSG.invokeExact(s.capture, fd, msg, flags);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static long recvmsg(Scratch s, int fd, MemorySegment msg, int flags) {
        try {
            return (long) RECVMSG.invokeExact(s.capture, fd, msg, flags);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int shutdown(Scratch s, int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(s.capture, fd, how);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int setsockopt(Scratch s, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(s.capture, fd, level, name, value, len);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int getsockopt(Scratch s, int fd, int level, int name, MemorySegment value, MemorySegment len) {
        try {
            return (int) GETSOCKOPT.invokeExact(s.capture, fd, level, name, value, len);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int ioctl(Scratch s, int fd, long request, MemorySegment arg) {
        try {
            return (int) IOCTL.invokeExact(s.capture, fd, request, arg);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int fcntl(Scratch s, int fd, int cmd, int arg) {
        try {
            return (int) FCNTL.invokeExact(s.capture, fd, cmd, arg);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int close(Scratch s, int fd) {
        try {
            return (int) CLOSE.invokeExact(s.capture, fd);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** pipe(2) into the scratch's {@code length} (two ints). */
    static int pipe(Scratch s) {
        try {
            return (int) PIPE.invokeExact(s.capture, s.length);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static long read(Scratch s, int fd, MemorySegment buf, long n) {
        try {
            return (long) READ.invokeExact(s.capture, fd, buf, n);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static long write(Scratch s, int fd, MemorySegment buf, long n) {
        return write(s.capture, fd, buf, n);
    }

    /** write(2) with an errno capture of the caller's own (a thread that may be amid a call of its own). */
    static long write(MemorySegment capture, int fd, MemorySegment buf, long n) {
        try {
            return (long) WRITE.invokeExact(capture, fd, buf, n);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** A segment for {@link #write(MemorySegment, int, MemorySegment, long)}'s errno. */
    static MemorySegment newCapture(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** int poll(struct pollfd *fds, nfds_t n, int timeout); nfds_t is an unsigned long on Linux, an unsigned int on macOS. */
    private static final class Poll {
        static final boolean LONG_NFDS = System.getProperty("os.name").startsWith("Linux");
        static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                LONG_NFDS ? JAVA_LONG : JAVA_INT, JAVA_INT));
    }

    /** poll(2) of one descriptor for {@code events} with a zero timeout: its revents, or 0. */
    static int pollNow(Scratch s, int fd, short events) {
        MemorySegment p = s.pollfd;
        setPollfd(p, 0, fd, events);
        return poll(s, 1, 0) == 1 ? p.get(JAVA_SHORT, 6) & 0xffff : 0;
    }

    /**
     * poll(2) of {@code fd} for {@code events} and of {@code wakeFd} for input, for up to
     * {@code timeoutMillis} (-1: no limit): {@code fd}'s revents in the low 16 bits, and bit 16 set
     * when {@code wakeFd} is readable; 0 when the time passed or a signal of the host ended it.
     */
    static int pollWith(Scratch s, int fd, short events, int wakeFd, int timeoutMillis) {
        MemorySegment p = s.pollfd;
        setPollfd(p, 0, fd, events);
        setPollfd(p, 8, wakeFd, (short) 0x1);
        if (poll(s, 2, timeoutMillis) <= 0) {
            return 0;
        }
        return (p.get(JAVA_SHORT, 6) & 0xffff) | (p.get(JAVA_SHORT, 14) != 0 ? 1 << 16 : 0);
    }

    private static void setPollfd(MemorySegment p, long at, int fd, short events) {
        p.set(JAVA_INT, at, fd);
        p.set(JAVA_SHORT, at + 4, events);
        p.set(JAVA_SHORT, at + 6, (short) 0);
    }

    private static int poll(Scratch s, int n, int timeoutMillis) {
        try {
            return Poll.LONG_NFDS ? (int) Poll.POLL.invokeExact(s.capture, s.pollfd, (long) n, timeoutMillis)
                    : (int) Poll.POLL.invokeExact(s.capture, s.pollfd, n, timeoutMillis);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** The kqueue calls (macOS, the BSDs). */
    static final class Kqueue {
        private Kqueue() {}

        /** int kqueue(void); */
        static final MethodHandle KQUEUE = bind("kqueue", FunctionDescriptor.of(JAVA_INT));
        /**
         * int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent *eventlist,
         * int nevents, const struct timespec *timeout);
         */
        static final MethodHandle KEVENT = bind("kevent", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_INT, ADDRESS));

        static int kqueue(Scratch s) {
            try {
                return (int) KQUEUE.invokeExact(s.capture);
            } catch (Throwable t) {
                throw failed(t);
            }
        }

        static int kevent(Scratch s, int kq, MemorySegment changes, int nchanges, MemorySegment events, int nevents,
                MemorySegment timeout) {
            try {
                return (int) KEVENT.invokeExact(s.capture, kq, changes, nchanges, events, nevents, timeout);
            } catch (Throwable t) {
                throw failed(t);
            }
        }
    }

    /** The epoll calls (Linux). */
    static final class Epoll {
        private Epoll() {}

        /** int epoll_create1(int flags); */
        static final MethodHandle CREATE1 = bind("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        /** int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event); */
        static final MethodHandle CTL = bind("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS));
        /** int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout); */
        static final MethodHandle WAIT = bind("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT));

        /** int eventfd(unsigned int initval, int flags); */
        static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

        static int eventfd(Scratch s, int flags) {
            try {
                return (int) EVENTFD.invokeExact(s.capture, 0, flags);
            } catch (Throwable t) {
                throw failed(t);
            }
        }

        static int create1(Scratch s, int flags) {
            try {
                return (int) CREATE1.invokeExact(s.capture, flags);
            } catch (Throwable t) {
                throw failed(t);
            }
        }

        static int ctl(Scratch s, int epfd, int op, int fd, MemorySegment event) {
            try {
                return (int) CTL.invokeExact(s.capture, epfd, op, fd, event);
            } catch (Throwable t) {
                throw failed(t);
            }
        }

        static int await(Scratch s, int epfd, MemorySegment events, int max, int timeout) {
            try {
                return (int) WAIT.invokeExact(s.capture, epfd, events, max, timeout);
            } catch (Throwable t) {
                throw failed(t);
            }
        }
    }
}
