package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open file description, analogous to Linux's {@code struct file}: the offset and status flags
 * that dup(2) and fork share. Where an operation is served is decided here, by the object: a file
 * of a file system goes to that file system's {@link FileOps} ({@link VfsFile}), a pipe or an
 * eventfd is served in the JVM. The defaults give the
 * errno Linux gives for a file that does not support the operation.
 */
public abstract class OpenFile {
    /**
     * Access mode and status flags (O_APPEND, O_NONBLOCK, ...), as F_GETFL reports them. Read without
     * a lock; changed under the description's monitor, which also guards the reference count.
     */
    protected volatile int statusFlags;
    /**
     * Descriptors and holders that refer to it: atomic, not under the monitor, which a subclass may
     * hold while it looks up descriptors (epoll), as fork's table copy retains every file.
     */
    private final AtomicInteger references = new AtomicInteger(1);

    /**
     * Who F_SETOWN named for this description's SIGIO and SIGURG, with the uid and euid of the caller
     * that named it, and F_SETSIG's signal (Linux's {@code struct fown_struct}): {@code type} is an
     * F_OWNER_* value, {@code pid} 0 for none. jlx keeps them for the F_GET* commands but sends
     * neither SIGIO nor SIGURG.
     */
    public record Owner(int type, int pid, int uid, int euid, int signal) {}

    /** Replaced whole under its own lock, not the description's, which a blocked reader may hold. */
    private volatile Owner owner = new Owner(Fcntl.F_OWNER_TID, 0, 0, 0, 0);
    private final Object ownerLock = new Object();

    protected OpenFile(int statusFlags) {
        this.statusFlags = statusFlags;
    }

    public final int statusFlags() {
        return statusFlags;
    }

    /** F_SETFL: only O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME and O_NONBLOCK change, as on Linux. */
    public synchronized void setStatusFlags(int flags) throws ErrnoException {
        int settable = OpenFlags.O_APPEND | OpenFlags.O_ASYNC | OpenFlags.O_DIRECT | OpenFlags.O_NOATIME
                | OpenFlags.O_NONBLOCK;
        statusFlags = (statusFlags & ~settable) | (flags & settable);
    }

    public final Owner owner() {
        return owner;
    }

    /** F_SETOWN, F_SETOWN_EX: as Linux's f_modown, the credentials change only with a new owner. */
    public final void setOwner(int type, int pid, int uid, int euid) {
        synchronized (ownerLock) {
            Owner o = owner;
            owner = pid == 0 ? new Owner(type, 0, o.uid(), o.euid(), o.signal()) : new Owner(type, pid, uid, euid, o.signal());
        }
    }

    /** F_SETSIG. */
    public final void setOwnerSignal(int signal) {
        synchronized (ownerLock) {
            Owner o = owner;
            owner = new Owner(o.type(), o.pid(), o.uid(), o.euid(), signal);
        }
    }

    public boolean readable() {
        int mode = statusFlags & OpenFlags.O_ACCMODE;
        return mode == OpenFlags.O_RDONLY || mode == OpenFlags.O_RDWR;
    }

    public boolean writable() {
        int mode = statusFlags & OpenFlags.O_ACCMODE;
        return mode == OpenFlags.O_WRONLY || mode == OpenFlags.O_RDWR;
    }

    /** read(2) at the file offset into {@code dst}; 0 at end of file. */
    public int read(MemorySegment dst) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** write(2) at the file offset (or the end with O_APPEND). */
    public int write(MemorySegment src) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        throw new ErrnoException(Errno.ESPIPE);
    }

    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        throw new ErrnoException(Errno.ESPIPE);
    }

    public long seek(long offset, int whence) throws ErrnoException {
        throw new ErrnoException(Errno.ESPIPE);
    }

    public abstract HostStat stat() throws ErrnoException;

    /** ftruncate(2); only files opened for writing (EINVAL otherwise, as Linux). */
    public void truncate(long length) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** ioctl FIONREAD. */
    public int bytesReadable() throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** fallocate(2): ESPIPE on pipes, ENODEV on other non-files. */
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        throw new ErrnoException(isPipe() ? Errno.ESPIPE : Errno.ENODEV);
    }

    /** fsync(2) / fdatasync(2): EINVAL for files that cannot be synced (pipes, terminals). */
    public void sync(boolean dataOnly) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** fstatfs(2): only files of a file system have one. */
    public dev.jlx.core.host.HostStatfs statfs() throws ErrnoException {
        throw new ErrnoException(Errno.ENOSYS);
    }

    /** flock(2): whole-file advisory locks belong to the open file description. */
    public void flock(int operation) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /**
     * Whether poll and epoll can wait on this file (pipes, terminals, sockets); epoll_ctl refuses
     * the others (regular files, directories) with EPERM, as Linux.
     */
    public boolean pollable() throws ErrnoException {
        return false;
    }

    /**
     * The queue poll, select and epoll wait on for this file. A file whose {@link #poll} answer can
     * change keeps one ({@code new Readiness()}), returns it here, and after every change that may
     * alter that answer calls {@code readiness.wake(events)}: {@link Readiness#INPUT} when data came,
     * {@link Readiness#OUTPUT} when room was made, {@link Readiness#ALL} when an end was opened or
     * closed or an error came (and bumps {@link #pollGeneration} the same way, for EPOLLET). It may do
     * so holding its own monitor. The default, {@link Readiness#FIXED}, is for files that are always
     * ready or never (regular files); host descriptors, whose changes jlx does not see, give
     * {@link Readiness#UNSEEN}.
     */
    public Readiness readiness() {
        return Readiness.FIXED;
    }

    /**
     * A number that changes whenever the file may have become ready for input (data came, the other
     * side went) or, with {@code input} false, for output (room freed), for edge-triggered epoll;
     * -1 when the file cannot tell, and epoll then treats it as level-triggered.
     */
    public long pollGeneration(boolean input) {
        return -1;
    }

    /** The pipe jlx keeps for this pipe or FIFO end (splice, tee); null for any other file, a host FIFO included. */
    public Pipe pipe() {
        return null;
    }

    /** Whether this is a pipe or FIFO (ESPIPE for positional calls and fadvise). */
    public boolean isPipe() throws ErrnoException {
        return (stat().mode() & dev.jlx.abi.FileMode.S_IFMT) == dev.jlx.abi.FileMode.S_IFIFO;
    }

    /** fchmod(2). */
    public void chmod(int mode) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /** fchown(2). */
    public void chown(int uid, int gid) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /** futimens(2). */
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /**
     * poll(2)'s answer for this file now: the {@code events} (POLLIN, POLLOUT...) it is ready for,
     * plus POLLHUP and POLLERR. Files whose readiness jlx cannot see (regular files, and host
     * descriptors for now) are always ready, as regular files are on Linux.
     */
    public int poll(int events) {
        return events & (dev.jlx.abi.Poll.POLLIN | dev.jlx.abi.Poll.POLLOUT | dev.jlx.abi.Poll.POLLRDNORM
                | dev.jlx.abi.Poll.POLLWRNORM);
    }

    /** The terminal this file is an end of (a pty's, jlx's own), for ioctl and job control; ENOTTY when none. */
    public dev.jlx.core.tty.Terminal terminal() throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** The identity record locks are kept under; null for files that cannot be locked. */
    public RecordLocks.FileKey lockKey() throws ErrnoException {
        return null;
    }

    /** One more file descriptor refers to this description (dup, fork). */
    public final void retain() {
        references.incrementAndGet();
    }

    /**
     * A descriptor referring to this description is gone; true when it was the last one, and the
     * caller then {@linkplain #release releases} the description.
     */
    final boolean dropReference() {
        return references.decrementAndGet() == 0;
    }

    /**
     * Drops a reference held outside any descriptor table (a file that was never installed, the ends
     * inside a FIFO opened read-write); the last one releases the description.
     */
    public final void close() throws ErrnoException {
        if (dropReference()) {
            release();
        }
    }

    protected abstract void release() throws ErrnoException;
}
