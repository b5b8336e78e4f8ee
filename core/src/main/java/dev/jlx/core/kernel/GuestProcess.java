package dev.jlx.core.kernel;

import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.RecordLocks;
import dev.jlx.core.mem.AddressSpace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A guest process, analogous to Linux's thread group: the address space, file descriptors,
 * working directory, signal dispositions, limits and credentials its threads share.
 */
public final class GuestProcess {
    private final Kernel kernel;
    private final int pid;
    private final int ppid;
    private final FdTable fds = new FdTable();
    private final SignalActions signalActions = new SignalActions();
    private final Rlimits rlimits = new Rlimits();
    private final List<GuestThread> threads = new CopyOnWriteArrayList<>();
    private final Credentials credentials;
    private AddressSpace space;
    private String cwd;
    private int umask = 022;
    private byte[] comm = new byte[0];
    /** Signals sent to the process that are blocked or have a handler jlx cannot run yet. */
    private long pendingSignals;
    private volatile ExitStatus exitStatus;
    /** prctl(2) settings that have no other effect in jlx yet but must read back as set. */
    private final java.util.Map<Integer, Long> prctlSettings = new java.util.concurrent.ConcurrentHashMap<>();
    /** When the process was created, in {@link System#nanoTime()} terms (the start time /proc shows). */
    private final long startNanos = System.nanoTime();
    /** The Java thread running each guest thread, whose CPU time is the guest thread's. */
    private final java.util.Map<GuestThread, Thread> runners = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ExecImage image;

    GuestProcess(Kernel kernel, int ppid, String cwd, Credentials credentials) {
        this.kernel = kernel;
        this.pid = kernel.allocatePid();
        this.ppid = ppid;
        this.cwd = cwd;
        this.credentials = credentials;
        fds.onClose(this::releaseLocks);
    }

    /**
     * close(2) drops the process's POSIX record locks on the file (any descriptor of it, as Linux),
     * and the last close of an open file description drops its OFD locks.
     */
    private void releaseLocks(OpenFile file, boolean lastReference) {
        RecordLocks locks = kernel.recordLocks();
        if (locks.isEmpty()) {
            return;
        }
        try {
            RecordLocks.FileKey key = file.lockKey();
            if (key != null) {
                locks.release(key, this);
            }
        } catch (ErrnoException unlockable) {
            // A file whose identity cannot be read cannot hold locks either.
        }
        if (lastReference) {
            locks.releaseAll(file);
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    public int pid() {
        return pid;
    }

    public int ppid() {
        return ppid;
    }

    public FdTable fds() {
        return fds;
    }

    public SignalActions signalActions() {
        return signalActions;
    }

    public Rlimits rlimits() {
        return rlimits;
    }

    public Credentials credentials() {
        return credentials;
    }

    public AddressSpace space() {
        return space;
    }

    void setSpace(AddressSpace space) {
        this.space = space;
    }

    public String cwd() {
        return cwd;
    }

    public void setCwd(String cwd) {
        this.cwd = cwd;
    }

    public int umask() {
        return umask;
    }

    public void setUmask(int umask) {
        this.umask = umask;
    }

    /** The command name (comm): the executable's base name, at most 15 bytes. */
    public byte[] comm() {
        return comm.clone();
    }

    public void setComm(byte[] name) {
        this.comm = java.util.Arrays.copyOf(name, Math.min(name.length, 15));
    }

    public long pendingSignals() {
        return pendingSignals;
    }

    public void addPending(int sig) {
        pendingSignals |= 1L << (sig - 1);
    }

    /** A prctl setting by its PR_GET_* option, with Linux's default when never set. */
    public long prctlSetting(int getOption, long defaultValue) {
        return prctlSettings.getOrDefault(getOption, defaultValue);
    }

    public void setPrctlSetting(int getOption, long value) {
        prctlSettings.put(getOption, value);
    }

    List<GuestThread> threads() {
        return threads;
    }

    /** The threads now, main thread first. */
    public List<GuestThread> threadSnapshot() {
        return List.copyOf(threads);
    }

    public long startNanos() {
        return startNanos;
    }

    /** Runs on the Java thread that is about to run {@code thread}, and keeps it until the thread ends. */
    void enter(GuestThread thread) {
        runners.put(thread, Thread.currentThread());
        Kernel.setCaller(thread);
    }

    /** {@code thread} has ended on the calling Java thread. */
    void leave(GuestThread thread) {
        runners.remove(thread);
        Kernel.setCaller(null);
    }

    /** The id of the Java thread running {@code thread} (for its CPU time), or -1 when it is not running. */
    public long javaThreadId(GuestThread thread) {
        Thread runner = runners.get(thread);
        return runner == null ? -1 : runner.threadId();
    }

    /** What execve set up, or null before the image is loaded. */
    public ExecImage image() {
        return image;
    }

    void setImage(ExecImage image) {
        this.image = image;
    }

    /** How the process ended, or null while it runs. */
    public ExitStatus exitStatus() {
        return exitStatus;
    }

    public boolean exiting() {
        return exitStatus != null;
    }

    /**
     * Ends the process (exit_group, a fatal signal, a time limit): the first status given wins,
     * and every thread is stopped at once.
     */
    public void exit(ExitStatus status) {
        synchronized (this) {
            if (exitStatus != null) {
                return;
            }
            exitStatus = status;
        }
        for (GuestThread t : threads) {
            t.engine().stop();
        }
    }

    /** Real and effective user and group ids, and the supplementary groups. */
    public record Credentials(int uid, int gid, int euid, int egid, int[] groups) {}

    /**
     * What execve left in Linux's {@code mm_struct} for /proc: the executable's guest path, the
     * code and data ends of its ELF image, the program break's start, the initial stack pointer,
     * the argument and environment strings' ranges on the stack, and the auxiliary vector as written.
     */
    public record ExecImage(String exe, long startCode, long endCode, long startData, long endData, long startBrk,
            long startStack, long argStart, long argEnd, long envStart, long envEnd, byte[] auxv) {}
}
