package dev.jlx.core.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The inet sockets of one kernel as /proc/net/tcp, tcp6, udp and udp6 list them (the host's files
 * describe the JVM, not the guest). An inet socket registers itself while it lives and writes its
 * own line, in the columns of docs.kernel.org's proc_net_tcp (tcp4_seq_show, udp4_seq_printf and
 * their IPv6 forms), with the inode its fstat shows; the tables' headers are Linux's.
 */
public final class InetSockets {
    /** The /proc/net file a socket belongs in. */
    public enum Table {
        TCP("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", 149, 4),
        TCP6("  sl  local_address                         remote_address                        st tx_queue rx_queue tr"
                + " tm->when retrnsmt   uid  timeout inode", 0, 4),
        UDP("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref"
                + " pointer drops", 127, 5),
        UDP6("  sl  local_address                         remote_address                        st tx_queue rx_queue tr"
                + " tm->when retrnsmt   uid  timeout inode ref pointer drops", 0, 5);

        private final String header;
        /** The width tcp4 and udp4 pad every line to with spaces (seq_setwidth and seq_pad); 0 for none. */
        private final int width;
        /** The width of the {@code sl} column ("%4d: " for TCP, "%5d: " for UDP). */
        private final int slWidth;

        Table(String header, int width, int slWidth) {
            this.header = header;
            this.width = width;
            this.slWidth = slWidth;
        }
    }

    /** A socket in one of the tables. */
    public interface Member {
        Table table();

        /** Its line now, or null while the table does not list it (a UDP socket not bound, a TCP one closed). */
        Line procLine();

        /** What sock_diag tells of it now, or null while the table does not list it. */
        Diag diag();
    }

    /** A socket as inet_diag describes it: local and remote ends (a null peer: none), queues, owner, inode. */
    public record Diag(int family, int protocol, int state, dev.jlx.core.host.InetEndpoint local,
            dev.jlx.core.host.InetEndpoint peer, int rqueue, int wqueue, int uid, long inode) {}

    /** The members' descriptions now, listeners first (Linux walks the listening hash first). */
    public List<Diag> diagnoses() {
        List<Member> all;
        synchronized (this) {
            all = new ArrayList<>(members);
        }
        List<Diag> out = new ArrayList<>();
        for (Member m : all) {
            Diag d = m.diag();
            if (d != null) {
                out.add(d);
            }
        }
        out.sort((a, b) -> Boolean.compare(b.state() == 10, a.state() == 10));
        return out;
    }

    /**
     * A member's line after its {@code sl} column, and whether it is a TCP listener: Linux walks the
     * listening hash before the established one, so listeners come first.
     */
    public record Line(String text, boolean listening) {}

    /** The sockets in the order they were added. */
    private final Set<Member> members = new LinkedHashSet<>();

    public synchronized void add(Member m) {
        members.add(m);
    }

    public synchronized void remove(Member m) {
        members.remove(m);
    }

    /**
     * The file {@code table}: its header, then one line per member it lists, listeners first, each
     * numbered by its place ({@code sl}; Linux's UDP tables number by hash bucket instead).
     */
    public byte[] proc(Table table) {
        List<Member> mine = new ArrayList<>();
        synchronized (this) {
            for (Member m : members) {
                if (m.table() == table) {
                    mine.add(m);
                }
            }
        }
        List<Line> lines = new ArrayList<>();
        for (Member m : mine) {
            Line l = m.procLine();
            if (l != null) {
                lines.add(l);
            }
        }
        lines.sort((a, b) -> Boolean.compare(b.listening(), a.listening()));
        StringBuilder b = new StringBuilder();
        line(b, table.header, table.width);
        for (int i = 0; i < lines.size(); i++) {
            line(b, String.format("%" + table.slWidth + "d: ", i) + lines.get(i).text(), table.width);
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void line(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        b.append('\n');
    }

    /** An IPv4 address as the tables print it: its network-order word as %08X on little-endian x86-64 (127.0.0.1: 0100007F). */
    public static String hex4(byte[] a) {
        return String.format("%02X%02X%02X%02X", a[3], a[2], a[1], a[0]);
    }

    /** An IPv6 address: its four 32-bit words, each so. */
    public static String hex6(byte[] a) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < 16; w += 4) {
            b.append(String.format("%02X%02X%02X%02X", a[w + 3], a[w + 2], a[w + 1], a[w]));
        }
        return b.toString();
    }
}
