package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.time.Instant;

/**
 * One of the JVM's own standard streams (0, 1, 2) as a host file, through java.io (which any JVM has:
 * no native binding). The stream is the JVM's, so close leaves it open. Whether it is a terminal is
 * the JVM's answer for its console ({@link java.io.Console#isTerminal}, which looks at standard input
 * and output together); otherwise it is a regular file when it can seek, else a pipe. Standard
 * input that may wait (a terminal or pipe) is read through {@link Input}, so that signals interrupt it.
 */
final class StandardStream implements HostFile {
    private static final int CHUNK = 64 * 1024;
    private final int fd;
    private final FileInputStream in;
    private final FileOutputStream out;
    private final FileChannel channel;

    private StandardStream(int fd) {
        this.fd = fd;
        if (fd == 0) {
            in = new FileInputStream(FileDescriptor.in);
            out = null;
            channel = in.getChannel();
        } else {
            in = null;
            out = new FileOutputStream(fd == 1 ? FileDescriptor.out : FileDescriptor.err);
            channel = out.getChannel();
        }
    }

    static HostFile of(int fd) {
        if (fd < 0 || fd > 2) {
            throw new IllegalArgumentException("no standard stream " + fd);
        }
        return new StandardStream(fd);
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        if (in == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        if (seekable()) {
            byte[] buf = new byte[(int) Math.min(dst.byteSize(), CHUNK)];
            try {
                int n = in.read(buf);
                if (n <= 0) {
                    return 0;
                }
                MemorySegment.copy(buf, 0, dst, ValueLayout.JAVA_BYTE, 0, n);
                return n;
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO);
            }
        }
        return Input.STDIN.read(dst);
    }

    /**
     * A terminal's or pipe's input, read by a thread of its own: java.io's read cannot be interrupted,
     * and a guest blocked in read must be (Ctrl-C reaching `cat`). A guest's read waits for that
     * thread's result interruptibly (EINTR); what the thread read meanwhile waits for the next read,
     * so no byte is lost. One per JVM, as there is one standard input.
     */
    private static final class Input {
        static final Input STDIN = new Input(new FileInputStream(FileDescriptor.in));
        private final FileInputStream in;
        private byte[] pending;
        private int taken;
        private boolean eof;
        private boolean reading;

        private Input(FileInputStream in) {
            this.in = in;
        }

        /** Starts a host read unless one is under way or its result waits. Called with the monitor held. */
        private void fetch() {
            if (reading || pending != null || eof) {
                return;
            }
            reading = true;
            Thread.ofPlatform().daemon().name("jlx-stdin").start(() -> {
                byte[] buf = new byte[CHUNK];
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    n = -1;
                }
                synchronized (this) {
                    reading = false;
                    if (n > 0) {
                        pending = java.util.Arrays.copyOf(buf, n);
                        taken = 0;
                    } else {
                        eof = true;
                    }
                    notifyAll();
                }
            });
        }

        synchronized int read(MemorySegment dst) throws ErrnoException {
            fetch();
            while (pending == null && !eof) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ErrnoException(Errno.EINTR);
                }
            }
            if (pending == null) {
                // End of file, told once: a terminal's next read waits for more input again.
                eof = false;
                return 0;
            }
            int n = (int) Math.min(dst.byteSize(), pending.length - taken);
            MemorySegment.copy(pending, taken, dst, ValueLayout.JAVA_BYTE, 0, n);
            taken += n;
            if (taken == pending.length) {
                pending = null;
            }
            return n;
        }

        /** Whether a read would not wait, waiting up to {@code timeoutMillis} for it. */
        synchronized boolean ready(int timeoutMillis) {
            fetch();
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (pending == null && !eof) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        synchronized int available() throws IOException {
            return (pending == null ? 0 : pending.length - taken) + in.available();
        }
    }

    @Override
    public int poll(int events, int timeoutMillis) {
        if (in == null || seekable()) {
            return events & (POLLIN | POLLOUT);
        }
        return Input.STDIN.ready(timeoutMillis) ? events & POLLIN : 0;
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        if (out == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        int n = (int) Math.min(src.byteSize(), CHUNK);
        try {
            out.write(src.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            return n;
        } catch (IOException e) {
            // A closed pipe: Linux would raise SIGPIPE and say EPIPE; the JVM ignores SIGPIPE.
            throw new ErrnoException(Errno.EPIPE);
        }
    }

    @Override
    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        if (in == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        if (!seekable()) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        try {
            return Math.max(0, channel.read(dst.asByteBuffer(), offset));
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        if (out == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        if (!seekable()) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        try {
            return channel.write(src.asByteBuffer(), offset);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        if (!seekable()) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        try {
            long next = switch (whence) {
                case 0 -> offset;
                case 1 -> channel.position() + offset;
                case 2 -> channel.size() + offset;
                default -> throw new ErrnoException(Errno.EINVAL);
            };
            if (next < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            channel.position(next);
            return next;
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    private static boolean terminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    private boolean seekable() {
        if (terminal()) {
            return false;
        }
        try {
            channel.position();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public HostStat stat() throws ErrnoException {
        int type = terminal() ? FileMode.S_IFCHR : seekable() ? FileMode.S_IFREG : FileMode.S_IFIFO;
        long size = 0;
        if (type == FileMode.S_IFREG) {
            try {
                size = channel.size();
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO);
            }
        }
        Instant now = Instant.now();
        return new HostStat(0, fd, type | (type == FileMode.S_IFCHR ? 0620 : 0600), 1, 0, 0, 0, size, 4096,
                (size + 511) / 512, now.getEpochSecond(), now.getNano(), now.getEpochSecond(), now.getNano(),
                now.getEpochSecond(), now.getNano());
    }

    @Override
    public void truncate(long length) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO);
            }
        }
    }

    @Override
    public void chmod(int mode) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    @Override
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        throw new ErrnoException(seekable() ? Errno.EOPNOTSUPP : Errno.ESPIPE);
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        if (in == null) {
            return 0;
        }
        try {
            return seekable() ? in.available() : Input.STDIN.available();
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public HostStatfs statfs() throws ErrnoException {
        // A terminal's and a pipe's file systems are Linux's devpts and pipefs; of a redirected file nothing is known.
        if (terminal()) {
            return new HostStatfs(0x1cd1, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, 0x20);
        }
        if (!seekable()) {
            return new HostStatfs(0x50495045, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, 0x20);
        }
        throw new ErrnoException(Errno.ENOSYS);
    }

    @Override
    public void flock(int operation) throws ErrnoException {
        // Advisory locks on a stream nobody else in the JVM locks: always granted.
    }

    @Override
    public boolean isTerminal() {
        return terminal();
    }

    @Override
    public void close() {
        // The JVM's own stream stays open.
    }
}
