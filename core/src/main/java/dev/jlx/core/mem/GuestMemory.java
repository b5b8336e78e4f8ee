package dev.jlx.core.mem;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Mman;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The only way syscall handlers touch guest memory, analogous to Linux's copy_to_user and
 * copy_from_user: a page that is unmapped, or lacks the access the kernel would need, is EFAULT,
 * never a JVM crash. Data is read from and written to the host pages that back the guest directly.
 */
public final class GuestMemory {
    private final AddressSpace space;

    GuestMemory(AddressSpace space) {
        this.space = space;
    }

    /**
     * Linux's access_ok: EFAULT unless [address, address + length) lies below TASK_SIZE, both taken
     * as unsigned, as a guest's size_t. Checked before a transfer starts, so a length that cannot be
     * (SIZE_MAX) fails at once even when fewer bytes would have moved.
     */
    public static void accessOk(long address, long length) throws ErrnoException {
        if (Long.compareUnsigned(length, AddressSpace.TASK_SIZE) > 0
                || Long.compareUnsigned(address, AddressSpace.TASK_SIZE - length) > 0) {
            throw new ErrnoException(Errno.EFAULT);
        }
    }

    /**
     * The host memory behind the longest prefix of [address, address + length) that lies in one
     * VMA with the access needed ({@code write}: PROT_WRITE, else any). Callers loop for the rest.
     * EFAULT when {@code address} itself is not accessible.
     */
    public MemorySegment slice(long address, long length, boolean write) throws ErrnoException {
        Vma v = space.find(address);
        if (v == null || (write ? (v.prot & Mman.PROT_WRITE) == 0 : v.prot == 0)) {
            throw new ErrnoException(Errno.EFAULT);
        }
        long n = Math.min(length, v.end - address);
        if (write && (v.prot & Mman.PROT_EXEC) != 0) {
            space.codeWritten(address, n);
        }
        return v.host.asSlice(address - v.start, n);
    }

    /**
     * ptrace's FOLL_FORCE store of a word: also into a mapping the process may only read or run
     * (a breakpoint in its code), whose translated code is then dropped. EFAULT when not mapped.
     */
    public void writeLongForced(long address, long value) throws ErrnoException {
        MemorySegment s = slice(address, 8, false);
        if (s.byteSize() < 8) {
            throw new ErrnoException(Errno.EFAULT);
        }
        s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
        space.codeWritten(address, 8);
    }

    /**
     * access_remote_vm with FOLL_FORCE (/proc/PID/mem): copies between {@code buf} and this memory
     * from {@code address}, also into mappings the process may only read or run (whose translated
     * code is dropped); returns how many bytes moved before the first address not mapped.
     */
    public long transferForced(long address, MemorySegment buf, boolean write) {
        long done = 0;
        while (done < buf.byteSize()) {
            MemorySegment s;
            try {
                s = slice(address + done, buf.byteSize() - done, false);
            } catch (ErrnoException unmapped) {
                break;
            }
            if (write) {
                MemorySegment.copy(buf, done, s, 0, s.byteSize());
                space.codeWritten(address + done, s.byteSize());
            } else {
                MemorySegment.copy(s, 0, buf, done, s.byteSize());
            }
            done += s.byteSize();
        }
        return done;
    }

    public byte readByte(long address) throws ErrnoException {
        return slice(address, 1, false).get(JAVA_BYTE, 0);
    }

    public int readInt(long address) throws ErrnoException {
        MemorySegment s = slice(address, 4, false);
        return s.byteSize() == 4 ? s.get(JAVA_INT_UNALIGNED, 0) : ByteBuffer.wrap(read(address, 4))
                .order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public long readLong(long address) throws ErrnoException {
        MemorySegment s = slice(address, 8, false);
        return s.byteSize() == 8 ? s.get(JAVA_LONG_UNALIGNED, 0) : ByteBuffer.wrap(read(address, 8))
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public void writeInt(long address, int value) throws ErrnoException {
        write(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value).array());
    }

    /**
     * An atomic compare-and-swap of the aligned int at {@code address} (a futex word), as Linux's
     * futex_atomic_cmpxchg_inatomic: EFAULT unless the page is writable.
     */
    public boolean compareAndSetInt(long address, int expected, int value) throws ErrnoException {
        MemorySegment s = slice(address, 4, true);
        if (s.byteSize() < 4 || (address & 3) != 0) {
            throw new ErrnoException(Errno.EFAULT);
        }
        return (boolean) INT_HANDLE.compareAndSet(s, 0L, expected, value);
    }

    private static final java.lang.invoke.VarHandle INT_HANDLE = java.lang.foreign.ValueLayout.JAVA_INT.varHandle();

    public void writeLong(long address, long value) throws ErrnoException {
        MemorySegment s = slice(address, 8, true);
        if (s.byteSize() == 8) {
            s.set(JAVA_LONG_UNALIGNED, 0, value);
        } else {
            write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array());
        }
    }

    /** Copies {@code length} guest bytes out. */
    public byte[] read(long address, int length) throws ErrnoException {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            MemorySegment s = slice(address + done, length - done, false);
            MemorySegment.copy(s, JAVA_BYTE, 0, out, done, (int) s.byteSize());
            done += (int) s.byteSize();
        }
        return out;
    }

    /** Copies bytes into guest memory; the whole range must be writable. */
    public void write(long address, byte[] data) throws ErrnoException {
        write(address, data, 0, data.length);
    }

    public void write(long address, byte[] data, int offset, int length) throws ErrnoException {
        if (!space.isFullyMapped(address, address + length)) {
            throw new ErrnoException(Errno.EFAULT);
        }
        int done = 0;
        while (done < length) {
            MemorySegment s = slice(address + done, length - done, true);
            MemorySegment.copy(data, offset + done, s, JAVA_BYTE, 0, (int) s.byteSize());
            done += (int) s.byteSize();
        }
    }

    /** A little-endian copy of a guest struct, for the ABI module's readFrom methods. */
    public ByteBuffer readStruct(long address, int size) throws ErrnoException {
        return ByteBuffer.wrap(read(address, size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A zeroed little-endian buffer for the ABI module's writeTo methods. */
    public static ByteBuffer structBuffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes a buffer filled by an ABI writeTo method. */
    public void writeStruct(long address, ByteBuffer struct) throws ErrnoException {
        write(address, struct.array(), struct.arrayOffset(), struct.capacity());
    }

    /**
     * Reads a NUL-terminated string of at most {@code max} bytes before the NUL (PATH_MAX style):
     * ENAMETOOLONG when longer, EFAULT when it runs into unmapped memory.
     */
    public byte[] readCString(long address, int max) throws ErrnoException {
        byte[] out = new byte[Math.min(max + 1, CSTRING_CHUNK)];
        int length = 0;
        long at = address;
        while (true) {
            // A string may run across VMAs: each piece is scanned in the host memory behind it,
            // copied out a chunk at a time (a loop over an array is quick even before the JIT).
            MemorySegment s = slice(at, max + 1L - length, false);
            long n = s.byteSize();
            for (long off = 0; off < n;) {
                int c = (int) Math.min(n - off, CSTRING_CHUNK);
                if (out.length < length + c) {
                    out = Arrays.copyOf(out, Math.max(2 * out.length, length + c));
                }
                MemorySegment.copy(s, JAVA_BYTE, off, out, length, c);
                for (int i = length; i < length + c; i++) {
                    if (out[i] == 0) {
                        return Arrays.copyOf(out, i);
                    }
                }
                length += c;
                off += c;
            }
            if (length > max) {
                throw new ErrnoException(Errno.ENAMETOOLONG);
            }
            at += n;
        }
    }

    private static final int CSTRING_CHUNK = 256;

    /** {@link #readCString} decoded as UTF-8 (for paths and names handed to Java APIs). */
    public String readString(long address, int max) throws ErrnoException {
        return new String(readCString(address, max), StandardCharsets.UTF_8);
    }
}
