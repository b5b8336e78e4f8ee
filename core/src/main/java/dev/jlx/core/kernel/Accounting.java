package dev.jlx.core.kernel;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.fs.OpenFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * BSD process accounting of a run (kernel/acct.c for its PID namespace): while a file is set, every
 * guest process that ends appends one struct acct_v3 to it, written before its parent can see it end.
 * The file was opened O_WRONLY|O_APPEND by whoever turned accounting on, and is written as such.
 */
public final class Accounting {
    /** struct acct_v3 (linux/acct.h): 64 bytes, little-endian. */
    static final int SIZE = 64;
    /** ac_flag bits: forked and not exec'd, used superuser privileges, dumped core, killed by a signal. */
    static final int AFORK = 0x01;
    static final int ASU = 0x02;
    static final int ACORE = 0x08;
    static final int AXSIG = 0x10;
    private static final int ACCT_VERSION = 3;
    /** AHZ: the records' clock ticks per second (USER_HZ). */
    private static final long AHZ = 100;

    private OpenFile file;

    /**
     * Makes {@code f} the accounting file (null: off). The one it replaces is closed after a record
     * of {@code caller} (not ended: no times, flags or exit code yet) is written to it, as
     * acct_pin_kill does for whoever switches accounting.
     */
    public synchronized void set(OpenFile f, GuestProcess caller) {
        OpenFile old = file;
        file = f;
        if (old != null) {
            write(old, record(caller, null, 0, 0, 0));
            try {
                old.close();
            } catch (ErrnoException ignored) {
                // The records are written; closing changes nothing for the guest.
            }
        }
    }

    /** The run has ended: the file is closed; its init, jlx, is no guest to write a record of (acct_exit_ns). */
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (ErrnoException ignored) {
                // Nothing is left to write to it.
            }
            file = null;
        }
    }

    /** acct_process: {@code p} has ended with {@code status} after these CPU times and {@code vsize} bytes mapped. */
    synchronized void ended(GuestProcess p, ExitStatus status, long userNanos, long systemNanos, long vsize) {
        if (file != null) {
            write(file, record(p, status, userNanos, systemNanos, vsize));
        }
    }

    private static ByteBuffer record(GuestProcess p, ExitStatus status, long userNanos, long systemNanos, long vsize) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int flag = 0;
        int exitcode = 0;
        if (status != null) {
            flag = (p.forkedNoExec() ? AFORK : 0) | (p.superPrivileged() ? ASU : 0)
                    | (status.coreDumped() ? ACORE : 0) | (status.signal() != 0 ? AXSIG : 0);
            exitcode = Ptrace.waitStatus(status);
        }
        b.put(0, (byte) flag);
        b.put(1, (byte) ACCT_VERSION);
        b.putInt(4, exitcode);
        GuestProcess.Credentials c = p.credentials();
        b.putInt(8, c.uid());
        b.putInt(12, c.gid());
        b.putInt(16, p.pid());
        b.putInt(20, p.ppid());
        long elapsed = (System.nanoTime() - p.startNanos()) / (1_000_000_000L / AHZ);
        long realNow = Math.floorDiv(java.time.Instant.now().getEpochSecond() * 1_000_000_000L
                + java.time.Instant.now().getNano() + p.kernel().timeKeeping().realtimeOffset(), 1_000_000_000L);
        b.putInt(24, (int) Math.clamp(realNow - elapsed / AHZ, 0, 0xffffffffL));
        b.putInt(28, encodeFloat(elapsed));
        b.putShort(32, encodeComp(userNanos / (1_000_000_000L / AHZ)));
        b.putShort(34, encodeComp(systemNanos / (1_000_000_000L / AHZ)));
        b.putShort(36, encodeComp(vsize / 1024));
        byte[] comm = p.comm();
        b.put(48, comm, 0, Math.min(comm.length, 15));
        return b;
    }

    private static void write(OpenFile f, ByteBuffer record) {
        // A process killed by a signal ends on an interrupted thread, and an interrupted thread's
        // write closes a java.nio channel (the windows backend's files): the write goes uninterrupted.
        boolean interrupted = Thread.interrupted();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(SIZE);
            MemorySegment.copy(MemorySegment.ofBuffer(record), 0, bytes, 0, SIZE);
            f.write(bytes);
        } catch (ErrnoException e) {
            // A full disk or a file gone bad loses the record, as acct_write_process ignores its write's result.
            Kernel.log().log(System.Logger.Level.INFO, "process accounting: record not written: " + e.errno());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** encode_comp_t: a 13-bit mantissa with a base-8 exponent in the top 3 bits, rounded. */
    static short encodeComp(long value) {
        int exp = 0;
        long rnd = 0;
        while (value > 0x1fff) {
            rnd = value & 4;
            value >>>= 3;
            exp++;
        }
        if (rnd != 0 && ++value > 0x1fff) {
            value >>>= 3;
            exp++;
        }
        if (exp > 7) {
            return (short) 0xffff;
        }
        return (short) (exp << 13 | value);
    }

    /** encode_float: {@code value} as an IEEE single, its mantissa cut (not rounded) as Linux's. */
    static int encodeFloat(long value) {
        if (value == 0) {
            return 0;
        }
        int exp = 190;
        while (value > 0) {
            value <<= 1;
            exp--;
        }
        return (int) (value >>> 40) & 0x7fffff | exp << 23;
    }
}
