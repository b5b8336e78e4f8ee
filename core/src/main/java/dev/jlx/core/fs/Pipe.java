package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipe's buffer, as Linux's pipe_inode_info: 64 KiB by default (F_SETPIPE_SZ changes it), a
 * write of at most PIPE_BUF bytes is never interleaved with another, a read with no writer left
 * sees end of file, a write with no reader left fails with EPIPE (the caller raises SIGPIPE). In
 * packet mode (O_DIRECT) each write of up to PIPE_BUF bytes is one packet and a read takes at
 * most one. A blocked reader or writer waits on this object and wakes with EINTR when its Java
 * thread is interrupted; poll and epoll wait on its {@link Readiness}.
 */
public final class Pipe {
    public static final int PIPE_BUF = 4096;
    public static final int DEFAULT_SIZE = 65536;
    /** /proc/sys/fs/pipe-max-size's default: the most F_SETPIPE_SZ grants. */
    public static final int MAX_SIZE = 1 << 20;

    /** pipefs's device number, as Linux's "0:12" for pipes. */
    private static final long PIPEFS_DEV = 0xc;
    /** PIPEFS_MAGIC (linux/magic.h): what fstatfs reports for a pipe. */
    private static final long PIPEFS_MAGIC = 0x50495045L;
    private static final AtomicLong INODES = new AtomicLong(100_000);

    private final long inode = INODES.incrementAndGet();
    private final int uid;
    private final int gid;
    private byte[] buffer = new byte[DEFAULT_SIZE];
    private int head;
    private int count;
    /** Sizes of the packets in the buffer, oldest first; used while any end is in packet mode. */
    private final ArrayDeque<Integer> packets = new ArrayDeque<>();
    private int readers;
    private int writers;
    /**
     * Counts the changes that may let a reader go on (data in, an end opened or closed) and those
     * that may let a writer go on (data out, an end opened or closed), for edge-triggered epoll.
     */
    private long readerWakeups;
    private long writerWakeups;
    private final Readiness readiness = new Readiness();

    public Pipe(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    public long inode() {
        return inode;
    }

    /** A pipe end's metadata: a FIFO of the creating user on pipefs, holding no bytes as a file. */
    public static HostStat stat(long inode, int uid, int gid) {
        return new HostStat(PIPEFS_DEV, inode, FileMode.S_IFIFO | 0600, 1, uid, gid, 0, 0, PIPE_BUF, 0, 0, 0, 0, 0, 0,
                0);
    }

    public static HostStatfs statfs() {
        return new HostStatfs(PIPEFS_MAGIC, PIPE_BUF, 0, 0, 0, 0, 0, 0, 255, PIPE_BUF, Statfs.ST_VALID);
    }

    HostStat stat() {
        return stat(inode, uid, gid);
    }

    synchronized void open(boolean reader) {
        if (reader) {
            readers++;
            readerOpens++;
        } else {
            writers++;
            writerOpens++;
        }
    }

    /**
     * How many times each end has been opened, as Linux's r_counter and w_counter: a FIFO open
     * waiting for the other side goes on once the other side has been opened, even if it has been
     * closed again by the time the waiter runs.
     */
    private long readerOpens;
    private long writerOpens;

    synchronized void close(boolean reader) {
        if (reader) {
            readers--;
        } else {
            writers--;
        }
        if (readers == 0 && writers == 0) {
            // A FIFO's data does not outlive its last opener.
            count = 0;
            packets.clear();
        }
        changed(Readiness.ALL);
    }

    /**
     * fifo(7)'s open: one end for reading or writing waits for the other side to be opened, unless
     * O_NONBLOCK (then a reader opens at once and a writer with no reader fails with ENXIO); O_RDWR
     * opens both ends and never waits. Returns what the end's {@link #poll} takes as
     * {@code writersSeen}: as Linux's fifo_open, a reader opened O_NONBLOCK while no writer is there
     * sees no POLLHUP until a writer has come (and gone); -1 for the other ends.
     */
    synchronized long openFifo(boolean reader, boolean nonblocking) throws ErrnoException {
        if (!reader && nonblocking && readers == 0) {
            throw new ErrnoException(Errno.ENXIO);
        }
        long writersSeen = reader && nonblocking && writers == 0 ? writerOpens : -1;
        open(reader);
        changed(Readiness.ALL);
        if (nonblocking) {
            return writersSeen;
        }
        long seen = reader ? writerOpens : readerOpens;
        try {
            while (reader ? writers == 0 && writerOpens == seen : readers == 0 && readerOpens == seen) {
                Monitors.await(this);
            }
        } catch (ErrnoException interrupted) {
            close(reader);
            throw interrupted;
        }
        return -1;
    }

    /**
     * poll for one end, as Linux's pipe_poll: data to read, and POLLHUP once every writer is gone
     * (for a FIFO reader opened without one, only after the {@code writersSeen}th writer opened);
     * room to write, and POLLERR once every reader is gone.
     */
    synchronized int poll(boolean reader, int events, long writersSeen) {
        int ready = 0;
        if (reader) {
            if (count > 0) {
                ready |= events & (dev.jlx.abi.Poll.POLLIN | dev.jlx.abi.Poll.POLLRDNORM);
            }
            if (writers == 0 && writerOpens != writersSeen) {
                ready |= dev.jlx.abi.Poll.POLLHUP;
            }
        } else {
            if (buffer.length - count >= PIPE_BUF) {
                ready |= events & (dev.jlx.abi.Poll.POLLOUT | dev.jlx.abi.Poll.POLLWRNORM);
            }
            if (readers == 0) {
                ready |= dev.jlx.abi.Poll.POLLERR;
            }
        }
        return ready;
    }

    /**
     * A change a reader ({@link Readiness#INPUT}), a writer ({@link Readiness#OUTPUT}) or both
     * may go on after: wakes the calls blocked in this pipe and the pipe's pollers.
     */
    private void changed(int events) {
        if ((events & Readiness.INPUT) != 0) {
            readerWakeups++;
        }
        if ((events & Readiness.OUTPUT) != 0) {
            writerWakeups++;
        }
        notifyAll();
        readiness.wake(events);
    }

    /** The queue both ends' pollers wait on. */
    Readiness readiness() {
        return readiness;
    }

    /** See {@link OpenFile#pollGeneration}. */
    synchronized long generation(boolean reader) {
        return reader ? readerWakeups : writerWakeups;
    }

    synchronized int available() {
        return count;
    }

    public synchronized int capacity() {
        return buffer.length;
    }

    /**
     * F_SETPIPE_SZ: at least {@code size} bytes, rounded up to a power-of-two number of pages;
     * EPERM above {@code max} (fs.pipe-max-size), EBUSY when the bytes in the pipe would not fit.
     */
    synchronized int resize(long size, int max) throws ErrnoException {
        // round_pipe_size has no size for more than 2 GiB (EINVAL); the limit comes after (EPERM).
        if (size > 1L << 31) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (size > max) {
            throw new ErrnoException(Errno.EPERM);
        }
        int pages = 1;
        while ((long) pages * PIPE_BUF < size) {
            pages <<= 1;
        }
        int bytes = pages * PIPE_BUF;
        if (bytes < count) {
            throw new ErrnoException(Errno.EBUSY);
        }
        byte[] next = new byte[bytes];
        for (int i = 0; i < count; i++) {
            next[i] = buffer[(head + i) % buffer.length];
        }
        buffer = next;
        head = 0;
        // As Linux's pipe_resize_ring: a larger pipe may have room for a waiting writer.
        changed(Readiness.OUTPUT);
        return bytes;
    }

    /**
     * tee's and splice's wait for data: the bytes held once there are some, 0 at end of file (no
     * writer left); EAGAIN instead of waiting when {@code nonblocking}.
     */
    public synchronized int awaitData(boolean nonblocking) throws ErrnoException {
        while (count == 0) {
            if (writers == 0) {
                return 0;
            }
            if (nonblocking) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            Monitors.await(this);
        }
        return count;
    }

    /** splice's and tee's wait for room: the free bytes once there are some; EPIPE with no reader left. */
    public synchronized int awaitRoom(boolean nonblocking) throws ErrnoException {
        while (true) {
            if (readers == 0) {
                throw new ErrnoException(Errno.EPIPE);
            }
            if (count < buffer.length) {
                return buffer.length - count;
            }
            if (nonblocking) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            Monitors.await(this);
        }
    }

    /** tee: copies the oldest bytes held, up to {@code dst}'s size, without taking them; returns how many. */
    public synchronized int peek(MemorySegment dst) {
        int n = (int) Math.min(count, dst.byteSize());
        for (int done = 0; done < n;) {
            int at = (head + done) % buffer.length;
            int chunk = Math.min(n - done, buffer.length - at);
            MemorySegment.copy(buffer, at, dst, JAVA_BYTE, done, chunk);
            done += chunk;
        }
        return n;
    }

    /** read(2): blocks while the pipe is empty and has a writer, unless {@code nonblocking}. */
    public synchronized int read(MemorySegment dst, boolean nonblocking, boolean packetMode) throws ErrnoException {
        if (dst.byteSize() == 0 || awaitData(nonblocking) == 0) {
            return 0;
        }
        int n;
        int discard = 0;
        if (packetMode && !packets.isEmpty()) {
            int packet = packets.removeFirst();
            n = (int) Math.min(packet, dst.byteSize());
            discard = packet - n;
        } else {
            n = (int) Math.min(count, dst.byteSize());
            consumePackets(n);
        }
        for (int done = 0; done < n;) {
            int chunk = Math.min(n - done, buffer.length - head);
            MemorySegment.copy(buffer, head, dst, JAVA_BYTE, done, chunk);
            head = (head + chunk) % buffer.length;
            count -= chunk;
            done += chunk;
        }
        head = (head + discard) % buffer.length;
        count -= discard;
        changed(Readiness.OUTPUT);
        return n;
    }

    /** Bytes read in stream mode out of packets: the packets they cover shrink or go. */
    private void consumePackets(int n) {
        while (n > 0 && !packets.isEmpty()) {
            int first = packets.removeFirst();
            if (first > n) {
                packets.addFirst(first - n);
            }
            n -= first;
        }
    }

    /**
     * write(2): blocks for room unless {@code nonblocking}; up to PIPE_BUF bytes go in at once or
     * not at all. EPIPE when no reader is left. A larger write may be partial when it would block
     * with O_NONBLOCK or is interrupted after some bytes went in.
     */
    public synchronized int write(MemorySegment src, boolean nonblocking, boolean packetMode) throws ErrnoException {
        long length = src.byteSize();
        int done = 0;
        while (done < length) {
            if (readers == 0) {
                if (done > 0) {
                    return done;
                }
                throw new ErrnoException(Errno.EPIPE);
            }
            int room = buffer.length - count;
            long left = length - done;
            boolean atomic = length <= PIPE_BUF;
            if (room == 0 || (atomic && room < left)) {
                if (nonblocking) {
                    if (done > 0) {
                        return done;
                    }
                    throw new ErrnoException(Errno.EAGAIN);
                }
                try {
                    Monitors.await(this);
                } catch (ErrnoException interrupted) {
                    if (done > 0) {
                        return done;
                    }
                    throw interrupted;
                }
                continue;
            }
            int n = (int) Math.min(room, left);
            if (packetMode) {
                n = Math.min(n, PIPE_BUF);
                packets.addLast(n);
            }
            for (int put = 0; put < n;) {
                int tail = (head + count) % buffer.length;
                int chunk = Math.min(n - put, buffer.length - tail);
                MemorySegment.copy(src, JAVA_BYTE, done + put, buffer, tail, chunk);
                count += chunk;
                put += chunk;
            }
            done += n;
            changed(Readiness.INPUT);
        }
        return done;
    }
}
