package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Instant;

/**
 * A descriptor of the console, as a Linux program's descriptor of its terminal: it reads the console's
 * input and writes to a screen buffer whichever standard stream it came from (a terminal's descriptor
 * is opened for both), and cannot seek. A standard stream looks like the first pseudo-terminal,
 * /dev/pts/0 (character device 136:0, mode 0620, the user's, group tty), as a terminal emulator's
 * shell has it; /dev/tty looks like /dev/tty (5:0, 0666, root's, group tty). Closing it leaves the
 * console open (the JVM's handles, and jlx's CONIN$ and CONOUT$, live as long as the JVM).
 */
final class ConsoleFile implements HostFile {
    /** new_encode_dev(MKDEV(136, 0)) and (5, 0) (include/linux/kdev_t.h). */
    private static final long PTS_0 = 136 << 8;
    private static final long DEV_TTY = 5 << 8;
    /** The anonymous devices devpts and devtmpfs have on a Debian 12 machine (0:26, 0:6); Linux numbers them as it mounts. */
    private static final long DEVPTS_DEV = 26;
    private static final long DEVTMPFS_DEV = 6;
    /** devpts numbers pts/N's inode N + 3 (fs/devpts/inode.c); /dev/tty's is devtmpfs's own. */
    private static final long PTS_0_INO = 3;
    private static final long DEV_TTY_INO = 9;
    /** The tty group of Debian's base-passwd. */
    private static final int TTY_GID = 5;
    private static final long DEVPTS_SUPER_MAGIC = 0x1cd1;
    private static final long TMPFS_MAGIC = 0x01021994;
    /**
     * statfs's f_flags for Debian's mounts: devpts nosuid,noexec,relatime and devtmpfs nosuid,relatime
     * (ST_VALID 0x20, ST_NOSUID 2, ST_NOEXEC 8, ST_RELATIME 0x1000).
     */
    private static final long DEVPTS_FLAGS = 0x102a;
    private static final long DEVTMPFS_FLAGS = 0x1022;

    private final WindowsConsole console;
    private final BlockingInput input;
    private final ConsoleOutput output;
    private final boolean controllingTerminal;
    private final int owner;

    ConsoleFile(WindowsConsole console, BlockingInput input, ConsoleOutput output, boolean controllingTerminal,
            int owner) {
        this.console = console;
        this.input = input;
        this.output = output;
        this.controllingTerminal = controllingTerminal;
        this.owner = owner;
    }

    WindowsConsole console() {
        return console;
    }

    ConsoleOutput output() {
        return output;
    }

    /** Waits for typed input interruptibly: a signal ends the wait with EINTR. */
    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        return input.read(dst);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        return output.write(src);
    }

    @Override
    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        throw new ErrnoException(Errno.ESPIPE);
    }

    @Override
    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        throw new ErrnoException(Errno.ESPIPE);
    }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        throw new ErrnoException(Errno.ESPIPE);
    }

    @Override
    public HostStat stat() {
        Instant now = Instant.now();
        long s = now.getEpochSecond();
        int n = now.getNano();
        return controllingTerminal
                ? new HostStat(DEVTMPFS_DEV, DEV_TTY_INO, FileMode.S_IFCHR | 0666, 1, 0, TTY_GID, DEV_TTY, 0, 4096, 0, s,
                        n, s, n, s, n)
                : new HostStat(DEVPTS_DEV, PTS_0_INO, FileMode.S_IFCHR | 0620, 1, owner, TTY_GID, PTS_0, 0, 1024, 0, s,
                        n, s, n, s, n);
    }

    /** ftruncate(2) of anything but a regular file. */
    @Override
    public void truncate(long length) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** A terminal has no fsync: Linux answers EINVAL. */
    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** fallocate(2) of a character device. */
    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        throw new ErrnoException(Errno.ENODEV);
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        try {
            return input.available();
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    @Override
    public HostStatfs statfs() {
        return controllingTerminal ? new HostStatfs(TMPFS_MAGIC, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, DEVTMPFS_FLAGS)
                : new HostStatfs(DEVPTS_SUPER_MAGIC, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, DEVPTS_FLAGS);
    }

    /** Advisory locks on the console, which nobody else in the JVM locks: always granted. */
    @Override
    public void flock(int operation) {
    }

    /** Always writable; readable once typed input waits, for which it waits only when nothing else was asked. */
    @Override
    public int poll(int events, int timeoutMillis) {
        int writable = events & POLLOUT;
        boolean readable = (events & POLLIN) != 0 && input.ready(writable != 0 ? 0 : timeoutMillis);
        return writable | (readable ? POLLIN : 0);
    }

    @Override
    public boolean isTerminal() {
        return true;
    }

    @Override
    public void close() {
        // The console stays open for the other descriptors and the JVM.
    }
}
