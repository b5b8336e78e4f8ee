package dev.jlx.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * poll's wait ({@link Readiness#await}) on jlx files: it sleeps until a file it looks at changes
 * (and only then looks again), and ends at its timeout or on a signal.
 */
class ReadinessTest {
    private static final int IN = Poll.POLLIN | Poll.POLLERR | Poll.POLLHUP;

    /** A wait in its own thread; {@code looks} counts how often it looked at its files. */
    private static final class Wait {
        final AtomicInteger looks = new AtomicInteger();
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        final Thread thread;

        Wait(long timeoutNanos, AtomicBoolean interrupted, Readiness.Scan scan) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                try {
                    result.complete(Readiness.await(timeoutNanos, interrupted::get, w -> {
                        looks.incrementAndGet();
                        return scan.scan(w);
                    }));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        }

        Wait(Readiness.Scan scan) {
            this(-1, new AtomicBoolean(), scan);
        }

        /** Waits until the thread sleeps in its wait, and checks it has not ended. */
        Wait parked() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
                assertTrue(System.nanoTime() < deadline, "the wait never slept");
                Thread.sleep(1);
            }
            assertFalse(result.isDone());
            return this;
        }

        int get() throws Exception {
            return result.get(10, TimeUnit.SECONDS);
        }
    }

    /** poll of one file for {@code events}: 1 when any (or an error or hang-up) is ready. */
    private static Readiness.Scan poll(OpenFile file, int events) {
        return w -> {
            w.watch(file, events | Poll.POLLERR | Poll.POLLHUP);
            return file.poll(events | Poll.POLLERR | Poll.POLLHUP) != 0 ? 1 : 0;
        };
    }

    private static void write(OpenFile f, int bytes) throws ErrnoException {
        assertEquals(bytes, f.write(MemorySegment.ofArray(new byte[bytes])));
    }

    private static PipeEnd[] pipe() {
        return PipeEnd.create(0, 0, OpenFlags.O_NONBLOCK);
    }

    @Test
    void aWriteWakesAReaderThatLooksOnlyWhenWoken() throws Exception {
        PipeEnd[] p = pipe();
        Wait wait = new Wait(poll(p[0], Poll.POLLIN)).parked();
        Thread.sleep(200);
        // One look, one more once registered, then asleep: no looking every few milliseconds.
        assertEquals(2, wait.looks.get());
        write(p[1], 1);
        assertEquals(1, wait.get());
        assertEquals(Poll.POLLIN, p[0].poll(Poll.POLLIN));
    }

    @Test
    void aReadWakesAWriterOfAFullPipe() throws Exception {
        PipeEnd[] p = pipe();
        write(p[1], Pipe.DEFAULT_SIZE);
        Wait wait = new Wait(poll(p[1], Poll.POLLOUT)).parked();
        p[0].read(MemorySegment.ofArray(new byte[Pipe.PIPE_BUF]));
        assertEquals(1, wait.get());
    }

    @Test
    void closingTheWriterWakesTheReaderWithAHangUp() throws Exception {
        PipeEnd[] p = pipe();
        Wait wait = new Wait(poll(p[0], Poll.POLLIN)).parked();
        p[1].close();
        assertEquals(1, wait.get());
        assertEquals(Poll.POLLHUP, p[0].poll(Poll.POLLIN | Poll.POLLHUP));
    }

    @Test
    void aWakeForInputLeavesAWaitForRoomAsleep() throws Exception {
        PipeEnd[] p = pipe();
        write(p[1], Pipe.DEFAULT_SIZE);
        Wait wait = new Wait(poll(p[1], Poll.POLLOUT)).parked();
        // A reader's change (data in) does not wake a wait for room.
        p[0].readiness().wake(Readiness.INPUT);
        Thread.sleep(100);
        assertEquals(2, wait.looks.get());
        p[0].read(MemorySegment.ofArray(new byte[Pipe.DEFAULT_SIZE]));
        assertEquals(1, wait.get());
    }

    @Test
    void aFifoReaderOpenedBeforeAnyWriterSeesNoHangUpUntilOneCameAndWent() throws Exception {
        HostStat stat = new HostStat(0, 1, dev.jlx.abi.FileMode.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0,
                0);
        FileSystem.FifoNode fifo = new FileSystem.FifoNode(new Pipe(0, 0), () -> stat);
        OpenFile reader = PipeEnd.openFifo(fifo, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK);
        assertEquals(0, reader.poll(Poll.POLLIN | Poll.POLLHUP));
        Wait wait = new Wait(poll(reader, Poll.POLLIN)).parked();
        OpenFile writer = PipeEnd.openFifo(fifo, OpenFlags.O_WRONLY);
        write(writer, 1);
        assertEquals(1, wait.get());
        reader.read(MemorySegment.ofArray(new byte[1]));
        wait = new Wait(poll(reader, Poll.POLLIN)).parked();
        writer.close();
        assertEquals(1, wait.get());
        assertEquals(Poll.POLLHUP, reader.poll(Poll.POLLIN | Poll.POLLHUP));
    }

    @Test
    void aWriteEndWithoutReadersIsWritableAndInError() throws Exception {
        PipeEnd[] p = pipe();
        p[0].close();
        assertEquals(Poll.POLLOUT | Poll.POLLERR, p[1].poll(Poll.POLLOUT));
    }

    @Test
    void anEventfdWriteWakesItsReader() throws Exception {
        EventFd e = new EventFd(0, false, OpenFlags.O_NONBLOCK, 0, 0);
        Wait wait = new Wait(poll(e, Poll.POLLIN)).parked();
        MemorySegment one = MemorySegment.ofArray(new long[] {1});
        assertEquals(8, e.write(one));
        assertEquals(1, wait.get());
    }

    @Test
    void anEpollInsidePollIsReadableWhenAWatchedPipeIs() throws Exception {
        PipeEnd[] p = pipe();
        FdTable fds = new FdTable();
        int fd = fds.install(p[0], 0, false, 1024);
        EpollFile epoll = new EpollFile(OpenFlags.O_RDWR, 0, 0);
        epoll.control(true, fd, p[0], EpollFile.EPOLLIN, 7);
        Wait wait = new Wait(poll(epoll, Poll.POLLIN)).parked();
        write(p[1], 1);
        assertEquals(1, wait.get());
        assertEquals(List.of(new EpollFile.Ready(EpollFile.EPOLLIN, 7)), epoll.collect(fds, 10));
    }

    @Test
    void anEpollInsideAnEpollPassesTheWakeUpOn() throws Exception {
        PipeEnd[] p = pipe();
        FdTable fds = new FdTable();
        EpollFile inner = new EpollFile(OpenFlags.O_RDWR, 0, 0);
        EpollFile outer = new EpollFile(OpenFlags.O_RDWR, 0, 0);
        int pipeFd = fds.install(p[0], 0, false, 1024);
        int innerFd = fds.install(inner, 0, false, 1024);
        inner.control(true, pipeFd, p[0], EpollFile.EPOLLIN, 1);
        outer.control(true, innerFd, inner, EpollFile.EPOLLIN, 2);
        Wait wait = new Wait(epollWait(outer, fds)).parked();
        write(p[1], 1);
        assertEquals(1, wait.get());
    }

    /** epoll_wait's look: the instance's own queue, then what it collects. */
    private static Readiness.Scan epollWait(EpollFile epoll, FdTable fds) {
        return w -> {
            w.watch(epoll, Poll.POLLIN);
            return epoll.collect(fds, 10).size();
        };
    }

    @Test
    void edgeTriggeredReportsEachWriteOnceEvenIfDataIsLeft() throws Exception {
        PipeEnd[] p = pipe();
        FdTable fds = new FdTable();
        int fd = fds.install(p[0], 0, false, 1024);
        EpollFile epoll = new EpollFile(OpenFlags.O_RDWR, 0, 0);
        epoll.control(true, fd, p[0], EpollFile.EPOLLIN | EpollFile.EPOLLET, 0);
        write(p[1], 1);
        assertEquals(1, Readiness.await(0, () -> false, epollWait(epoll, fds)));
        // The byte is still there, but that edge was reported: a wait sleeps until the next write.
        assertEquals(0, Readiness.await(0, () -> false, epollWait(epoll, fds)));
        Wait wait = new Wait(epollWait(epoll, fds)).parked();
        write(p[1], 1);
        assertEquals(1, wait.get());
        assertEquals(0, Readiness.await(0, () -> false, epollWait(epoll, fds)));
    }

    @Test
    void aOneShotEntryIsReportedOnceUntilModified() throws Exception {
        PipeEnd[] p = pipe();
        FdTable fds = new FdTable();
        int fd = fds.install(p[0], 0, false, 1024);
        EpollFile epoll = new EpollFile(OpenFlags.O_RDWR, 0, 0);
        epoll.control(true, fd, p[0], EpollFile.EPOLLIN | EpollFile.EPOLLONESHOT, 0);
        write(p[1], 1);
        assertEquals(1, Readiness.await(0, () -> false, epollWait(epoll, fds)));
        Wait wait = new Wait(epollWait(epoll, fds)).parked();
        write(p[1], 1);
        Thread.sleep(100);
        assertFalse(wait.result.isDone());
        // Re-arming wakes the wait, and the data there is reported.
        epoll.control(false, fd, p[0], EpollFile.EPOLLIN | EpollFile.EPOLLONESHOT, 0);
        assertEquals(1, wait.get());
    }

    @Test
    void addingAReadyFileWakesAWaitOnTheEpoll() throws Exception {
        PipeEnd[] p = pipe();
        write(p[1], 1);
        FdTable fds = new FdTable();
        int fd = fds.install(p[0], 0, false, 1024);
        EpollFile epoll = new EpollFile(OpenFlags.O_RDWR, 0, 0);
        Wait wait = new Wait(epollWait(epoll, fds)).parked();
        epoll.control(true, fd, p[0], EpollFile.EPOLLIN, 0);
        assertEquals(1, wait.get());
    }

    @Test
    void theTimeoutEndsAWaitWithNothingReady() throws Exception {
        PipeEnd[] p = pipe();
        long start = System.nanoTime();
        Wait wait = new Wait(TimeUnit.MILLISECONDS.toNanos(100), new AtomicBoolean(), poll(p[0], Poll.POLLIN));
        assertEquals(0, wait.get());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(wait.looks.get() <= 4, "looked " + wait.looks.get() + " times");
    }

    @Test
    void aSignalEndsAWaitWithEintr() throws Exception {
        PipeEnd[] p = pipe();
        AtomicBoolean signal = new AtomicBoolean();
        Wait wait = new Wait(-1, signal, poll(p[0], Poll.POLLIN)).parked();
        signal.set(true);
        wait.thread.interrupt();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, wait::get);
        assertTrue(e.getCause() instanceof ErrnoException errno && errno.errno() == Errno.EINTR, e.toString());
    }

    @Test
    void aStaleInterruptDoesNotEndTheWait() throws Exception {
        PipeEnd[] p = pipe();
        Wait wait = new Wait(poll(p[0], Poll.POLLIN)).parked();
        wait.thread.interrupt();
        Thread.sleep(50);
        wait.parked();
        write(p[1], 1);
        assertEquals(1, wait.get());
    }

    /** A file that becomes ready without telling anyone, as a host terminal does. */
    private static final class Unseen extends OpenFile {
        volatile boolean ready;

        Unseen() {
            super(OpenFlags.O_RDONLY);
        }

        @Override
        public int poll(int events) {
            return ready ? events & Poll.POLLIN : 0;
        }

        @Override
        public Readiness readiness() {
            return Readiness.UNSEEN;
        }

        @Override
        public HostStat stat() {
            return new HostStat(0, 1, 0, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        protected void release() {}
    }

    @Test
    void aWaitOnAFileJlxCannotSeeLooksAgainNowAndThen() throws Exception {
        Unseen host = new Unseen();
        Wait wait = new Wait(poll(host, Poll.POLLIN)).parked();
        host.ready = true;
        assertEquals(1, wait.get());
        assertTrue(wait.looks.get() > 2);
    }

    @Test
    void anEpollWatchingAFileJlxCannotSeeLooksAgainToo() throws Exception {
        Unseen host = new Unseen();
        PipeEnd[] p = pipe();
        FdTable fds = new FdTable();
        EpollFile epoll = new EpollFile(OpenFlags.O_RDWR, 0, 0);
        epoll.control(true, fds.install(p[0], 0, false, 1024), p[0], EpollFile.EPOLLIN, 0);
        epoll.control(true, fds.install(host, 0, false, 1024), host, EpollFile.EPOLLIN, 1);
        Wait wait = new Wait(epollWait(epoll, fds)).parked();
        host.ready = true;
        assertEquals(1, wait.get());
    }

    @Test
    void theWaitDeregistersWhenItEnds() throws Exception {
        PipeEnd[] p = pipe();
        Wait wait = new Wait(poll(p[0], Poll.POLLIN)).parked();
        assertEquals(1, p[0].pipe().readiness().watches());
        write(p[1], 1);
        assertEquals(1, wait.get());
        assertEquals(0, p[0].pipe().readiness().watches());
    }
}
