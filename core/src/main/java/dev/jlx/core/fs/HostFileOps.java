package dev.jlx.core.fs;

import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;

/**
 * hostfs's open file: a host SPI {@link HostFile}, which keeps its own offset, and the host console
 * that answers for it when it is a terminal. Also a host standard stream that jlx was started with.
 */
public final class HostFileOps implements FileOps {
    private final HostFile file;
    private final HostConsole console;

    public HostFileOps(HostFile file, HostConsole console) {
        this.file = file;
        this.console = console;
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        return file.read(dst);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        return file.write(src);
    }

    @Override
    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        return file.pread(dst, offset);
    }

    @Override
    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        return file.pwrite(src, offset);
    }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        return file.seek(offset, whence);
    }

    @Override
    public HostStat stat() throws ErrnoException {
        return file.stat();
    }

    @Override
    public void truncate(long length) throws ErrnoException {
        file.truncate(length);
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        file.sync(dataOnly);
    }

    @Override
    public void chmod(int mode) throws ErrnoException {
        file.chmod(mode);
    }

    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        file.chown(uid, gid);
    }

    @Override
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        file.utimens(atimeSec, atimeNsec, mtimeSec, mtimeNsec);
    }

    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        file.allocate(mode, offset, length);
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        return file.bytesReadable();
    }

    @Override
    public HostStatfs statfs() throws ErrnoException {
        return file.statfs();
    }

    @Override
    public void flock(int operation) throws ErrnoException {
        file.flock(operation);
    }

    /** The host's POLL* bits are Linux's on every POSIX host ({@link HostFile#POLLIN}). */
    @Override
    public int poll(int events, int timeoutMillis) throws ErrnoException {
        return file.poll(events, timeoutMillis);
    }

    /** jlx does not see a host terminal, FIFO or socket become ready: only the host's poll tells. */
    @Override
    public Readiness readiness() {
        return Readiness.UNSEEN;
    }

    @Override
    public dev.jlx.core.tty.HostTerminal.Access hostTerminal() throws ErrnoException {
        if (!file.isTerminal()) {
            return FileOps.super.hostTerminal();
        }
        return new dev.jlx.core.tty.HostTerminal.Access(console, file);
    }

    @Override
    public void close() throws ErrnoException {
        file.close();
    }

    @Override
    public dev.jlx.core.host.HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
        return file.mapShared(offset, length, writable);
    }

    @Override
    public long getxattr(ByteString name, MemorySegment value) throws ErrnoException {
        return file.getxattr(name, value);
    }

    @Override
    public long listxattr(MemorySegment list) throws ErrnoException {
        return file.listxattr(list);
    }

    @Override
    public void setxattr(ByteString name, MemorySegment value, int flags) throws ErrnoException {
        file.setxattr(name, value, flags);
    }

    @Override
    public void removexattr(ByteString name) throws ErrnoException {
        file.removexattr(name);
    }
}
