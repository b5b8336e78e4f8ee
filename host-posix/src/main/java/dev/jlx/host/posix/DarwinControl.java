package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * macOS's receive control messages in Linux's form. macOS's {@code struct cmsghdr} is a u32 length,
 * the level and the type (12 bytes, each message 4-aligned: sys/socket.h's __DARWIN_ALIGN32);
 * Linux's has a size_t length (16 bytes, 8-aligned). The messages and their numbers
 * (netinet/in.h, netinet6/in6.h, sys/socket.h) become Linux's: IP_RECVPKTINFO (26, a struct
 * in_pktinfo as Linux's) is IP_PKTINFO, IP_RECVTTL (24, a u_char) IP_TTL (an int), IP_RECVTOS (27,
 * a u_char) IP_TOS (a byte, as Linux's), IPV6_PKTINFO (46) 50, IPV6_HOPLIMIT (47) 52, IPV6_TCLASS
 * (36) 67, SCM_TIMESTAMP (SOL_SOCKET 0xffff, type 2, a timeval with an int tv_usec) Linux's
 * SCM_TIMESTAMP or SO_TIMESTAMP_NEW (a timeval of two longs). They are put in Linux's order
 * (timestamp, then PKTINFO, TTL or HOPLIMIT, TOS or TCLASS) and cut as Linux's put_cmsg cuts them.
 * Written from Apple's headers; not run on macOS yet.
 */
final class DarwinControl {
    private DarwinControl() {}

    private static final int DARWIN_HEADER = 12;
    private static final int DARWIN_SOL_SOCKET = 0xffff;
    private static final int DARWIN_SCM_TIMESTAMP = 0x02;
    private static final int DARWIN_IP_RECVTTL = 24;
    private static final int DARWIN_IP_RECVPKTINFO = 26;
    private static final int DARWIN_IP_RECVTOS = 27;
    private static final int DARWIN_IPV6_TCLASS = 36;
    private static final int DARWIN_IPV6_PKTINFO = 46;
    private static final int DARWIN_IPV6_HOPLIMIT = 47;

    private static final int LINUX_HEADER = 16;
    private static final int SOL_IP = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SOL_IPV6 = 41;
    private static final int IP_TOS = 1;
    private static final int IP_TTL = 2;
    private static final int IP_PKTINFO = 8;
    private static final int IPV6_PKTINFO = 50;
    private static final int IPV6_HOPLIMIT = 52;
    private static final int IPV6_TCLASS = 67;
    private static final int SCM_TIMESTAMP = 29;
    private static final int SO_TIMESTAMP_NEW = 63;

    /** What the translation wrote: msg_controllen, and whether put_cmsg would have set MSG_CTRUNC. */
    record Translated(long length, boolean truncated) {}

    /** One Linux message, and its place in Linux's order. */
    private record Message(int rank, int level, int type, byte[] data) {}

    /**
     * The {@code length} bytes of macOS's messages at {@code host} as Linux's, written into
     * {@code guest}; {@code timestampNew}: the guest asked for SO_TIMESTAMP_NEW rather than SO_TIMESTAMP.
     */
    static Translated translate(MemorySegment host, long length, MemorySegment guest, boolean timestampNew) {
        List<Message> out = new ArrayList<>();
        for (long at = 0; at + DARWIN_HEADER <= length;) {
            long len = host.get(JAVA_INT_UNALIGNED, at) & 0xffffffffL;
            if (len < DARWIN_HEADER || at + len > length) {
                break;
            }
            int level = host.get(JAVA_INT_UNALIGNED, at + 4);
            int type = host.get(JAVA_INT_UNALIGNED, at + 8);
            MemorySegment data = host.asSlice(at + DARWIN_HEADER, len - DARWIN_HEADER);
            Message m = linux(level, type, data, timestampNew);
            if (m != null) {
                out.add(m);
            }
            at += (len + 3) & ~3L;
        }
        out.sort(Comparator.comparingInt(Message::rank));
        long room = guest.byteSize();
        long used = 0;
        boolean truncated = false;
        for (Message m : out) {
            // put_cmsg: no room for a header is MSG_CTRUNC and nothing; too little for all, the part that fits.
            if (room - used < LINUX_HEADER) {
                truncated = true;
                break;
            }
            long cmlen = LINUX_HEADER + m.data().length;
            if (room - used < cmlen) {
                truncated = true;
                cmlen = room - used;
            }
            guest.set(JAVA_LONG_UNALIGNED, used, cmlen);
            guest.set(JAVA_INT_UNALIGNED, used + 8, m.level());
            guest.set(JAVA_INT_UNALIGNED, used + 12, m.type());
            MemorySegment.copy(m.data(), 0, guest, JAVA_BYTE, used + LINUX_HEADER, (int) (cmlen - LINUX_HEADER));
            used += Math.min((LINUX_HEADER + m.data().length + 7) & ~7L, room - used);
        }
        return new Translated(used, truncated);
    }

    private static Message linux(int level, int type, MemorySegment data, boolean timestampNew) {
        long n = data.byteSize();
        if (level == DARWIN_SOL_SOCKET && type == DARWIN_SCM_TIMESTAMP && n >= 12) {
            byte[] tv = new byte[16];
            MemorySegment t = MemorySegment.ofArray(tv);
            t.set(JAVA_LONG_UNALIGNED, 0, data.get(JAVA_LONG_UNALIGNED, 0));
            t.set(JAVA_LONG_UNALIGNED, 8, data.get(JAVA_INT_UNALIGNED, 8));
            return new Message(0, SOL_SOCKET, timestampNew ? SO_TIMESTAMP_NEW : SCM_TIMESTAMP, tv);
        }
        if (level == SOL_IP) {
            return switch (type) {
                case DARWIN_IP_RECVPKTINFO -> n >= 12 ? new Message(1, SOL_IP, IP_PKTINFO, bytes(data, 12)) : null;
                case DARWIN_IP_RECVTTL -> n >= 1 ? new Message(2, SOL_IP, IP_TTL, intOf(data.get(JAVA_BYTE, 0) & 0xff))
                        : null;
                case DARWIN_IP_RECVTOS -> n >= 1 ? new Message(3, SOL_IP, IP_TOS, bytes(data, 1)) : null;
                default -> null;
            };
        }
        if (level == SOL_IPV6) {
            return switch (type) {
                case DARWIN_IPV6_PKTINFO -> n >= 20 ? new Message(1, SOL_IPV6, IPV6_PKTINFO, bytes(data, 20)) : null;
                case DARWIN_IPV6_HOPLIMIT -> n >= 4 ? new Message(2, SOL_IPV6, IPV6_HOPLIMIT, bytes(data, 4)) : null;
                case DARWIN_IPV6_TCLASS -> n >= 4 ? new Message(3, SOL_IPV6, IPV6_TCLASS, bytes(data, 4)) : null;
                default -> null;
            };
        }
        return null;
    }

    private static byte[] bytes(MemorySegment data, int n) {
        return data.asSlice(0, n).toArray(JAVA_BYTE);
    }

    private static byte[] intOf(int v) {
        byte[] b = new byte[4];
        MemorySegment.ofArray(b).set(JAVA_INT_UNALIGNED, 0, v);
        return b;
    }
}
