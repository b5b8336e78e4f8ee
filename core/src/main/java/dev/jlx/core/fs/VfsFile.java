package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.Poll;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An open file of a mounted file system (or a host standard stream), analogous to Linux's
 * {@code struct file} over its {@code file_operations}: the description's flags and references
 * here, the operations its file system gave ({@link FileOps}), whose file keeps the offset that
 * dup'd descriptors share.
 */
public final class VfsFile extends OpenFile {
    private final FileOps file;
    /** The path it was opened by (for *at calls and directory listings), or null for a standard stream. */
    private final Vfs.Resolved path;
    /**
     * getdents state: the listing taken at the first read after opening or rewinding, and the next
     * entry; guarded by the description's monitor.
     */
    private List<HostDirEntry> listing;
    private int nextEntry;

    /** A fanotify event's descriptor (FMODE_NONOTIFY): its use makes no events. */
    private boolean quiet;

    public VfsFile(FileOps file, int statusFlags, Vfs.Resolved path) {
        super(statusFlags);
        this.file = file;
        this.path = path;
    }

    /** What the file system does for this file: reads, writes, and its extended attributes (f*xattr). */
    public FileOps ops() {
        return file;
    }

    public ByteString guestPath() {
        return path == null ? null : path.guestPath();
    }

    boolean quiet() {
        return quiet;
    }

    /** A description of the same file for a fanotify event, which makes no events itself. */
    static VfsFile quiet(FileOps file, int statusFlags, Vfs.Resolved path) {
        VfsFile f = new VfsFile(file, statusFlags, path);
        f.quiet = true;
        return f;
    }

    /** The file system it was opened on, and its path there (for inotify's events). */
    Vfs.Resolved resolved() {
        return path;
    }

    FileSystem fileSystem() {
        return path.fs();
    }

    ByteString fsPath() {
        return path.path();
    }

    /** An inotify event on this file, when the call moved data (a count above 0), as fsnotify_access and fsnotify_modify. */
    private int notified(int count, int event) {
        if (count > 0) {
            Fsnotify.file(this, event);
        }
        return count;
    }

    /**
     * The file's type (S_IFMT bits), 0 until known: a file's type never changes, so it is taken from
     * the first stat, the guest's own fstat or the one asked here, and the host is not asked again.
     */
    private volatile int type;

    private int type() throws ErrnoException {
        int t = type;
        return t != 0 ? t : stat().mode() & FileMode.S_IFMT;
    }

    @Override
    public boolean isPipe() throws ErrnoException {
        return type() == FileMode.S_IFIFO;
    }

    private boolean isDirectory() throws ErrnoException {
        return path != null && type() == FileMode.S_IFDIR;
    }

    /**
     * The directory's entries, "." and ".." first, then the host's readdir order. Entry i's
     * getdents cookie (d_off) is i + 1, so telldir/seekdir positions stay valid for this listing.
     */
    public synchronized List<HostDirEntry> directoryEntries(Vfs vfs) throws ErrnoException {
        if (!isDirectory()) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        if (listing == null) {
            List<HostDirEntry> entries = new ArrayList<>();
            entries.add(new HostDirEntry(new byte[] {'.'}, file.stat().ino(), FileMode.S_IFDIR));
            Vfs.Resolved up = vfs.resolve(path.guestPath(), ByteString.DOT_DOT, true);
            long parentIno = up.fs().stat(up.path(), true).ino();
            entries.add(new HostDirEntry(new byte[] {'.', '.'}, parentIno, FileMode.S_IFDIR));
            List<HostDirEntry> below = path.fs().list(path.path());
            entries.addAll(below);
            for (ByteString name : vfs.mountPointsIn(path.guestPath())) {
                byte[] bytes = name.toByteArray();
                if (below.stream().noneMatch(e -> java.util.Arrays.equals(e.name(), bytes))) {
                    Vfs.Resolved mounted = vfs.resolve(path.guestPath(), name, false);
                    entries.add(new HostDirEntry(bytes, mounted.fs().stat(mounted.path(), false).ino(),
                            FileMode.S_IFDIR));
                }
            }
            listing = entries;
        }
        return listing;
    }

    public synchronized int nextEntry() {
        return nextEntry;
    }

    public synchronized void setNextEntry(int index) {
        nextEntry = index;
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        dev.jlx.core.tty.TerminalFront front = terminalFront();
        if (front != null) {
            return front.read(dev.jlx.core.kernel.Kernel.caller(), dst, nonblocking());
        }
        if (hostTerminalAccess() != null) {
            // A background group's read of jlx's terminal: SIGTTIN, as n_tty_read's job control.
            dev.jlx.core.kernel.GuestThread t = dev.jlx.core.kernel.Kernel.caller();
            if (t != null) {
                t.process().kernel().hostTerminal().checkForeground(t, dev.jlx.abi.Signals.SIGTTIN);
            }
        }
        awaitReady(Poll.POLLIN);
        return notified(file.read(dst), dev.jlx.abi.Inotify.IN_ACCESS);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        dev.jlx.core.tty.TerminalFront front = terminalFront();
        if (front != null) {
            return front.write(dev.jlx.core.kernel.Kernel.caller(), src, nonblocking());
        }
        awaitReady(Poll.POLLOUT);
        return notified(file.write(src), dev.jlx.abi.Inotify.IN_MODIFY);
    }


    @Override
    public boolean pollable() throws ErrnoException {
        return mayWait();
    }

    @Override
    public Readiness readiness() {
        try {
            dev.jlx.core.tty.TerminalFront front = terminalFront();
            if (front != null) {
                return front.readiness();
            }
            return mayWait() ? file.readiness() : Readiness.FIXED;
        } catch (ErrnoException e) {
            return Readiness.UNSEEN; // a file jlx cannot even stat: only looking again tells
        }
    }

    /** Whether a read or write may wait (a terminal, pipe or socket). */
    private boolean mayWait() throws ErrnoException {
        int t = type();
        return t == FileMode.S_IFIFO || t == FileMode.S_IFCHR || t == FileMode.S_IFSOCK;
    }

    /**
     * Waits, in host polls of 100 ms, until a blocking read or write would not wait, so that a
     * signal for the guest (an interrupt of this Java thread) can end the wait with EINTR: a host
     * read(2) itself cannot be interrupted from Java, and Ctrl-C must reach `cat` reading a terminal.
     */
    private boolean nonblocking() {
        return (statusFlags() & dev.jlx.abi.OpenFlags.O_NONBLOCK) != 0;
    }

    private void awaitReady(int event) throws ErrnoException {
        if (nonblocking()) {
            return;
        }
        if (!mayWait()) {
            return;
        }
        while ((file.poll(event, 100) & (event | Poll.POLLERR | Poll.POLLHUP | Poll.POLLNVAL)) == 0) {
            if (Thread.currentThread().isInterrupted()) {
                dev.jlx.core.kernel.GuestThread t = dev.jlx.core.kernel.Kernel.caller();
                if (t == null || t.ending() || t.signalPending()) {
                    throw new ErrnoException(Errno.EINTR);
                }
                Thread.interrupted(); // a wake-up with nothing to act on any more
            }
        }
    }

    /** The file's answer, the normal-data bits asked as POLLIN and POLLOUT. */
    @Override
    public int poll(int events) {
        try {
            dev.jlx.core.tty.TerminalFront front = terminalFront();
            if (front != null) {
                return front.poll(events);
            }
        } catch (ErrnoException e) {
            return Poll.POLLERR;
        }
        int asked = ((events & (Poll.POLLIN | Poll.POLLRDNORM)) != 0 ? Poll.POLLIN : 0)
                | ((events & (Poll.POLLOUT | Poll.POLLWRNORM)) != 0 ? Poll.POLLOUT : 0)
                | (events & Poll.POLLPRI);
        int ready;
        try {
            ready = file.poll(asked, 0);
        } catch (ErrnoException e) {
            return Poll.POLLERR;
        }
        int revents = ready & (Poll.POLLPRI | Poll.POLLERR | Poll.POLLHUP | Poll.POLLNVAL);
        if ((ready & Poll.POLLIN) != 0) {
            revents |= events & (Poll.POLLIN | Poll.POLLRDNORM);
        }
        if ((ready & Poll.POLLOUT) != 0) {
            revents |= events & (Poll.POLLOUT | Poll.POLLWRNORM);
        }
        return revents;
    }

    @Override
    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        return notified(file.pread(dst, offset), dev.jlx.abi.Inotify.IN_ACCESS);
    }

    @Override
    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        return notified(file.pwrite(src, offset), dev.jlx.abi.Inotify.IN_MODIFY);
    }

    /** On a directory the offset is a getdents cookie; seeking to 0 rereads the directory (rewinddir). */
    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        if (!isDirectory()) {
            return file.seek(offset, whence);
        }
        synchronized (this) {
            return seekDirectory(offset, whence);
        }
    }

    private long seekDirectory(long offset, int whence) throws ErrnoException {
        long target = switch (whence) {
            case Fcntl.SEEK_SET -> offset;
            case Fcntl.SEEK_CUR -> nextEntry + offset;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        if (target < 0 || target > Integer.MAX_VALUE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (target == 0) {
            listing = null;
        }
        nextEntry = (int) target;
        return target;
    }

    @Override
    public HostStat stat() throws ErrnoException {
        HostStat st = file.stat();
        type = st.mode() & FileMode.S_IFMT;
        return st;
    }

    @Override
    public void truncate(long length) throws ErrnoException {
        if (!writable()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        file.truncate(length);
        Fsnotify.file(this, dev.jlx.abi.Inotify.IN_MODIFY);
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        dev.jlx.core.tty.TerminalFront front = terminalFront();
        return front != null ? front.bytesReadable() : file.bytesReadable();
    }

    @Override
    public long pollGeneration(boolean input) {
        try {
            dev.jlx.core.tty.TerminalFront front = terminalFront();
            return front != null ? front.pollGeneration(input) : super.pollGeneration(input);
        } catch (ErrnoException e) {
            return super.pollGeneration(input);
        }
    }

    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        if (!writable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        onWritableMount();
        int type = file.stat().mode() & FileMode.S_IFMT;
        if (type == FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (type != FileMode.S_IFREG) {
            super.allocate(mode, offset, length);
        }
        file.allocate(mode, offset, length);
        Fsnotify.file(this, dev.jlx.abi.Inotify.IN_MODIFY);
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        file.sync(dataOnly);
    }

    @Override
    public dev.jlx.core.host.HostStatfs statfs() throws ErrnoException {
        return file.statfs();
    }

    @Override
    public void flock(int operation) throws ErrnoException {
        file.flock(operation);
    }

    @Override
    public void chmod(int mode) throws ErrnoException {
        onWritableMount();
        file.chmod(mode);
        Fsnotify.file(this, dev.jlx.abi.Inotify.IN_ATTRIB);
    }

    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        onWritableMount();
        file.chown(uid, gid);
        if (uid != -1 || gid != -1) {
            Fsnotify.file(this, dev.jlx.abi.Inotify.IN_ATTRIB);
        }
    }

    @Override
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        onWritableMount();
        file.utimens(atimeSec, atimeNsec, mtimeSec, mtimeNsec);
        int event = Fsnotify.timesEvent(atimeNsec, mtimeNsec);
        if (event != 0) {
            Fsnotify.file(this, event);
        }
    }

    @Override
    public RecordLocks.FileKey lockKey() throws ErrnoException {
        if (path == null) {
            return null;
        }
        HostStat st = file.stat();
        return new RecordLocks.FileKey(path.fs(), st.dev(), st.ino());
    }

    /** The mount the file was opened on; null for a file without a path. */
    public Mount mount() {
        return path == null ? null : path.mount();
    }

    /** Whether the file lies on a read-only mount (statfs reports ST_RDONLY). */
    public boolean onReadOnlyMount() {
        return path != null && path.mount().refusesWrites();
    }

    private void onWritableMount() throws ErrnoException {
        if (path != null) {
            path.writable();
        }
    }

    /** The host's answers for this file when it is a host terminal, else null; asked of the host once. */
    private dev.jlx.core.tty.HostTerminal.Access hostTerminal;
    /** The host terminal's device number (rdev), when it is one. */
    private long hostTerminalDevice;
    private volatile boolean hostTerminalKnown;

    public dev.jlx.core.tty.HostTerminal.Access hostTerminalAccess() throws ErrnoException {
        if (!hostTerminalKnown) {
            dev.jlx.core.tty.HostTerminal.Access a = null;
            if (mayWait()) {
                try {
                    a = file.hostTerminal();
                    hostTerminalDevice = file.stat().rdev();
                } catch (ErrnoException notATerminal) {
                    // Not a terminal.
                    a = null;
                }
            }
            hostTerminal = a;
            hostTerminalKnown = true;
        }
        return hostTerminal;
    }

    /**
     * The front of the caller's kernel's terminal when this file is that host terminal (its device,
     * or the host's /dev/tty, which opens jlx's controlling terminal), else null: its reads, writes
     * and polls are then the front pty's.
     */
    public dev.jlx.core.tty.TerminalFront terminalFront() throws ErrnoException {
        if (hostTerminalAccess() == null) {
            return null;
        }
        dev.jlx.core.kernel.GuestThread t = dev.jlx.core.kernel.Kernel.caller();
        if (t == null) {
            return null;
        }
        return t.process().kernel().hostTerminal().frontOf(hostTerminalDevice);
    }

    /** A host terminal is jlx's own terminal (the caller's kernel's). */
    @Override
    public dev.jlx.core.tty.Terminal terminal() throws ErrnoException {
        dev.jlx.core.kernel.GuestThread t = dev.jlx.core.kernel.Kernel.caller();
        if (t == null || hostTerminalAccess() == null) {
            throw new ErrnoException(Errno.ENOTTY);
        }
        return t.process().kernel().hostTerminal();
    }

    @Override
    protected void release() throws ErrnoException {
        // fsnotify_close, before the file goes (an unlinked file's last close is its deletion).
        Fsnotify.closing(this);
        file.close();
    }
}
