package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A process's file descriptors, analogous to Linux's {@code struct files_struct}: each slot refers
 * to an {@link OpenFile} and carries its own close-on-exec bit.
 *
 * <p>The table's monitor guards the slots, the close-on-exec bits and the lowest-free hint (Linux's
 * {@code file_lock}); the threads of a process use the table at once, in calls that run without
 * the run token. Nothing is called out of the table while the monitor is held: a closed
 * description's close listener and release run after the slot is emptied, as Linux's
 * {@code filp_close} runs after {@code file_close_fd}.
 */
public final class FdTable {
    /** Linux's NR_OPEN_DEFAULT: a new table's size, also what fork gives a child with no descriptor above it. */
    private static final int INITIAL = 64;
    private OpenFile[] files = new OpenFile[INITIAL];
    private boolean[] closeOnExec = new boolean[INITIAL];
    /** No descriptor below this is free (Linux's {@code next_fd}): where the lowest-free search starts. */
    private int firstFree;
    /** Told of every descriptor about to be closed (record locks are released there). */
    private volatile CloseListener onClose = (f, last) -> { };

    /** Sees each descriptor closed: its open file, and whether this is the description's last reference. */
    @FunctionalInterface
    public interface CloseListener {
        void closing(OpenFile file, boolean lastReference);
    }

    public void onClose(CloseListener listener) {
        this.onClose = listener;
    }

    /**
     * The descriptions the syscall in progress on this Java thread has looked up, each with one
     * reference more until the call ends (Linux's fdget and fdput): another thread's close of the
     * descriptor meanwhile does not release the file under the call.
     */
    private static final ThreadLocal<ArrayList<OpenFile>> HELD = ThreadLocal.withInitial(ArrayList::new);

    /** The open file behind {@code fd}, held until the calling syscall ends ({@link #releaseHeld}); EBADF when none. */
    public OpenFile get(int fd) throws ErrnoException {
        OpenFile f;
        synchronized (this) {
            f = slot(fd);
            f.retain();
        }
        HELD.get().add(f);
        return f;
    }

    /**
     * The open file behind {@code fd} without holding it: for the readiness scans that poll, select
     * and epoll repeat while they wait, which would otherwise keep every file they looked at open
     * until the wait ends (a closed pipe end would never report its hang-up). EBADF when none.
     */
    public synchronized OpenFile peek(int fd) throws ErrnoException {
        return slot(fd);
    }

    /**
     * The descriptor number an io_uring request on a registered file (IOSQE_FIXED_FILE) passes to
     * the syscall code it runs, which finds that file under it ({@link #withFixed}); no real
     * descriptor reaches it (RLIMIT_NOFILE is at most 2^20).
     */
    public static final int FIXED_FD = Integer.MAX_VALUE - 1;
    private static final ThreadLocal<OpenFile> FIXED = new ThreadLocal<>();

    /** Runs {@code call} on this thread with {@code file} behind {@link #FIXED_FD}. */
    public static long withFixed(OpenFile file, java.util.concurrent.Callable<Long> call) throws Exception {
        OpenFile before = FIXED.get();
        FIXED.set(file);
        try {
            return call.call();
        } finally {
            FIXED.set(before);
        }
    }

    /** What {@code fd} refers to, under the table's monitor; EBADF when nothing. */
    private OpenFile slot(int fd) throws ErrnoException {
        if (fd == FIXED_FD && FIXED.get() != null) {
            return FIXED.get();
        }
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        return files[fd];
    }

    /** The end of a syscall: the files it looked up are let go, and one closed meanwhile is released now. */
    public static void releaseHeld() {
        ArrayList<OpenFile> held = HELD.get();
        if (held.isEmpty()) {
            return;
        }
        for (OpenFile f : held) {
            try {
                f.close();
            } catch (ErrnoException e) {
                // Its descriptor is long gone: as an error of close(2) after the descriptor was freed, nobody hears it.
            }
        }
        held.clear();
    }

    /** Installs {@code file} at the lowest free descriptor >= {@code minFd}, below {@code limit}. */
    public synchronized int install(OpenFile file, int minFd, boolean cloexec, long limit) throws ErrnoException {
        int fd = lowestFree(minFd);
        if (fd >= limit) {
            throw new ErrnoException(Errno.EMFILE);
        }
        put(fd, file, cloexec);
        return fd;
    }

    /**
     * dup(2) and fcntl's F_DUPFD: {@code oldfd}'s description, one reference more, at the lowest free
     * descriptor >= {@code minFd}; EBADF, or EMFILE at {@code limit}.
     */
    public synchronized int dup(int oldfd, int minFd, boolean cloexec, long limit) throws ErrnoException {
        OpenFile f = slot(oldfd);
        int fd = install(f, minFd, cloexec, limit);
        f.retain();
        return fd;
    }

    /**
     * dup2(2) and dup3(2): {@code oldfd}'s description, one reference more, at {@code newfd}; what
     * was there is closed (after the table is left, as Linux's do_dup2).
     */
    public void dup2(int oldfd, int newfd, boolean cloexec) throws ErrnoException {
        OpenFile old;
        synchronized (this) {
            OpenFile f = slot(oldfd);
            f.retain();
            old = swap(newfd, f, cloexec);
        }
        if (old != null) {
            closed(old);
        }
    }

    /** Puts {@code file} at {@code fd}, closing what was there (the standard streams of a new process). */
    public void installAt(int fd, OpenFile file, boolean cloexec) throws ErrnoException {
        OpenFile old;
        synchronized (this) {
            old = swap(fd, file, cloexec);
        }
        if (old != null) {
            closed(old);
        }
    }

    private OpenFile swap(int fd, OpenFile file, boolean cloexec) {
        OpenFile old = fd < files.length ? files[fd] : null;
        put(fd, file, cloexec);
        return old;
    }

    private int lowestFree(int minFd) {
        int fd = Math.max(minFd, firstFree);
        while (fd < files.length && files[fd] != null) {
            fd++;
        }
        return fd;
    }

    /**
     * The size Linux's alloc_fdtable gives a table that must hold {@code fd}: a power of two of
     * 128-descriptor units (a kilobyte of pointers), as select's sets are read only that far.
     */
    private static int sizeFor(int fd) {
        int units = Integer.highestOneBit(fd / 128 + 1);
        if (units <= fd / 128) {
            units <<= 1;
        }
        return units * 128;
    }

    private void resize(int size) {
        files = Arrays.copyOf(files, size);
        closeOnExec = Arrays.copyOf(closeOnExec, size);
    }

    private void put(int fd, OpenFile file, boolean cloexec) {
        if (fd >= files.length) {
            resize(sizeFor(fd));
        }
        files[fd] = file;
        closeOnExec[fd] = cloexec;
        if (fd == firstFree) {
            firstFree = lowestFree(fd + 1);
        }
    }

    /** Empties slot {@code fd} and returns what it held, or null when it was free. */
    private OpenFile take(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            return null;
        }
        OpenFile f = files[fd];
        files[fd] = null;
        closeOnExec[fd] = false;
        firstFree = Math.min(firstFree, fd);
        return f;
    }

    public void close(int fd) throws ErrnoException {
        OpenFile f;
        synchronized (this) {
            f = take(fd);
        }
        if (f == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        closed(f);
    }

    /** A description's descriptor is gone from the table: the listener hears of it, then it loses the reference. */
    private void closed(OpenFile f) throws ErrnoException {
        boolean last = f.dropReference();
        try {
            onClose.closing(f, last);
        } finally {
            if (last) {
                f.release();
            }
        }
    }

    public synchronized boolean closeOnExec(int fd) throws ErrnoException {
        slot(fd);
        return closeOnExec[fd];
    }

    public synchronized void setCloseOnExec(int fd, boolean value) throws ErrnoException {
        slot(fd);
        closeOnExec[fd] = value;
    }

    /**
     * close_range(2) from {@code first} to {@code last}: closes the open descriptors, or with
     * {@code cloexec} marks them close-on-exec; free numbers in the range are skipped.
     */
    public void closeRange(int first, int last, boolean cloexec) {
        List<OpenFile> gone = new ArrayList<>();
        synchronized (this) {
            for (int fd = first; fd <= Math.min(last, files.length - 1); fd++) {
                if (cloexec) {
                    closeOnExec[fd] |= files[fd] != null;
                } else {
                    OpenFile f = take(fd);
                    if (f != null) {
                        gone.add(f);
                    }
                }
            }
        }
        closeAll(gone);
    }

    /** How many descriptors the table has room for now (Linux's max_fds): it grows as they are used. */
    public synchronized int capacity() {
        return files.length;
    }

    /** The highest open descriptor, or -1. */
    public synchronized int highest() {
        for (int fd = files.length - 1; fd >= 0; fd--) {
            if (files[fd] != null) {
                return fd;
            }
        }
        return -1;
    }

    /**
     * fork's copy: the same open file descriptions (each one more reference) at the same numbers,
     * with the same close-on-exec bits; the close listener is the new process's to set.
     */
    public synchronized FdTable copy() {
        FdTable c = new FdTable();
        int open = highest() + 1;
        c.resize(open <= INITIAL ? INITIAL : sizeFor(open - 1));
        System.arraycopy(files, 0, c.files, 0, open);
        System.arraycopy(closeOnExec, 0, c.closeOnExec, 0, open);
        c.firstFree = firstFree;
        for (OpenFile f : c.files) {
            if (f != null) {
                f.retain();
            }
        }
        return c;
    }

    /** execve: closes the descriptors marked close-on-exec. */
    public void closeOnExec() {
        List<OpenFile> gone = new ArrayList<>();
        synchronized (this) {
            for (int fd = 0; fd < files.length; fd++) {
                if (files[fd] != null && closeOnExec[fd]) {
                    gone.add(take(fd));
                }
            }
        }
        closeAll(gone);
    }

    /** Closes every descriptor (process exit). */
    public void closeAll() {
        closeRange(0, Integer.MAX_VALUE, false);
    }

    private void closeAll(List<OpenFile> gone) {
        for (OpenFile f : gone) {
            try {
                closed(f);
            } catch (ErrnoException ignored) {
                // As at exit (the kernel's exit_files) and after execve's point of no return, close(2)
                // errors here have no caller to go to.
            }
        }
    }
}
