package dev.jlx.core.kernel;

import dev.jlx.core.fs.RecordLocks;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.syscall.SyscallDispatcher;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One guest world: the host backend, the file-system view, the pid space and the syscall
 * dispatcher that all its processes share. The embedding API makes one per run.
 *
 * <p>Pids are virtual: pid 1 stands for jlx itself (the parent and reaper of the first process),
 * guest processes get 2, 3, ...
 */
public final class Kernel {
    private static final System.Logger LOG = System.getLogger("dev.jlx");

    private final HostBackend host;
    private final Vfs vfs;
    private final SyscallDispatcher dispatcher;
    private final AtomicInteger nextPid = new AtomicInteger(2);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final RecordLocks recordLocks = new RecordLocks();
    private final Futexes futexes = new Futexes();

    public Kernel(HostBackend host, Vfs vfs, PrintStream trace) {
        this.host = host;
        this.vfs = vfs;
        this.dispatcher = new SyscallDispatcher(this, trace);
    }

    public HostBackend host() {
        return host;
    }

    public Vfs vfs() {
        return vfs;
    }

    public SyscallDispatcher dispatcher() {
        return dispatcher;
    }

    /** The fcntl record locks of every process of this kernel. */
    public Futexes futexes() {
        return futexes;
    }

    public RecordLocks recordLocks() {
        return recordLocks;
    }

    int allocatePid() {
        return nextPid.getAndIncrement();
    }

    /** Logs {@code message} once per kernel for each distinct {@code key} (e.g. an unimplemented syscall). */
    public void warnOnce(String key, String message) {
        if (warned.add(key)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    public static System.Logger log() {
        return LOG;
    }
}
