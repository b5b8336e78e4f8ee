package dev.jlx.core.net;

import dev.jlx.abi.Errno;
import dev.jlx.core.fs.Readiness;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket whose state lives in the JVM under its domain's one lock (AF_UNIX's {@link UnixDomain},
 * AF_NETLINK's {@link NetlinkDomain}): the pending error (sk_err), the counts of changes that
 * {@link #pollGeneration} reports, the condition its blocked calls wait on and the queue where
 * poll, select and epoll wait. The fields marked so are guarded by the lock.
 */
abstract class JvmSocket extends SocketFile {
    private final ReentrantLock lock;
    /** What this socket's blocked calls wait on (the lock held). */
    final Condition wake;
    /** Where poll, select and epoll wait for this socket. */
    private final Readiness readiness = new Readiness(this::changesUnseen);

    // Under lock.
    /** The pending error (sk_err): SO_ERROR takes it. */
    int error;
    /** See {@link dev.jlx.core.fs.OpenFile#pollGeneration}. */
    long inputChanges;
    long outputChanges;

    JvmSocket(ReentrantLock lock, int family, int type, int protocol, int statusFlags, int uid, int gid) {
        super(family, type, protocol, statusFlags, uid, gid);
        this.lock = lock;
        this.wake = lock.newCondition();
    }

    /** The one place a change is told (the lock held): waiters wake, and edge-triggered epoll sees a new edge. */
    final void changed(boolean input, boolean output) {
        if (input) {
            inputChanges++;
        }
        if (output) {
            outputChanges++;
        }
        wake.signalAll();
        readiness.wake(input == output ? Readiness.ALL : input ? Readiness.INPUT : Readiness.OUTPUT);
    }

    /** Whether some changes of the socket are not told (a host's socket behind it that the host does not watch). */
    boolean changesUnseen() {
        return false;
    }

    @Override
    public final Readiness readiness() {
        return readiness;
    }

    @Override
    public final long pollGeneration(boolean input) {
        lock.lock();
        try {
            return generation(input);
        } finally {
            lock.unlock();
        }
    }

    /** The count of changes on one side (the lock held): by default this socket's own. */
    long generation(boolean input) {
        return input ? inputChanges : outputChanges;
    }

    @Override
    public final void keepError(Errno e) {
        lock.lock();
        try {
            error = e.number();
            changed(true, true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final int takeError() {
        lock.lock();
        try {
            return takeErrorLocked();
        } finally {
            lock.unlock();
        }
    }

    /** sock_error: the pending error, cleared (the lock held). */
    final int takeErrorLocked() {
        int e = error;
        error = 0;
        return e;
    }
}
