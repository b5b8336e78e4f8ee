package dev.jlx.core.net;

import dev.jlx.abi.struct.Ucred;
import dev.jlx.core.fs.OpenFile;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One sendmsg(2): the bytes in guest memory (pieces of the iovecs, in order), the destination
 * address as the guest gave it (null for none), the control messages already parsed and the
 * MSG_* flags (MSG_DONTWAIT added for an O_NONBLOCK file). {@code faulted}: the iovecs go on past
 * {@code data} into memory that cannot be read, which the send reports as Linux's copy does
 * (EFAULT once nothing went).
 */
public record Outgoing(List<MemorySegment> data, byte[] address, List<OpenFile> rights, Ucred credentials,
        int flags, boolean faulted) {
    public long length() {
        long n = 0;
        for (MemorySegment s : data) {
            n += s.byteSize();
        }
        return n;
    }
}
