package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.util.Arrays;

/**
 * A process's file descriptors, analogous to Linux's {@code struct files_struct}: each slot refers
 * to an {@link OpenFile} and carries its own close-on-exec bit.
 */
public final class FdTable {
    private OpenFile[] files = new OpenFile[64];
    private boolean[] closeOnExec = new boolean[64];
    /** Told of every descriptor about to be closed (record locks are released there). */
    private CloseListener onClose = (f, last) -> { };

    /** Sees each descriptor closed: its open file, and whether this is the description's last reference. */
    @FunctionalInterface
    public interface CloseListener {
        void closing(OpenFile file, boolean lastReference);
    }

    public void onClose(CloseListener listener) {
        this.onClose = listener;
    }

    /** The open file behind {@code fd}; EBADF when none. */
    public OpenFile get(int fd) throws ErrnoException {
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        return files[fd];
    }

    /** Installs {@code file} at the lowest free descriptor >= {@code minFd}, below {@code limit}. */
    public int install(OpenFile file, int minFd, boolean cloexec, long limit) throws ErrnoException {
        int fd = minFd;
        while (fd < files.length && files[fd] != null) {
            fd++;
        }
        if (fd >= limit) {
            throw new ErrnoException(Errno.EMFILE);
        }
        put(fd, file, cloexec);
        return fd;
    }

    /** Puts {@code file} at {@code fd}, closing what was there (dup2 semantics). */
    public void installAt(int fd, OpenFile file, boolean cloexec) throws ErrnoException {
        OpenFile old = fd < files.length ? files[fd] : null;
        put(fd, file, cloexec);
        if (old != null) {
            onClose.closing(old, old.lastReference());
            old.close();
        }
    }

    private void put(int fd, OpenFile file, boolean cloexec) {
        if (fd >= files.length) {
            int size = Math.max(files.length * 2, fd + 1);
            files = Arrays.copyOf(files, size);
            closeOnExec = Arrays.copyOf(closeOnExec, size);
        }
        files[fd] = file;
        closeOnExec[fd] = cloexec;
    }

    public void close(int fd) throws ErrnoException {
        OpenFile f = get(fd);
        files[fd] = null;
        closeOnExec[fd] = false;
        onClose.closing(f, f.lastReference());
        f.close();
    }

    public boolean closeOnExec(int fd) throws ErrnoException {
        get(fd);
        return closeOnExec[fd];
    }

    public void setCloseOnExec(int fd, boolean value) throws ErrnoException {
        get(fd);
        closeOnExec[fd] = value;
    }

    /** The highest open descriptor, or -1. */
    public int highest() {
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
        c.files = files.clone();
        c.closeOnExec = closeOnExec.clone();
        for (OpenFile f : c.files) {
            if (f != null) {
                f.retain();
            }
        }
        return c;
    }

    /** execve: closes the descriptors marked close-on-exec. */
    public void closeOnExec() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null && closeOnExec[fd]) {
                try {
                    close(fd);
                } catch (ErrnoException ignored) {
                    // As at exit: execve has already succeeded and reports nothing about these.
                }
            }
        }
    }

    /** Closes every descriptor (process exit). Errors at this point have nobody to go to. */
    public void closeAll() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                try {
                    close(fd);
                } catch (ErrnoException ignored) {
                    // close(2) at exit has no caller to report to, as in the kernel's exit_files().
                }
            }
        }
    }
}
