package dev.jlx.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One descriptor table used by several threads at once, as a guest's threads use it while the run
 * token is given up (openat, fcntl...): each thread must always find its own files at the numbers
 * it was given, and every description must be released exactly once.
 */
class FdTableTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 20_000;

    /** A description that knows its owner and counts its releases. */
    private static final class Owned extends OpenFile {
        final int owner;
        final AtomicInteger releases = new AtomicInteger();

        Owned(int owner) {
            super(0);
            this.owner = owner;
        }

        @Override
        public HostStat stat() {
            return new HostStat(0, owner, 0, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        protected void release() {
            releases.incrementAndGet();
        }
    }

    @Test
    void threadsInstallDupAndCloseWithoutSeeingEachOthersFiles() throws Exception {
        FdTable table = new FdTable();
        AtomicInteger wrong = new AtomicInteger();
        List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < THREADS; id++) {
            int me = id;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    // Each thread owns one high number for dup2, which no lowest-free search reaches.
                    int mine = 200 + me;
                    for (int i = 0; i < ROUNDS; i++) {
                        Owned f = new Owned(me);
                        int fd = table.install(f, 0, false, 1 << 20);
                        int copy = table.dup(fd, 0, (i & 1) != 0, 1 << 20);
                        int high = table.dup(fd, 100, false, 1 << 20);
                        table.dup2(fd, mine, true);
                        check(table, fd, f, false, wrong, firstErrors);
                        check(table, copy, f, (i & 1) != 0, wrong, firstErrors);
                        check(table, high, f, false, wrong, firstErrors);
                        check(table, mine, f, true, wrong, firstErrors);
                        table.setCloseOnExec(fd, true);
                        check(table, fd, f, true, wrong, firstErrors);
                        table.close(copy);
                        table.close(fd);
                        table.close(high);
                        // The end of the calls that looked the descriptors up (fdput).
                        FdTable.releaseHeld();
                        if (f.releases.get() != 0) {
                            fail(wrong, firstErrors, "released while open at " + mine);
                        }
                        if ((i & 7) == 7) {
                            table.close(mine);
                            if (f.releases.get() != 1) {
                                fail(wrong, firstErrors, "released " + f.releases.get() + " times");
                            }
                        }
                    }
                } catch (Exception | AssertionError e) {
                    fail(wrong, firstErrors, e.toString());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), firstErrors.subList(0, Math.min(5, firstErrors.size())));
        assertEquals(0, wrong.get());
        // The last round closes the dup2 targets too: nothing is left open.
        assertEquals(-1, table.highest());
        assertThrows(ErrnoException.class, () -> table.get(0));
    }

    private static void check(FdTable table, int fd, Owned f, boolean cloexec, AtomicInteger wrong,
            List<String> errors) {
        try {
            OpenFile got = table.get(fd);
            if (got != f) {
                fail(wrong, errors, "fd " + fd + " of thread " + f.owner + " holds "
                        + (got instanceof Owned o ? "thread " + o.owner + "'s file" : got));
            } else if (table.closeOnExec(fd) != cloexec) {
                fail(wrong, errors, "fd " + fd + " of thread " + f.owner + " lost its close-on-exec bit");
            }
        } catch (ErrnoException e) {
            fail(wrong, errors, "fd " + fd + " of thread " + f.owner + ": " + e.errno());
        }
    }

    private static void fail(AtomicInteger wrong, List<String> errors, String what) {
        wrong.incrementAndGet();
        errors.add(what);
    }

    /** Linux's fdget: a close by another thread while a call uses the file does not release it under the call. */
    @Test
    void aFileLookedUpByACallOutlivesItsDescriptorUntilTheCallEnds() throws Exception {
        FdTable table = new FdTable();
        Owned f = new Owned(0);
        int fd = table.install(f, 0, false, 1024);
        OpenFile inUse = table.get(fd);
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                table.close(fd);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        });
        closer.join();
        assertEquals(0, f.releases.get(), "released while a call still used it");
        assertThrows(ErrnoException.class, () -> table.get(fd));
        FdTable.releaseHeld();
        assertEquals(1, f.releases.get());
        assertEquals(f, inUse);
    }

    @Test
    void dupOfAClosedDescriptorIsEbadfAndTakesNoReference() throws Exception {
        FdTable table = new FdTable();
        Owned f = new Owned(0);
        int fd = table.install(f, 0, false, 1024);
        table.close(fd);
        ErrnoException e = assertThrows(ErrnoException.class, () -> table.dup(fd, 0, false, 1024));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals(1, f.releases.get());
    }

    @Test
    void closeRangeClosesOrMarksOnlyOpenDescriptors() throws Exception {
        FdTable table = new FdTable();
        Owned f = new Owned(0);
        for (int i = 0; i < 6; i++) {
            table.install(f, 0, false, 1024);
            if (i > 0) {
                f.retain();
            }
        }
        table.close(3);
        table.closeRange(2, 4, true);
        assertEquals(List.of(false, false, true, true), List.of(table.closeOnExec(0), table.closeOnExec(1),
                table.closeOnExec(2), table.closeOnExec(4)));
        table.closeRange(1, Integer.MAX_VALUE, false);
        assertEquals(0, table.highest());
        assertEquals(0, f.releases.get());
        table.close(0);
        assertEquals(1, f.releases.get());
    }

    /** The table grows, and fork sizes a child's, as Linux's alloc_fdtable does: select reads its sets that far. */
    @Test
    void growsInLinuxSteps() throws Exception {
        FdTable table = new FdTable();
        assertEquals(64, table.capacity());
        table.installAt(63, new Owned(0), false);
        assertEquals(64, table.capacity());
        table.installAt(64, new Owned(0), false);
        assertEquals(128, table.capacity());
        table.installAt(300, new Owned(0), false);
        assertEquals(512, table.capacity());
        assertEquals(512, table.copy().capacity());
        table.close(300);
        assertEquals(512, table.capacity());
        assertEquals(128, table.copy().capacity());
        table.close(64);
        assertEquals(64, table.copy().capacity());
    }
}
