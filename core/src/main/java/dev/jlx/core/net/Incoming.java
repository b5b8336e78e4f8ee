package dev.jlx.core.net;

import dev.jlx.abi.struct.Ucred;
import dev.jlx.core.fs.OpenFile;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One recvmsg(2): where the bytes go (pieces of the iovecs, in order) and the MSG_* flags asked
 * for; the receive fills in the rest: the sender's address (null when it has none, or when
 * {@code wantAddress} is false), the credentials to report (null for none), the files that came
 * with the data (the caller owns their references: it installs them or closes them), and the
 * MSG_TRUNC of a datagram cut short. {@code faulted}: the iovecs go on past {@code buffer} into
 * memory that cannot be written, where Linux's copy would fail (EFAULT once nothing was copied).
 * {@code control}: where control messages may go (the guest's control buffer, null for none) for a
 * family whose host writes them there itself, {@code controlLength} how much they took.
 */
public final class Incoming {
    public final List<MemorySegment> buffer;
    public final int flags;
    public final boolean wantAddress;
    public final boolean faulted;
    public byte[] address;
    public Ucred credentials;
    public List<OpenFile> rights;
    /** SO_PASSPIDFD: an SCM_PIDFD is due (of {@code sender}; none when that is null, but room is asked all the same). */
    public boolean passPidfd;
    /** The process that sent what was read (the packet's pid), or null. */
    public dev.jlx.core.kernel.GuestProcess sender;
    public int resultFlags;
    public MemorySegment control;
    public long controlLength;
    /** Control messages the family adds ahead of the credentials and files (timestamps, NETLINK_PKTINFO). */
    public final List<Control> messages = new java.util.ArrayList<>();

    /** One control message: its level, type and data (put_cmsg's arguments). */
    public record Control(int level, int type, byte[] data) {}

    public Incoming(List<MemorySegment> buffer, int flags, boolean wantAddress, boolean faulted) {
        this.buffer = buffer;
        this.flags = flags;
        this.wantAddress = wantAddress;
        this.faulted = faulted;
    }

    public long capacity() {
        long n = 0;
        for (MemorySegment s : buffer) {
            n += s.byteSize();
        }
        return n;
    }
}
