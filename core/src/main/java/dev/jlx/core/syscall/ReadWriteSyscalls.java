package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.abi.ReadWriteFlags;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Iovec;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Pipe;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.net.SocketFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** read(2), write(2) and their vector and positional forms. Data moves straight into guest pages. */
final class ReadWriteSyscalls {
    /** MAX_RW_COUNT: Linux caps one transfer at INT_MAX rounded down to a page. */
    static final long MAX_RW_COUNT = 0x7ffff000L;
    /** UIO_MAXIOV. */
    static final int IOV_MAX = 1024;

    private ReadWriteSyscalls() {}

    private static OpenFile readable(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process().fds().get(fd);
        if (!f.readable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        return f;
    }

    private static OpenFile writable(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process().fds().get(fd);
        if (!f.writable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        return f;
    }

    /** Implements Linux syscall read(2). */
    static long read(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = readable(t, a.fd(0));
        if (f instanceof SocketFile s) {
            return SocketSyscalls.read(t, s, new long[] {a.addr(1), count(a.addr(1), a.u64(2))});
        }
        return readInto(f, t.process().space().memory(), a.addr(1), count(a.addr(1), a.u64(2)), -1);
    }

    /** Implements Linux syscall write(2). */
    static long write(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = writable(t, a.fd(0));
        if (f instanceof SocketFile s) {
            return SocketSyscalls.write(t, s, new long[] {a.addr(1), count(a.addr(1), a.u64(2))});
        }
        return writeFrom(t, f, a.addr(1), count(a.addr(1), a.u64(2)), -1);
    }

    /** Implements Linux syscall pread64(2): a negative offset is EINVAL before the descriptor is looked at. */
    static long pread64(GuestThread t, Args a) throws ErrnoException {
        if (a.raw(3) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        OpenFile f = positional(t, a.fd(0));
        if (!f.readable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        return readInto(f, t.process().space().memory(), a.addr(1), count(a.addr(1), a.u64(2)), a.raw(3));
    }

    /** Implements Linux syscall pwrite64(2), as pread64. */
    static long pwrite64(GuestThread t, Args a) throws ErrnoException {
        if (a.raw(3) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        OpenFile f = positional(t, a.fd(0));
        if (!f.writable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        return writeFrom(t, f, a.addr(1), count(a.addr(1), a.u64(2)), a.raw(3));
    }

    /** The file for pread64/pwrite64: ESPIPE for a pipe comes before the access mode is checked. */
    private static OpenFile positional(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process().fds().get(fd);
        if (f.isPipe()) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        return f;
    }

    /** A read's or write's size_t count: EFAULT past the user address space, then capped at MAX_RW_COUNT. */
    private static long count(long address, long count) throws ErrnoException {
        GuestMemory.accessOk(address, count);
        return capped(count);
    }

    /** A guest's size_t count (unsigned: SIZE_MAX is not -1) capped at MAX_RW_COUNT, as Linux caps transfers. */
    static long capped(long count) {
        return Long.compareUnsigned(count, MAX_RW_COUNT) > 0 ? MAX_RW_COUNT : count;
    }

    /** Implements Linux syscall readv(2). */
    static long readv(GuestThread t, Args a) throws ErrnoException {
        return readVector(t, t.process().fds().get(a.fd(0)), a.addr(1), a.u64(2), -1, 0);
    }

    /** Implements Linux syscall writev(2). */
    static long writev(GuestThread t, Args a) throws ErrnoException {
        return writeVector(t, t.process().fds().get(a.fd(0)), a.addr(1), a.u64(2), -1, 0);
    }

    /**
     * Implements Linux syscall preadv(2). The offset is the fourth argument (pos_l): the fifth, its
     * high half, only counts on 32-bit kernels.
     */
    static long preadv(GuestThread t, Args a) throws ErrnoException {
        return readVector(t, positional(t, a.fd(0), a.raw(3)), a.addr(1), a.u64(2), a.raw(3), 0);
    }

    /** Implements Linux syscall pwritev(2), as preadv. */
    static long pwritev(GuestThread t, Args a) throws ErrnoException {
        return writeVector(t, positional(t, a.fd(0), a.raw(3)), a.addr(1), a.u64(2), a.raw(3), 0);
    }

    /** Implements Linux syscall preadv2(2): preadv with RWF_* flags; offset -1 is readv at the file offset. */
    static long preadv2(GuestThread t, Args a) throws ErrnoException {
        long pos = a.raw(3);
        OpenFile f = pos == -1 ? t.process().fds().get(a.fd(0)) : positional(t, a.fd(0), pos);
        return readVector(t, f, a.addr(1), a.u64(2), pos, a.i32(5));
    }

    /** Implements Linux syscall pwritev2(2), as preadv2. */
    static long pwritev2(GuestThread t, Args a) throws ErrnoException {
        long pos = a.raw(3);
        OpenFile f = pos == -1 ? t.process().fds().get(a.fd(0)) : positional(t, a.fd(0), pos);
        return writeVector(t, f, a.addr(1), a.u64(2), pos, a.i32(5));
    }

    /** The file of preadv/pwritev at {@code pos}: a negative offset is EINVAL before the descriptor is looked at. */
    private static OpenFile positional(GuestThread t, int fd, long pos) throws ErrnoException {
        if (pos < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return positional(t, fd);
    }

    /**
     * The iovecs of readv, writev and their p*v forms, checked in Linux's order (vfs_readv and
     * vfs_writev since 6.8): the access mode, the iovecs, nothing to do for no bytes, then the offset
     * range and the flags. null when they hold no bytes, for which the call returns 0.
     */
    private static long[] checkedVector(OpenFile f, boolean write, GuestMemory mem, long iovAddr, long count,
            long pos, int flags) throws ErrnoException {
        if (write ? !f.writable() : !f.readable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        long[] iov = iovecs(mem, iovAddr, count);
        long length = vectorLength(iov);
        if (length == 0) {
            return null;
        }
        checkRange(pos, length);
        checkFlags(f, flags);
        return iov;
    }

    /** readv, preadv and preadv2 ({@link #checkedVector}); {@code pos} -1 reads at the file offset. */
    private static long readVector(GuestThread t, OpenFile f, long iovAddr, long count, long pos, int flags)
            throws ErrnoException {
        long[] iov = checkedVector(f, false, t.process().space().memory(), iovAddr, count, pos, flags);
        return iov == null ? 0 : readIovecs(t, f, iov, pos);
    }

    /** The reading of readv and its kin, and of AIO's reads, once the iovecs ({base, length} pairs) are checked. */
    static long readIovecs(GuestThread t, OpenFile f, long[] iov, long pos) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        if (f instanceof SocketFile s) {
            // One receive for the whole vector: a datagram is spread over the iovecs, not one per iovec.
            return SocketSyscalls.read(t, s, iov);
        }
        long total = 0;
        for (int i = 0; i < iov.length; i += 2) {
            if (iov[i + 1] == 0) {
                continue;
            }
            if (total > 0 && !readsWithoutWaiting(f)) {
                break;
            }
            long n;
            try {
                n = readInto(f, mem, iov[i], iov[i + 1], pos < 0 ? -1 : pos + total);
            } catch (ErrnoException e) {
                if (total > 0) {
                    return total;
                }
                throw e;
            }
            total += n;
            if (n < iov[i + 1]) {
                break;
            }
        }
        return total;
    }

    /**
     * writev, pwritev and pwritev2 ({@link #checkedVector}). RWF_APPEND writes at the end of a regular
     * file (and leaves the file offset there when it is the one written at); RWF_DSYNC and RWF_SYNC
     * sync what was written, as O_DSYNC and O_SYNC do.
     */
    private static long writeVector(GuestThread t, OpenFile f, long iovAddr, long count, long pos, int flags)
            throws ErrnoException {
        long[] iov = checkedVector(f, true, t.process().space().memory(), iovAddr, count, pos, flags);
        return iov == null ? 0 : writeIovecs(t, f, iov, pos, flags);
    }

    /** The writing of writev and its kin, and of AIO's writes, once the iovecs and flags are checked. */
    static long writeIovecs(GuestThread t, OpenFile f, long[] iov, long pos, int flags) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        if (f instanceof SocketFile s) {
            return SocketSyscalls.write(t, s, iov);
        }
        byte[] gathered = gatheredPipeWrite(f, mem, iov, vectorLength(iov));
        if (gathered != null) {
            return writeWhole(t, f, gathered);
        }
        boolean regular = flags != 0 && regular(f);
        boolean append = regular && (flags & ReadWriteFlags.RWF_APPEND) != 0
                && (f.statusFlags() & OpenFlags.O_APPEND) == 0;
        long at = append ? f.stat().size() : pos;
        long total = 0;
        for (int i = 0; i < iov.length; i += 2) {
            if (iov[i + 1] == 0) {
                continue;
            }
            long n;
            try {
                n = writeFrom(t, f, iov[i], iov[i + 1], at < 0 ? -1 : at + total);
            } catch (ErrnoException e) {
                if (total > 0) {
                    break;
                }
                throw e;
            }
            total += n;
            if (n < iov[i + 1]) {
                break;
            }
        }
        if (append && pos == -1) {
            f.seek(at + total, Fcntl.SEEK_SET);
        }
        if (regular && total > 0 && (flags & (ReadWriteFlags.RWF_DSYNC | ReadWriteFlags.RWF_SYNC)) != 0) {
            f.sync((flags & ReadWriteFlags.RWF_SYNC) == 0);
        }
        return total;
    }

    private static long vectorLength(long[] iov) {
        long length = 0;
        for (int i = 1; i < iov.length; i += 2) {
            length += iov[i];
        }
        return length;
    }

    /** rw_verify_area: an offset range past the largest file offset is EINVAL. */
    static void checkRange(long pos, long length) throws ErrnoException {
        if (pos >= 0 && pos + length < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * kiocb_set_rw_flags: flags Linux 6.1 does not know are EOPNOTSUPP, and so is RWF_NOWAIT on a file
     * that cannot promise it, which jlx takes to be any but a regular file (whose reads and writes
     * it does not see wait).
     */
    static void checkFlags(OpenFile f, int flags) throws ErrnoException {
        if ((flags & ~ReadWriteFlags.RWF_SUPPORTED) != 0
                || ((flags & ReadWriteFlags.RWF_NOWAIT) != 0 && !regular(f))) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
    }

    private static boolean regular(OpenFile f) throws ErrnoException {
        return (f.stat().mode() & FileMode.S_IFMT) == FileMode.S_IFREG;
    }

    /** Implements Linux syscall lseek(2). */
    static long lseek(GuestThread t, Args a) throws ErrnoException {
        return t.process().fds().get(a.fd(0)).seek(a.raw(1), a.i32(2));
    }

    /**
     * Reads the iovec array as Linux's import_iovec: base and length pairs; EINVAL for a count over
     * UIO_MAXIOV (the count is unsigned) or a length over SSIZE_MAX, then EFAULT for a range past the
     * user address space; lengths after the first MAX_RW_COUNT bytes are cut to fit it.
     */
    static long[] iovecs(GuestMemory mem, long address, long count) throws ErrnoException {
        long[] out = iovecsUnchecked(mem, address, count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            GuestMemory.accessOk(out[2 * i], out[2 * i + 1]);
            out[2 * i + 1] = Math.min(out[2 * i + 1], MAX_RW_COUNT - total);
            total += out[2 * i + 1];
        }
        return out;
    }

    /**
     * The iovec array as Linux's iovec_from_user reads it, base and length pairs: EINVAL for a count
     * over UIO_MAXIOV or a length over SSIZE_MAX, the ranges themselves not checked (another
     * process's addresses, for process_vm_readv and process_vm_writev).
     */
    static long[] iovecsUnchecked(GuestMemory mem, long address, long count) throws ErrnoException {
        if (Long.compareUnsigned(count, IOV_MAX) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteBuffer b;
        boolean whole = true;
        try {
            b = mem.readStruct(address, (int) count * Iovec.SIZE);
        } catch (ErrnoException fault) {
            // copy_iovec_from_user reads one entry at a time: a bad length before the fault is EINVAL.
            b = null;
            whole = false;
        }
        long[] out = new long[(int) count * 2];
        for (int i = 0; i < count; i++) {
            Iovec v = whole ? Iovec.readFrom(b, i * Iovec.SIZE)
                    : Iovec.readFrom(mem.readStruct(address + (long) i * Iovec.SIZE, Iovec.SIZE), 0);
            out[2 * i] = v.base();
            out[2 * i + 1] = v.len();
            if (v.len() < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        return out;
    }

    /**
     * Reads into [address, address + length): one host read per contiguous piece of guest memory,
     * stopping at a short read. {@code offset} < 0 means the file offset.
     */
    static long readInto(OpenFile f, GuestMemory mem, long address, long length, long offset) throws ErrnoException {
        return transfer(mem, address, length, true, (s, done) -> done > 0 && !readsWithoutWaiting(f) ? 0
                : offset < 0 ? f.read(s) : f.pread(s, offset + done));
    }

    /**
     * Whether a read would find something now (data, end of file, an error): one read on Linux,
     * once some bytes came, ends at a pipe with no more instead of waiting (or failing with EAGAIN),
     * however many iovecs or VMAs the buffer spans.
     */
    private static boolean readsWithoutWaiting(OpenFile f) {
        return (f.poll(Poll.POLLIN) & (Poll.POLLIN | Poll.POLLHUP | Poll.POLLERR)) != 0;
    }

    /**
     * Writes from [address, address + length). A write to a pipe or socket nobody reads raises
     * SIGPIPE for the writer, as Linux does, and then fails with EPIPE if the writer survives.
     */
    static long writeFrom(GuestThread t, OpenFile f, long address, long length, long offset) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        byte[] gathered = gatheredPipeWrite(f, mem, new long[] {address, length}, length);
        if (gathered != null) {
            return writeWhole(t, f, gathered);
        }
        try {
            return transfer(mem, address, length, false, (s, done) -> offset < 0 ? f.write(s) : f.pwrite(s, offset + done));
        } catch (ErrnoException e) {
            throw raisingSigpipe(t, e);
        }
    }

    private static int writeWhole(GuestThread t, OpenFile f, byte[] bytes) throws ErrnoException {
        try {
            return f.write(MemorySegment.ofArray(bytes));
        } catch (ErrnoException e) {
            throw raisingSigpipe(t, e);
        }
    }

    private static ErrnoException raisingSigpipe(GuestThread t, ErrnoException e) {
        if (e.errno() == Errno.EPIPE) {
            SignalSyscalls.send(t, Signals.SIGPIPE);
        }
        return e;
    }

    /**
     * The bytes of a write of at most PIPE_BUF bytes to one of jlx's pipes that lie in more than one
     * piece of guest memory (iovecs, VMAs), copied into one buffer: the pipe takes such a write whole
     * or not at all (pipe(7)), as Linux's single pipe_write does. null for any other write, for bytes
     * in one piece (written in place), and when some are not readable (written piece by piece up to
     * the fault).
     */
    private static byte[] gatheredPipeWrite(OpenFile f, GuestMemory mem, long[] iov, long length) {
        if (length == 0 || length > Pipe.PIPE_BUF || f.pipe() == null) {
            return null;
        }
        byte[] out = new byte[(int) length];
        int at = 0;
        try {
            for (int i = 0; i < iov.length; i += 2) {
                if (iov[i + 1] == 0) {
                    continue;
                }
                if (iov[i + 1] == length && mem.slice(iov[i], length, false).byteSize() == length) {
                    return null;
                }
                System.arraycopy(mem.read(iov[i], (int) iov[i + 1]), 0, out, at, (int) iov[i + 1]);
                at += (int) iov[i + 1];
            }
        } catch (ErrnoException fault) {
            return null;
        }
        return out;
    }

    /** One host transfer into or out of a contiguous piece of guest memory, {@code done} bytes in. */
    @FunctionalInterface
    interface Piece {
        int transfer(MemorySegment guest, long done) throws ErrnoException;
    }

    /**
     * Moves [address, address + length) piece by piece (one per VMA), stopping at a short
     * transfer. A fault after some bytes moved ends the call with that count, as Linux does.
     */
    static long transfer(GuestMemory mem, long address, long length, boolean intoGuest, Piece piece)
            throws ErrnoException {
        long done = 0;
        while (done < length) {
            MemorySegment s;
            try {
                s = mem.slice(address + done, Math.min(length - done, MAX_RW_COUNT), intoGuest);
            } catch (ErrnoException e) {
                if (done > 0) {
                    return done;
                }
                throw e;
            }
            int n;
            try {
                n = piece.transfer(s, done);
            } catch (ErrnoException e) {
                // One call on Linux: once bytes moved (into a pipe that then filled, say), their
                // count is the result, never an error that would have the caller send them again.
                if (done > 0) {
                    return done;
                }
                throw e;
            }
            done += n;
            if (n < s.byteSize()) {
                break;
            }
        }
        return done;
    }
}
