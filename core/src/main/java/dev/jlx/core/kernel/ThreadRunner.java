package dev.jlx.core.kernel;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java threads that run a process's guest threads, and a thread's end (as gVisor's
 * task_exit.go): each guest thread runs on a Java platform thread of its own, whose CPU time is the
 * guest thread's; an ended thread gives back its engine and wakes its joiner, and the last one ends
 * the process. The map of runners is concurrent; the ended threads' CPU time and the thread list
 * change together under the process's monitor.
 */
final class ThreadRunner {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final GuestProcess process;
    /** The Java thread running each guest thread, whose CPU time is the guest thread's. */
    private final Map<GuestThread, Thread> runners = new ConcurrentHashMap<>();
    /**
     * CPU time of the threads that have ended: replaced under the process's monitor, read without it,
     * since the CPU-time clocks are read under the locks of timers that the monitor comes before.
     */
    private volatile CpuTime ended = new CpuTime(0, 0);

    ThreadRunner(GuestProcess process) {
        this.process = process;
    }

    /** Starts a forked child's main thread, at {@code rip}, on a Java platform thread of its own. */
    void startProcess(GuestThread main, long rip) {
        int pid = process.pid();
        Thread.ofPlatform().daemon(true).name("jlx-pid-" + pid).start(() -> {
            try {
                new Exec.Started(process, main, rip).run();
            } catch (RuntimeException | Error e) {
                Kernel.log().log(System.Logger.Level.ERROR, "pid " + pid + " failed inside jlx", e);
            }
        });
    }

    /** Runs a new thread of the process, at {@code rip}, on a Java platform thread of its own. */
    void startThread(GuestThread thread, long rip) {
        Thread.ofPlatform().daemon(true).name("jlx-tid-" + thread.tid()).start(() -> {
            try {
                run(thread, rip);
            } catch (RuntimeException | Error e) {
                Kernel.log().log(System.Logger.Level.ERROR, "tid " + thread.tid() + " failed inside jlx", e);
            }
        });
    }

    /** Runs {@code thread} on the calling Java thread until it or the process ends. */
    void run(GuestThread thread, long rip) {
        runners.put(thread, Thread.currentThread());
        Kernel.setCaller(thread);
        try {
            thread.run(rip);
        } catch (RuntimeException | Error e) {
            process.failedInsideJlx(thread, e);
        } finally {
            long cpu = Math.max(0, CPU.getCurrentThreadCpuTime());
            long user = Math.min(cpu, Math.max(0, CPU.getCurrentThreadUserTime()));
            runners.remove(thread);
            try {
                // Still the caller while its process's memory goes: a System V segment's last user is its pid.
                ended(thread, user, cpu - user);
            } finally {
                Kernel.setCaller(null);
            }
        }
    }

    /** The id of the Java thread running {@code thread} (for its CPU time), or -1 when it is not running. */
    long javaThreadId(GuestThread thread) {
        Thread runner = runners.get(thread);
        return runner == null ? -1 : runner.threadId();
    }

    CpuTime endedThreadsTime() {
        return ended;
    }

    /** Wakes {@code thread} from a wait in Java (a blocking call), if it is running. */
    void interrupt(GuestThread thread) {
        Thread runner = runners.get(thread);
        if (runner != null) {
            runner.interrupt();
        }
    }

    /** Wakes every thread but the caller's from a wait in Java: the process is ending. */
    void interruptOthers() {
        for (Thread runner : runners.values()) {
            if (runner != Thread.currentThread()) {
                runner.interrupt();
            }
        }
    }

    /** execve's de_thread: every thread but {@code keep} ends; returns when they have. */
    void endOthers(GuestThread keep) {
        while (true) {
            boolean others = false;
            for (GuestThread t : process.threads()) {
                if (t != keep) {
                    others = true;
                    t.exitThread();
                    interrupt(t);
                }
            }
            if (!others) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A thread has ended: CLONE_CHILD_CLEARTID's word is cleared and a waiter woken (pthread_join),
     * its engine goes back; the last thread ends the process (descriptors, locks, memory, zombie).
     */
    private void ended(GuestThread thread, long user, long system) {
        CoreDump core = process.core();
        if (core != null) {
            core.stopped(thread, user, system);
        }
        // mm_release's order: the robust futexes are let go before the tid word is cleared.
        RobustList.release(thread);
        boolean last;
        synchronized (process) {
            process.threads().remove(thread);
            ended = new CpuTime(ended.userNanos() + user, ended.systemNanos() + system);
            last = process.threads().isEmpty();
        }
        // exit_pi_state_list, once the thread is gone: a PI locker then finds the owner dead (ESRCH)
        // or is queued already and gets the lock here.
        process.kernel().futexes().ownerExited(thread.tid());
        if (!last) {
            if (thread.tracee() != null && thread != process.mainThread()) {
                // A traced thread's end is its tracer's to see (the leader's waits for the process's end).
                ExitStatus s = process.exitStatus();
                process.kernel().ptrace().exited(thread, s == null ? 0 : Ptrace.waitStatus(s));
            }
            process.reparentChildrenOf(thread);
            long tidAddress = thread.clearChildTid();
            if (tidAddress != 0) {
                try {
                    process.space().memory().writeInt(tidAddress, 0);
                    // Linux wakes a shared futex here: a word in shared memory wakes another process's waiter.
                    process.kernel().futexes().wake(process.space().futexKey(tidAddress, true), 1, -1);
                } catch (ErrnoException gone) {
                    // The word was unmapped: there is nobody to tell, as on Linux.
                }
            }
            process.space().detach(thread.engine());
            thread.engine().release();
            return;
        }
        if (process.exitStatus() == null) {
            process.exit(ExitStatus.exited(0));
        }
        if (core != null && core.write(process)) {
            process.coreDumped();
        }
        // acct_process: after the core, before the files close and the parent can see the end.
        process.kernel().accounting().ended(process, process.exitStatus(), ended.userNanos(), ended.systemNanos(),
                process.space().mappedBytes());
        process.fds().closeAll();
        process.kernel().recordLocks().releaseAll(process);
        if (process.sharesParentMemory()) {
            process.space().detach(thread.engine());
        } else {
            process.space().destroy();
        }
        thread.engine().release();
        process.becomeZombie(ended.userNanos(), ended.systemNanos());
    }
}
