package dev.jlx.core.net;

import static dev.jlx.abi.Netlink.*;
import static dev.jlx.core.net.NetlinkKernel.*;

import dev.jlx.abi.Errno;
import dev.jlx.core.kernel.GuestProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The kernel's side of the netlink protocols other than NETLINK_ROUTE and NETLINK_SOCK_DIAG, as
 * Linux answers on a machine whose subsystems are idle: generic netlink with its one family jlx has
 * (nlctrl), audit disabled with no rules, no IPsec states or policies, no netfilter subsystem
 * loaded, uevents injected but heard by nobody, the proc connector not served.
 */
final class KernelFamilies {
    private KernelFamilies() {}

    static void receive(int protocol, byte[] buffer, int portid, Options options, Sink sink) {
        switch (protocol) {
            case NETLINK_GENERIC -> NetlinkKernel.receive(buffer, portid, options, sink, KernelFamilies::generic);
            case NETLINK_AUDIT -> audit(buffer, portid, options, sink);
            case NETLINK_XFRM -> NetlinkKernel.receive(buffer, portid, options, sink, KernelFamilies::xfrm);
            case NETLINK_NETFILTER -> netfilter(buffer, portid, options, sink);
            case NETLINK_KOBJECT_UEVENT -> NetlinkKernel.receive(buffer, portid, options, sink, KernelFamilies::uevent);
            // cn_rx_skb: no callback of jlx's takes the message, and the connector answers nothing.
            default -> { }
        }
    }

    // ---- generic netlink ----

    private static final int GENL_ID_CTRL = 16;
    private static final int GENL_HDRLEN = 4;
    private static final int CTRL_CMD_NEWFAMILY = 1;
    private static final int CTRL_CMD_GETFAMILY = 3;
    private static final int CTRL_CMD_GETPOLICY = 10;
    private static final int CTRL_ATTR_FAMILY_ID = 1;
    private static final int CTRL_ATTR_FAMILY_NAME = 2;
    private static final int CTRL_ATTR_VERSION = 3;
    private static final int CTRL_ATTR_HDRSIZE = 4;
    private static final int CTRL_ATTR_MAXATTR = 5;
    private static final int CTRL_ATTR_OPS = 6;
    private static final int CTRL_ATTR_MCAST_GROUPS = 7;
    private static final int GENL_CMD_CAP_DO = 0x2;
    private static final int GENL_CMD_CAP_DUMP = 0x4;
    private static final int GENL_CMD_CAP_HASPOL = 0x8;

    /**
     * genl_rcv_msg for the one family jlx has, nlctrl (genl_ctrl): other ids are ENOENT; a message
     * without the genlmsghdr EINVAL; CTRL_CMD_GETFAMILY by id or name, or its dump; other commands
     * EOPNOTSUPP (CTRL_CMD_GETPOLICY is not done either).
     */
    private static int generic(Request r, Sink sink) {
        if (r.type != GENL_ID_CTRL) {
            return -Errno.ENOENT.number();
        }
        if (r.payload() < GENL_HDRLEN) {
            return -Errno.EINVAL.number();
        }
        int cmd = r.u8(0);
        if (cmd != CTRL_CMD_GETFAMILY) {
            return -Errno.EOPNOTSUPP.number();
        }
        if ((r.flags & NLM_F_DUMP) == NLM_F_DUMP) {
            return startDump(sink, new Dump(List.of(nlctrl(r, NLM_F_MULTI)), done(r, 0, 0), false));
        }
        int err = -Errno.EINVAL.number();
        boolean found = false;
        for (int[] a : attributes(r, GENL_HDRLEN)) {
            if (a[0] == CTRL_ATTR_FAMILY_ID) {
                if (a[2] < 2) {
                    return -Errno.EINVAL.number();
                }
                found = (r.b.getShort(a[1]) & 0xffff) == GENL_ID_CTRL;
                err = -Errno.ENOENT.number();
            }
        }
        for (int[] a : attributes(r, GENL_HDRLEN)) {
            if (a[0] == CTRL_ATTR_FAMILY_NAME) {
                found = cString(r.bytes, a[1], a[2]).equals("nlctrl");
                err = -Errno.ENOENT.number();
            }
        }
        if (!found) {
            return err;
        }
        sink.unicast(nlctrl(r, 0));
        return 0;
    }

    /** ctrl_fill_info for nlctrl: its name, id, version 2, no header, its ops and its "notify" group. */
    private static byte[] nlctrl(Request r, int flags) {
        Message m = new Message(GENL_ID_CTRL, flags, r.seq, r.portid);
        m.u8(CTRL_CMD_NEWFAMILY).u8(2).u16(0);
        m.string(CTRL_ATTR_FAMILY_NAME, "nlctrl");
        m.bytes(CTRL_ATTR_FAMILY_ID, new byte[] {GENL_ID_CTRL, 0});
        m.u32(CTRL_ATTR_VERSION, 2);
        m.u32(CTRL_ATTR_HDRSIZE, 0);
        // nlctrl's policies are its commands' own: the family's maxattr is 0.
        m.u32(CTRL_ATTR_MAXATTR, 0);
        Message ops = new Message();
        ops.bytes(1, op(CTRL_CMD_GETFAMILY, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL));
        ops.bytes(2, op(CTRL_CMD_GETPOLICY, GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL));
        m.bytes(CTRL_ATTR_OPS, ops.body());
        Message group = new Message();
        group.u32(2, GENL_ID_CTRL);
        group.string(1, "notify");
        Message groups = new Message();
        groups.bytes(1, group.body());
        m.bytes(CTRL_ATTR_MCAST_GROUPS, groups.body());
        return m.end();
    }

    private static byte[] op(int id, int flags) {
        Message op = new Message();
        op.u32(1, id);
        op.u32(2, flags);
        return op.body();
    }

    // ---- audit ----

    /** AUDIT_GET and AUDIT_SET; AUDIT_SIGNAL_INFO to AUDIT_GET_FEATURE are 1010 to 1019: the control types. */
    private static final int AUDIT_GET = 1000;
    private static final int AUDIT_LIST = 1002;
    private static final int AUDIT_ADD = 1003;
    private static final int AUDIT_DEL = 1004;
    private static final int AUDIT_USER = 1005;
    private static final int AUDIT_FIRST_USER_MSG = 1100;
    private static final int AUDIT_LAST_USER_MSG2 = 2999;
    private static final int CAP_AUDIT_WRITE = 29;
    private static final int CAP_AUDIT_CONTROL = 30;

    /**
     * audit_receive: every message, request or not, goes to audit_receive_msg, whose permission
     * checks (audit_netlink_ok) come first; AUDIT_GET answers a disabled audit's status; user
     * messages are taken (and, audit being off, go nowhere). Configuring audit (an AUDIT_SET that
     * changes something, rules, features, TTY auditing) is EPERM: jlx keeps no audit to configure.
     */
    private static void audit(byte[] buffer, int portid, Options options, Sink sink) {
        NetlinkKernel.eachMessage(buffer, portid, options, r -> {
            int err;
            if (r.type == AUDIT_LIST || r.type == AUDIT_ADD || r.type == AUDIT_DEL) {
                err = -Errno.EOPNOTSUPP.number();
            } else if (r.type == AUDIT_GET || r.type == AUDIT_GET + 1 || (r.type >= 1010 && r.type <= 1019)) {
                if (!options.capable(CAP_AUDIT_CONTROL)) {
                    err = -Errno.EPERM.number();
                } else if (r.type == AUDIT_GET) {
                    // Linux's status comes from a thread of its own, after the ack.
                    if ((r.flags & NLM_F_ACK) != 0) {
                        sink.unicast(ack(r, 0));
                    }
                    sink.unicast(auditStatus(r));
                    return;
                } else if (r.type == AUDIT_GET + 1 && (r.payload() < 4 || r.i32(0) == 0)) {
                    // AUDIT_SET with an empty mask changes nothing.
                    err = 0;
                } else {
                    err = -Errno.EPERM.number();
                }
            } else if (r.type == AUDIT_USER || (r.type >= AUDIT_FIRST_USER_MSG && r.type <= AUDIT_LAST_USER_MSG2)) {
                err = options.capable(CAP_AUDIT_WRITE) ? 0 : -Errno.EPERM.number();
            } else {
                err = -Errno.EINVAL.number();
            }
            if (err != 0 || (r.flags & NLM_F_ACK) != 0) {
                sink.unicast(ack(r, err));
            }
        });
    }

    /**
     * audit_get's struct audit_status of an audit that is off: failure AUDIT_FAIL_PRINTK, no
     * daemon, the default backlog limit (64) and wait time (60 s in Debian's 250 Hz jiffies),
     * every feature bit.
     */
    private static byte[] auditStatus(Request r) {
        Message m = new Message(AUDIT_GET, 0, r.seq, r.portid);
        m.i32(0).i32(0).i32(1).i32(0).i32(0).i32(64).i32(0).i32(0).i32(0x7f).i32(60 * 250).i32(0);
        return m.end();
    }

    // ---- xfrm ----

    private static final int XFRM_MSG_GETSA = 18;
    private static final int XFRM_MSG_DELPOLICY = 20;
    private static final int XFRM_MSG_GETPOLICY = 21;
    private static final int XFRM_MSG_MAX = 0x26;
    private static final int XFRM_USERPOLICY_ID_SIZE = 64;

    /**
     * xfrm_user_rcv_msg with no states and no policies: unknown types EINVAL, all else CAP_NET_ADMIN;
     * the SA and policy dumps are empty, a policy looked up or deleted is not found (ENOENT), and
     * other requests, whose contents jlx does not check as Linux, EINVAL.
     */
    private static int xfrm(Request r, Sink sink) {
        if (r.type > XFRM_MSG_MAX) {
            return -Errno.EINVAL.number();
        }
        if (!r.options.privileged()) {
            return -Errno.EPERM.number();
        }
        if ((r.type == XFRM_MSG_GETSA || r.type == XFRM_MSG_GETPOLICY) && (r.flags & NLM_F_DUMP) != 0) {
            return startDump(sink, new Dump(List.of(), done(r, 0, 0), true));
        }
        if ((r.type == XFRM_MSG_GETPOLICY || r.type == XFRM_MSG_DELPOLICY) && r.payload() >= XFRM_USERPOLICY_ID_SIZE) {
            return -Errno.ENOENT.number();
        }
        return -Errno.EINVAL.number();
    }

    // ---- netfilter ----

    private static final int NFNL_MSG_BATCH_BEGIN = NLMSG_MIN_TYPE;
    private static final int NFGENMSG_SIZE = 4;

    /**
     * nfnetlink_rcv with no subsystem loaded: CAP_NET_ADMIN first (EPERM for the first message); a
     * batch (NFNL_MSG_BATCH_BEGIN) names a subsystem there is not (EOPNOTSUPP); other requests with
     * an nfgenmsg go to a subsystem there is not (EINVAL), those without are done with.
     */
    private static void netfilter(byte[] buffer, int portid, Options options, Sink sink) {
        if (buffer.length < NLMSG_HDRLEN) {
            return;
        }
        int len = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(NLMSG_LEN);
        if (len < NLMSG_HDRLEN || buffer.length < len) {
            return;
        }
        Request first = new Request(java.util.Arrays.copyOf(buffer, len), portid, options);
        if (!options.privileged()) {
            sink.unicast(ack(first, -Errno.EPERM.number()));
            return;
        }
        if (first.type == NFNL_MSG_BATCH_BEGIN) {
            if (first.payload() >= NFGENMSG_SIZE) {
                sink.unicast(ack(first, -Errno.EOPNOTSUPP.number()));
            }
            return;
        }
        NetlinkKernel.receive(buffer, portid, options, sink,
                (r, s) -> r.payload() < NFGENMSG_SIZE ? 0 : -Errno.EINVAL.number());
    }

    // ---- uevents ----

    /** uevent_net_rcv_skb: CAP_SYS_ADMIN injects the uevent (which no guest socket hears: not done). */
    private static int uevent(Request r, Sink sink) {
        if (!r.options.capable(GuestProcess.CAP_SYS_ADMIN)) {
            r.extack = "missing CAP_SYS_ADMIN capability";
            return -Errno.EPERM.number();
        }
        return 0;
    }
}
