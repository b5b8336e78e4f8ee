package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Pipe;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Copies between descriptors without passing data through the guest: sendfile(2),
 * copy_file_range(2), splice(2) and tee(2). The data goes through one bounce buffer in the JVM.
 */
final class CopySyscalls {
    private static final int CHUNK = 128 * 1024;

    private CopySyscalls() {}

    /** Implements Linux syscall sendfile(2). */
    static long sendfile(GuestThread t, Args a) throws ErrnoException {
        // Linux copies the offset in before it looks at either descriptor: a bad pointer is EFAULT first.
        if (a.addr(2) != 0) {
            t.process().space().memory().readLong(a.addr(2));
        }
        OpenFile in = t.process().fds().get(a.fd(1));
        if (!in.readable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        if (a.addr(2) != 0 && in.isPipe()) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        OpenFile out = t.process().fds().get(a.fd(0));
        if (!out.writable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        // A pipe has no splice_read: sendfile cannot read from one (Go then copies with read and write).
        if (in.isPipe()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return copy(t, in, a.addr(2), out, 0, ReadWriteSyscalls.capped(a.u64(3)));
    }

    /** Implements Linux syscall copy_file_range(2). */
    static long copy_file_range(GuestThread t, Args a) throws ErrnoException {
        OpenFile in = t.process().fds().get(a.fd(0));
        OpenFile out = t.process().fds().get(a.fd(2));
        if (a.i32(5) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (!in.readable() || !out.writable() || (out.statusFlags() & dev.jlx.abi.OpenFlags.O_APPEND) != 0) {
            throw new ErrnoException(Errno.EBADF);
        }
        int inType = in.stat().mode() & dev.jlx.abi.FileMode.S_IFMT;
        int outType = out.stat().mode() & dev.jlx.abi.FileMode.S_IFMT;
        if (inType == dev.jlx.abi.FileMode.S_IFDIR || outType == dev.jlx.abi.FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (inType != dev.jlx.abi.FileMode.S_IFREG || outType != dev.jlx.abi.FileMode.S_IFREG) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return copy(t, in, a.addr(1), out, a.addr(3), ReadWriteSyscalls.capped(a.u64(4)));
    }

    /**
     * Copies up to {@code count} bytes; a non-null offset pointer means positional I/O at that
     * offset, which is then advanced in guest memory instead of the file offset.
     */
    private static long copy(GuestThread t, OpenFile in, long inOffsetAddr, OpenFile out, long outOffsetAddr,
            long count) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long inOffset = inOffsetAddr == 0 ? -1 : mem.readLong(inOffsetAddr);
        long outOffset = outOffsetAddr == 0 ? -1 : mem.readLong(outOffsetAddr);
        if ((inOffsetAddr != 0 && inOffset < 0) || (outOffsetAddr != 0 && outOffset < 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long done = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            while (done < count) {
                MemorySegment chunk = buf.asSlice(0, Math.min(CHUNK, count - done));
                int n = inOffset < 0 ? in.read(chunk) : in.pread(chunk, inOffset + done);
                if (n <= 0) {
                    break;
                }
                int written = 0;
                try {
                    while (written < n) {
                        MemorySegment part = chunk.asSlice(written, n - written);
                        written += outOffset < 0 ? out.write(part) : out.pwrite(part, outOffset + done + written);
                    }
                } catch (ErrnoException e) {
                    // What the output did not take (a non-blocking socket's EAGAIN) stays to be read again.
                    if (inOffset < 0) {
                        in.seek(written - n, dev.jlx.abi.Fcntl.SEEK_CUR);
                    }
                    done += written;
                    throw e;
                }
                done += n;
                if (n < chunk.byteSize()) {
                    break;
                }
            }
        } catch (ErrnoException e) {
            if (done == 0) {
                throw e;
            }
        }
        if (inOffsetAddr != 0) {
            mem.writeLong(inOffsetAddr, inOffset + done);
        }
        if (outOffsetAddr != 0) {
            mem.writeLong(outOffsetAddr, outOffset + done);
        }
        return done;
    }

    /** splice(2)'s flags: SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE, SPLICE_F_GIFT. */
    private static final int SPLICE_F_ALL = 0xf;
    private static final int SPLICE_F_NONBLOCK = 0x2;

    /**
     * Implements Linux syscall splice(2): one transfer between a pipe and a file or another pipe,
     * of what the source pipe holds (waiting for some) or what fits in the sink pipe (waiting for
     * room), up to the length asked.
     */
    static long splice(GuestThread t, Args a) throws ErrnoException {
        long length = ReadWriteSyscalls.capped(a.u64(4));
        int flags = a.i32(5);
        if (length == 0) {
            return 0;
        }
        if ((flags & ~SPLICE_F_ALL) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        OpenFile in = t.process().fds().get(a.fd(0));
        OpenFile out = t.process().fds().get(a.fd(2));
        if (!in.readable() || !out.writable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        boolean inPipe = in.isPipe();
        boolean outPipe = out.isPipe();
        if (!inPipe && !outPipe) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long inOffsetAddr = a.addr(1);
        long outOffsetAddr = a.addr(3);
        if ((inPipe && inOffsetAddr != 0) || (outPipe && outOffsetAddr != 0)) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        if (!outPipe && (out.statusFlags() & OpenFlags.O_APPEND) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Pipe source = in.pipe();
        Pipe sink = out.pipe();
        if (source != null && source == sink) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        long inOffset = inOffsetAddr == 0 ? -1 : mem.readLong(inOffsetAddr);
        long outOffset = outOffsetAddr == 0 ? -1 : mem.readLong(outOffsetAddr);
        if ((inOffsetAddr != 0 && inOffset < 0) || (outOffsetAddr != 0 && outOffset < 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean nonblocking = (flags & SPLICE_F_NONBLOCK) != 0
                || ((in.statusFlags() | out.statusFlags()) & OpenFlags.O_NONBLOCK) != 0;
        try {
            long limit = length;
            if (source != null) {
                int held = source.awaitData(nonblocking);
                if (held == 0) {
                    return 0;
                }
                limit = Math.min(limit, held);
            }
            if (sink != null) {
                limit = Math.min(limit, sink.awaitRoom(nonblocking));
            } else if (source == null) {
                limit = Math.min(limit, CHUNK);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(limit);
                if (source != null && sink == null) {
                    return drain(source, buf, out, outOffset, outOffsetAddr, mem);
                }
                int n = source != null ? source.read(buf, true, false)
                        : inOffset < 0 ? in.read(buf) : in.pread(buf, inOffset);
                if (n <= 0) {
                    return 0;
                }
                for (int written = 0; written < n;) {
                    MemorySegment part = buf.asSlice(written, n - written);
                    written += sink != null ? sink.write(part, false, false)
                            : outOffset < 0 ? out.write(part) : out.pwrite(part, outOffset + written);
                }
                if (inOffsetAddr != 0) {
                    mem.writeLong(inOffsetAddr, inOffset + n);
                }
                if (outOffsetAddr != 0) {
                    mem.writeLong(outOffsetAddr, outOffset + n);
                }
                return n;
            }
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPIPE) {
                SignalSyscalls.send(t, Signals.SIGPIPE);
            }
            throw e;
        }
    }

    /**
     * splice from a pipe to another file, as splice_from_pipe: the pipe gives up only what the file
     * took, so a non-blocking socket that takes part (or none: EAGAIN) loses nothing. The pipe stays
     * locked meanwhile, as Linux holds pipe_lock.
     */
    private static long drain(Pipe source, MemorySegment buf, OpenFile out, long outOffset, long outOffsetAddr,
            GuestMemory mem) throws ErrnoException {
        synchronized (source) {
            int n = source.peek(buf);
            int written = 0;
            while (written < n) {
                MemorySegment part = buf.asSlice(written, n - written);
                try {
                    written += outOffset < 0 ? out.write(part) : out.pwrite(part, outOffset + written);
                } catch (ErrnoException e) {
                    if (written == 0) {
                        throw e;
                    }
                    break;
                }
            }
            source.read(buf.asSlice(0, written), true, false);
            if (outOffsetAddr != 0) {
                mem.writeLong(outOffsetAddr, outOffset + written);
            }
            return written;
        }
    }

    /**
     * Implements Linux syscall vmsplice(2): the direction is the descriptor's (open for writing:
     * the guest's iovecs into the pipe; else, open for reading, out of it into them), the iovecs
     * read as readv's, then a pipe is needed (EBADF). Only SPLICE_F_NONBLOCK makes it not wait
     * (the pipe's O_NONBLOCK does not, as on Linux). Into the pipe goes as much as it has room for
     * once it has some (EPIPE and SIGPIPE with no reader); out of it as much as it holds once it
     * holds some (0 with no writer). The bytes are copied: Linux's pipe instead refers to the
     * caller's pages, so a change made to them after the call shows in what is read.
     */
    static long vmsplice(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(3);
        if ((flags & ~SPLICE_F_ALL) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        OpenFile f = t.process().fds().get(a.fd(0));
        boolean toPipe = f.writable();
        if (!toPipe && !f.readable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        GuestMemory mem = t.process().space().memory();
        long[] iov = ReadWriteSyscalls.iovecs(mem, a.addr(1), a.u64(2));
        long total = 0;
        for (int i = 1; i < iov.length; i += 2) {
            total += iov[i];
        }
        if (total == 0) {
            return 0;
        }
        Pipe pipe = f.pipe();
        if (pipe == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        boolean nonblocking = (flags & SPLICE_F_NONBLOCK) != 0;
        try (Arena arena = Arena.ofConfined()) {
            if (toPipe) {
                int room;
                try {
                    room = pipe.awaitRoom(nonblocking);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EPIPE) {
                        SignalSyscalls.send(t, Signals.SIGPIPE);
                    }
                    throw e;
                }
                MemorySegment buf = arena.allocate(Math.min(total, room));
                long n = scatterGather(mem, iov, buf, false);
                return pipe.write(buf.asSlice(0, n), true, false);
            }
            int held = pipe.awaitData(nonblocking);
            if (held == 0) {
                return 0;
            }
            synchronized (pipe) {
                MemorySegment buf = arena.allocate(Math.min(total, held));
                int n = pipe.peek(buf);
                long copied = scatterGather(mem, iov, buf.asSlice(0, n), true);
                // As pipe_to_user: the pipe gives up only what reached the caller.
                pipe.read(buf.asSlice(0, copied), true, false);
                return copied;
            }
        }
    }

    /**
     * Copies between the guest's iovecs and {@code buf}, in order, up to {@code buf}'s size
     * ({@code intoGuest}: from it): the bytes moved, stopping at the first address that cannot be
     * reached; EFAULT when that is the first.
     */
    private static long scatterGather(GuestMemory mem, long[] iov, MemorySegment buf, boolean intoGuest)
            throws ErrnoException {
        long done = 0;
        for (int i = 0; i < iov.length && done < buf.byteSize(); i += 2) {
            long want = Math.min(iov[i + 1], buf.byteSize() - done);
            long at = done;
            long n;
            try {
                n = ReadWriteSyscalls.transfer(mem, iov[i], want, intoGuest, (s, moved) -> {
                    if (intoGuest) {
                        s.copyFrom(buf.asSlice(at + moved, s.byteSize()));
                    } else {
                        buf.asSlice(at + moved, s.byteSize()).copyFrom(s);
                    }
                    return (int) s.byteSize();
                });
            } catch (ErrnoException e) {
                if (done == 0) {
                    throw e;
                }
                break;
            }
            done += n;
            if (n < want) {
                break;
            }
        }
        return done;
    }

    /**
     * Implements Linux syscall tee(2): copies what one pipe holds (waiting for some), up to the
     * length asked and the room in the other pipe, without taking it from the first.
     */
    static long tee(GuestThread t, Args a) throws ErrnoException {
        long length = ReadWriteSyscalls.capped(a.u64(2));
        int flags = a.i32(3);
        if ((flags & ~SPLICE_F_ALL) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (length == 0) {
            return 0;
        }
        OpenFile in = t.process().fds().get(a.fd(0));
        OpenFile out = t.process().fds().get(a.fd(1));
        if (!in.readable() || !out.writable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        Pipe source = in.pipe();
        Pipe sink = out.pipe();
        if (source == null || sink == null || source == sink) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean nonblocking = (flags & SPLICE_F_NONBLOCK) != 0
                || ((in.statusFlags() | out.statusFlags()) & OpenFlags.O_NONBLOCK) != 0;
        try {
            int held = source.awaitData(nonblocking);
            if (held == 0) {
                return 0;
            }
            long limit = Math.min(Math.min(length, held), sink.awaitRoom(nonblocking));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(limit);
                int n = source.peek(buf);
                return sink.write(buf.asSlice(0, n), false, false);
            }
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPIPE) {
                SignalSyscalls.send(t, Signals.SIGPIPE);
            }
            throw e;
        }
    }
}
