package dev.jlx.core.net;

import static dev.jlx.abi.Netlink.*;

import dev.jlx.abi.Errno;
import dev.jlx.core.kernel.GuestProcess;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel's side of a netlink socket, what every family shares (Linux's af_netlink.c): the
 * requests of one sendmsg taken in turn (netlink_rcv_skb), their acks and errors (netlink_ack),
 * dumps handed out a datagram at a time (netlink_dump), and the building of messages.
 */
final class NetlinkKernel {
    private NetlinkKernel() {}

    /** What the requesting socket asked for that shapes the answers (its SOL_NETLINK options). */
    record Options(boolean strict, boolean extAck, boolean capAck, long capabilities) {
        boolean capable(int cap) {
            return (capabilities >>> cap & 1) != 0;
        }

        /** CAP_NET_ADMIN, which most families' changes (and netfilter's every request) need. */
        boolean privileged() {
            return capable(GuestProcess.CAP_NET_ADMIN);
        }
    }

    /** Where the answers go: datagrams to queue now, and a dump to queue as the reader makes room. */
    interface Sink {
        void unicast(byte[] datagram);

        /** Starts {@code dump}: 0, or a negative errno (EBUSY while one runs, ENOBUFS with a full queue). */
        int startDump(Dump dump);
    }

    /**
     * A dump: its messages (each a whole nlmsg) and its NLMSG_DONE (with an error, or 0), which
     * shares the last datagram only where Linux's dump function says it has finished in the same
     * call ({@code doneJoins}); the reader takes the messages in datagrams of at most the room
     * Linux's netlink_dump gives each.
     */
    static final class Dump {
        private final List<byte[]> messages;
        private final byte[] done;
        private final boolean doneJoins;
        private int next;
        private boolean doneSent;

        Dump(List<byte[]> messages, byte[] done, boolean doneJoins) {
            this.messages = messages;
            this.done = done;
            this.doneJoins = doneJoins;
        }

        boolean finished() {
            return doneSent;
        }

        /** The next datagram: as many messages as fit in {@code room} bytes (one at least), or the done. */
        byte[] nextDatagram(int room) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            while (next < messages.size() && (d.size() == 0 || d.size() + messages.get(next).length <= room)) {
                d.writeBytes(messages.get(next++));
            }
            boolean last = next == messages.size();
            if (d.size() == 0 || (last && doneJoins && d.size() + done.length <= room)) {
                d.writeBytes(done);
                doneSent = true;
            }
            return d.toByteArray();
        }
    }

    /** A request's answer when it started a dump: no ack, even with NLM_F_ACK (Linux's -EINTR). */
    static final int DUMP_STARTED = Integer.MIN_VALUE;


    /**
     * A family's handler of one request (the callback netlink_rcv_skb calls): 0, a negative errno,
     * or {@link #DUMP_STARTED}.
     */
    interface Handler {
        int message(Request r, Sink sink);
    }

    /**
     * netlink_rcv_skb: each message of {@code buffer} in turn (see {@link #eachMessage}); a message
     * that is not a request, or a control message, is only acked when it asks (NLM_F_ACK).
     */
    static void receive(byte[] buffer, int portid, Options options, Sink sink, Handler handler) {
        eachMessage(buffer, portid, options, r -> {
            int err = 0;
            if ((r.flags & NLM_F_REQUEST) != 0 && r.type >= NLMSG_MIN_TYPE) {
                err = handler.message(r, sink);
            }
            if (err != DUMP_STARTED && ((r.flags & NLM_F_ACK) != 0 || err != 0)) {
                sink.unicast(ack(r, err));
            }
        });
    }

    /**
     * Each message of {@code buffer} in turn, until one whose length does not fit (the rest is
     * dropped silently, as Linux's).
     */
    static void eachMessage(byte[] buffer, int portid, Options options, java.util.function.Consumer<Request> action) {
        ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (buffer.length - at >= NLMSG_HDRLEN) {
            int len = b.getInt(at + NLMSG_LEN);
            if (len < NLMSG_HDRLEN || len > buffer.length - at) {
                return;
            }
            action.accept(new Request(Arrays.copyOfRange(buffer, at, at + len), portid, options));
            at += Math.min(align(len), buffer.length - at);
        }
    }

    /** Starts {@code d} for {@code sink}: {@link #DUMP_STARTED}, or the error netlink_dump_start returns. */
    static int startDump(Sink sink, Dump d) {
        int err = sink.startDump(d);
        return err == 0 ? DUMP_STARTED : err;
    }

    /** One request message, and the error message its validation may leave (Linux's extack). */
    static final class Request {
        final byte[] bytes;
        final ByteBuffer b;
        final int type;
        final int flags;
        final int seq;
        final int portid;
        final Options options;
        String extack;

        Request(byte[] bytes, int portid, Options options) {
            this.bytes = bytes;
            this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.type = b.getShort(NLMSG_TYPE) & 0xffff;
            this.flags = b.getShort(NLMSG_FLAGS) & 0xffff;
            this.seq = b.getInt(NLMSG_SEQ);
            this.portid = portid;
            this.options = options;
        }

        int payload() {
            return bytes.length - NLMSG_HDRLEN;
        }

        int u8(int offset) {
            return bytes[NLMSG_HDRLEN + offset] & 0xff;
        }

        int i32(int offset) {
            return b.getInt(NLMSG_HDRLEN + offset);
        }

        int u16(int offset) {
            return b.getShort(NLMSG_HDRLEN + offset) & 0xffff;
        }

        /** EINVAL with Linux's extended-ack message. */
        int invalid(String message) {
            extack = message;
            return -Errno.EINVAL.number();
        }
    }

    /** The attributes after a fixed header of {@code header} bytes: [type, offset of data, length of data]. */
    static List<int[]> attributes(Request r, int header) {
        List<int[]> out = new ArrayList<>();
        int at = NLMSG_HDRLEN + align(header);
        while (r.bytes.length - at >= NLA_HDRLEN) {
            int len = r.b.getShort(at) & 0xffff;
            if (len < NLA_HDRLEN || len > r.bytes.length - at) {
                break;
            }
            out.add(new int[] {r.b.getShort(at + 2) & 0x3fff, at + NLA_HDRLEN, len - NLA_HDRLEN});
            at += align(len);
        }
        return out;
    }


    /** A dump whose first step failed: its NLMSG_DONE carries the error (netlink_dump_done). */
    static Dump failed(Request r, int err, int answerFlags) {
        return new Dump(List.of(), done(r, err, answerFlags), false);
    }


    /**
     * netlink_ack: NLMSG_ERROR with the error and the request's header; for an error the whole
     * request (unless NETLINK_CAP_ACK), and with NETLINK_EXT_ACK its message as NLMSGERR_ATTR_MSG.
     */
    static byte[] ack(Request r, int err) {
        boolean whole = err != 0 && !r.options.capAck();
        int flags = whole ? 0 : NLM_F_CAPPED;
        boolean tlv = err != 0 && r.options.extAck() && r.extack != null;
        if (tlv) {
            flags |= NLM_F_ACK_TLVS;
        }
        Message m = new Message(NLMSG_ERROR, flags, r.seq, r.portid);
        m.i32(err);
        if (whole) {
            m.raw(r.bytes);
        } else {
            m.raw(Arrays.copyOf(r.bytes, NLMSG_HDRLEN));
        }
        if (tlv) {
            m.string(NLMSGERR_ATTR_MSG, r.extack);
        }
        return m.end();
    }

    /** netlink_dump_done: NLMSG_DONE with the dump's result, and its error message with NETLINK_EXT_ACK. */
    static byte[] done(Request r, int err, int answerFlags) {
        boolean tlv = r.options.extAck() && r.extack != null && err != 0;
        Message m = new Message(NLMSG_DONE, NLM_F_MULTI | answerFlags | (tlv ? NLM_F_ACK_TLVS : 0), r.seq, r.portid);
        m.i32(err);
        if (tlv) {
            m.string(NLMSGERR_ATTR_MSG, r.extack);
        }
        return m.end();
    }

    // ---- encoding ----

    static int align(int n) {
        return (n + 3) & ~3;
    }

    static String cString(byte[] b, int from, int len) {
        int end = from;
        while (end < from + len && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.ISO_8859_1);
    }

    /** One netlink message being built: its header, a fixed part, then 4-byte aligned attributes. */
    static final class Message {
        private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

        Message(int type, int flags, int seq, int portid) {
            b.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(portid);
        }

        /** Attributes alone, to nest in another's. */
        Message() {
        }

        byte[] body() {
            return Arrays.copyOf(b.array(), b.position());
        }

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                        .order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(b.flip());
                b = bigger;
            }
        }

        Message u8(int v) {
            room(1);
            b.put((byte) v);
            return this;
        }

        Message u16(int v) {
            room(2);
            b.putShort((short) v);
            return this;
        }

        Message i32(int v) {
            room(4);
            b.putInt(v);
            return this;
        }

        Message raw(byte[] data) {
            room(data.length + 3);
            b.put(data);
            pad();
            return this;
        }

        private void pad() {
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
        }

        /** An attribute: its header, its data, zero padding to 4 bytes (not counted in its length). */
        void bytes(int type, byte[] data) {
            room(NLA_HDRLEN + data.length + 3);
            b.putShort((short) (NLA_HDRLEN + data.length)).putShort((short) type).put(data);
            pad();
        }

        void u32(int type, int v) {
            bytes(type, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, v).array());
        }

        void u8(int type, int v) {
            bytes(type, new byte[] {(byte) v});
        }

        void string(int type, String s) {
            byte[] chars = s.getBytes(StandardCharsets.ISO_8859_1);
            bytes(type, Arrays.copyOf(chars, chars.length + 1));
        }

        byte[] end() {
            b.putInt(0, b.position());
            return Arrays.copyOf(b.array(), b.position());
        }
    }
}
