package dev.jlx.core.fs;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;

/** A file served by the host backend; the host keeps the offset, which dup'd descriptors share. */
public final class HostOpenFile extends OpenFile {
    private final HostFile file;
    private final HostConsole console;
    private final String guestPath;

    /** {@code guestPath} is the path it was opened by (for *at calls on a directory), or null. */
    public HostOpenFile(HostFile file, int statusFlags, HostConsole console, String guestPath) {
        super(statusFlags);
        this.file = file;
        this.console = console;
        this.guestPath = guestPath;
    }

    public String guestPath() {
        return guestPath;
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
    public Terminal terminal() throws ErrnoException {
        if (!file.isTerminal()) {
            return super.terminal();
        }
        return new Terminal() {
            @Override
            public HostConsole.WindowSize windowSize() throws ErrnoException {
                return console.windowSize(file);
            }

            @Override
            public HostConsole.Termios attributes() throws ErrnoException {
                return console.attributes(file);
            }
        };
    }

    @Override
    protected void release() throws ErrnoException {
        file.close();
    }
}
