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
 * One of the JVM's own standard streams (0, 1, 2) that is no console, as a host file, through java.io
 * (which any JVM has: no native binding); a console is a {@link ConsoleFile}. The stream is the JVM's,
 * so close leaves it open. It is a regular file when it can seek, else a pipe. Standard input that may
 * wait (a pipe) is read through a {@link BlockingInput}, so that signals interrupt it.
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
        return STDIN.read(dst);
    }

    /** Standard input that may wait (a pipe), read by a thread of its own; one per JVM, as there is one. */
    private static final BlockingInput STDIN = new BlockingInput(new BlockingInput.Source() {
        private final FileInputStream in = new FileInputStream(FileDescriptor.in);

        @Override
        public java.util.List<byte[]> next() throws IOException {
            byte[] buf = new byte[CHUNK];
            int n = in.read(buf);
            return java.util.List.of(n > 0 ? java.util.Arrays.copyOf(buf, n) : new byte[0]);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }, "jlx-stdin");

    @Override
    public int poll(int events, int timeoutMillis) {
        if (in == null || seekable()) {
            return events & (POLLIN | POLLOUT);
        }
        return STDIN.ready(timeoutMillis) ? events & POLLIN : 0;
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

    private boolean seekable() {
        try {
            channel.position();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public HostStat stat() throws ErrnoException {
        int type = seekable() ? FileMode.S_IFREG : FileMode.S_IFIFO;
        long size = 0;
        if (type == FileMode.S_IFREG) {
            try {
                size = channel.size();
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO);
            }
        }
        Instant now = Instant.now();
        return new HostStat(0, fd, type | 0600, 1, 0, 0, 0, size, 4096,
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
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        throw new ErrnoException(seekable() ? Errno.EOPNOTSUPP : Errno.ESPIPE);
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        if (in == null) {
            return 0;
        }
        try {
            return seekable() ? in.available() : STDIN.available();
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public HostStatfs statfs() throws ErrnoException {
        // A pipe's file system is Linux's pipefs; of a redirected file nothing is known.
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
        return false;
    }

    @Override
    public void close() {
        // The JVM's own stream stays open.
    }
}
