package dev.jlx.core.net;

import static dev.jlx.abi.Socket.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Linger;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.abi.struct.Ucred;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * A socket, analogous to Linux's {@code struct socket} with its {@code struct sock}: an open file on
 * sockfs whose calls are the family's (Linux's proto_ops: bind, connect, listen, accept, sendmsg,
 * recvmsg, shutdown, poll) and whose SOL_SOCKET options live here, shared by every family. A
 * family's subclass serves the rest; what it does not serve answers as Linux's sock_no_* do
 * (EOPNOTSUPP). read and write are a receive and a send without flags.
 */
public abstract class SocketFile extends OpenFile {
    /** sockfs's device number as this host's Linux gives it (0:9; it depends on what mounted first). */
    private static final long SOCKFS_DEV = 9;
    /** SOCKFS_MAGIC (linux/magic.h). */
    private static final long SOCKFS_MAGIC = 0x534F434BL;
    private static final AtomicLong INODES = new AtomicLong(300_000);
    /** SO_COOKIE: a number per socket, handed out on first ask from 1 up (sock_gen_cookie). */
    private static final AtomicLong COOKIES = new AtomicLong();

    /** net.core.wmem_default and rmem_default, and the _max the options cap a request at (Linux's defaults). */
    public static final int WMEM_DEFAULT = 212992;
    public static final int RMEM_DEFAULT = 212992;
    public static final int WMEM_MAX = 212992;
    public static final int RMEM_MAX = 212992;
    /** net.core.optmem_max: the most control data a sendmsg may pass. */
    public static final int OPTMEM_MAX = 131072;
    /** net.core.somaxconn's default: listen's backlog at most. */
    public static final int SOMAXCONN = 4096;
    /** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF: twice a small skb's truesize, and one skb's. */
    private static final int SOCK_MIN_SNDBUF = 4608;
    private static final int SOCK_MIN_RCVBUF = 2304;
    /** The scheduler tick the timeouts are kept in (Debian's CONFIG_HZ): they read back rounded to it. */
    private static final int HZ = 250;
    /** MAX_SCHEDULE_TIMEOUT: no timeout. */
    static final long FOREVER = Long.MAX_VALUE;

    private final int family;
    private final int type;
    private final int protocol;
    private final long inode = INODES.incrementAndGet();
    private final int uid;
    private final int gid;
    private volatile long cookie;

    // SOL_SOCKET state (struct sock's fields and flags): each written whole, read without a lock.
    private volatile int sndbuf = WMEM_DEFAULT;
    private volatile int rcvbuf = RMEM_DEFAULT;
    private volatile long rcvtimeo = FOREVER;
    private volatile long sndtimeo = FOREVER;
    private volatile int rcvlowat = 1;
    private volatile int priority;
    private volatile int mark;
    private volatile boolean lingering;
    private volatile long lingerJiffies;
    private volatile int flags;
    /** SO_BINDTODEVICE: the interface's index, 0 for none. */
    private volatile int boundDevice;
    /** SO_PEEK_OFF (sk_peek_off): where MSG_PEEK reads from, negative for the front (off). */
    private volatile int peekOff = -1;
    private static final int DEBUG = 1;
    private static final int REUSEADDR = 1 << 1;
    private static final int REUSEPORT = 1 << 2;
    private static final int DONTROUTE = 1 << 3;
    private static final int BROADCAST = 1 << 4;
    private static final int KEEPALIVE = 1 << 5;
    private static final int OOBINLINE = 1 << 6;
    private static final int NO_CHECK = 1 << 7;
    private static final int PASSCRED = 1 << 8;
    private static final int PASSSEC = 1 << 9;
    private static final int PASSPIDFD = 1 << 20;
    private static final int RXQ_OVFL = 1 << 10;
    private static final int WIFI_STATUS = 1 << 11;
    private static final int NOFCS = 1 << 12;
    private static final int SELECT_ERR_QUEUE = 1 << 13;
    private static final int RCVMARK = 1 << 14;
    private static final int FILTER_LOCKED = 1 << 15;
    private static final int ZEROCOPY = 1 << 16;
    /** SOCK_RCVTSTAMP, SOCK_RCVTSTAMPNS and SOCK_TSTAMP_NEW: which receive timestamp (sock_set_timestamp). */
    private static final int RCVTSTAMP = 1 << 17;
    private static final int RCVTSTAMPNS = 1 << 18;
    private static final int TSTAMP_NEW = 1 << 19;
    /** sk_userlocks' SOCK_SNDBUF_LOCK and SOCK_RCVBUF_LOCK: set by the buffer options, SO_BUF_LOCK's bits. */
    private static final int SNDBUF_LOCK = 1;
    private static final int RCVBUF_LOCK = 2;
    private volatile int userLocks;
    /** SO_TIMESTAMPING's flags (sk_tsflags). */
    private volatile int tsflags;
    /** Options Linux keeps and reads back that change nothing jlx does (busy polling, pacing, txtime's qdisc). */
    private volatile int busyPollUsecs;
    private volatile boolean preferBusyPoll;
    private volatile int busyPollBudget;
    private volatile long maxPacingRate = -1;
    private volatile int incomingCpu = -1;
    private volatile long txtime;
    private volatile int txrehash = 1;
    /** The classic BPF program attached (SO_ATTACH_FILTER: its instructions as given), or null. */
    private volatile byte[] filter;
    /** SOF_TIMESTAMPING_* flags this kernel knows (SOF_TIMESTAMPING_LAST is bit 19 in 6.18). */
    private static final int SOF_TIMESTAMPING_MASK = (1 << 20) - 1;
    private static final int SOF_TIMESTAMPING_OPT_ID = 1 << 7;
    private static final int SOF_TIMESTAMPING_BIND_PHC = 1 << 15;
    private static final int SOF_TIMESTAMPING_OPT_ID_TCP = 1 << 16;
    /** The BPF extensions this kernel offers (bpf_tell_extensions: SKF_AD_MAX). */
    private static final int SKF_AD_MAX = 64;

    protected SocketFile(int family, int type, int protocol, int statusFlags, int uid, int gid) {
        super(OpenFlags.O_RDWR | statusFlags);
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.uid = uid;
        this.gid = gid;
    }

    public final int family() {
        return family;
    }

    public final int type() {
        return type;
    }

    /** The protocol socket() was given. */
    public final int protocol() {
        return protocol;
    }

    public final long inode() {
        return inode;
    }

    /** The owner of the socket's inode: the creator's file-system ids, as sock_alloc takes them. */
    public final int uid() {
        return uid;
    }

    // ---- the family's calls (Linux's proto_ops), sock_no_* by default ----

    /** bind(2) to {@code address}, the sockaddr bytes the guest gave (its length is the addrlen). */
    public void bind(GuestThread t, byte[] address) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** connect(2); {@code nonblocking} from the file's O_NONBLOCK. */
    public void connect(GuestThread t, byte[] address) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** listen(2) with a backlog already capped at somaxconn. */
    public void listen(GuestThread t, int backlog) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /**
     * accept(2): the next connection as a socket with O_RDWR and {@code statusFlags}, holding the one
     * reference the caller installs; waits unless {@code nonblocking}.
     */
    public SocketFile accept(GuestThread t, boolean nonblocking, int statusFlags) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** socketpair(2)'s joining of this new socket with another new one of the same kind. */
    public void pair(GuestThread t, SocketFile other) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** getsockname(2): the sockaddr bytes, as long as the family says. */
    public abstract byte[] localAddress() throws ErrnoException;

    /** getpeername(2); ENOTCONN with no peer. */
    public abstract byte[] peerAddress() throws ErrnoException;

    /**
     * The peer's address as accept(2) reports it (the family's getname with peer 2): what it was when
     * the connection was made, even if the peer has reset it since.
     */
    public byte[] acceptedPeerAddress() throws ErrnoException {
        return peerAddress();
    }

    /** sendmsg(2): the bytes taken. */
    public abstract long send(GuestThread t, Outgoing message) throws ErrnoException;

    /** recvmsg(2): the bytes received (or, with MSG_TRUNC on a datagram, its whole length); fills {@code message}. */
    public abstract long receive(GuestThread t, Incoming message) throws ErrnoException;

    /** shutdown(2) with SHUT_RD, SHUT_WR or SHUT_RDWR (anything else EINVAL). */
    public abstract void shutdown(int how) throws ErrnoException;

    /** SIOCINQ (FIONREAD): bytes waiting to be read. */
    public abstract int inputQueued() throws ErrnoException;

    /** SIOCOUTQ: bytes sent and not yet taken by the other side. */
    public abstract int outputQueued() throws ErrnoException;

    /** SIOCATMARK: 1 when the next byte to read is the urgent mark, else 0; -1 for a family without the request. */
    public int atMark() throws ErrnoException {
        return -1;
    }

    /** poll(2)'s whole answer now (every bit that holds, before the caller's events filter it). */
    protected abstract int readyEvents();

    /** setsockopt at a level other than SOL_SOCKET: a family without options of its own has none (EOPNOTSUPP). */
    protected void setProtocolOption(int level, int name, OptionValue value) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** getsockopt at a level other than SOL_SOCKET, as {@link #setProtocolOption}. */
    protected byte[] protocolOption(int level, int name, int length) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** Whether SO_PASSCRED is for this family (sk_may_scm_recv: AF_UNIX and AF_NETLINK); EOPNOTSUPP otherwise. */
    protected boolean takesCredentials() {
        return false;
    }

    /**
     * Whether receive timestamps (SO_TIMESTAMP and its kin {@code name}) can be given: by a family
     * whose host stamps and writes the control messages itself; ENOPROTOOPT for the others.
     */
    protected boolean timestamps(int name) {
        return false;
    }

    /** Whether SO_REUSEPORT may be set (an inet socket); others refuse a non-zero value with EOPNOTSUPP. */
    protected boolean reusesPorts() {
        return false;
    }

    /**
     * Whether SO_PEEK_OFF is for this family (Linux's ops->set_peek_off: AF_UNIX, and UDP and TCP
     * where the host keeps the offset); EOPNOTSUPP otherwise.
     */
    protected boolean peeksAtOffset() {
        return false;
    }

    /** SO_ACCEPTCONN: listening. */
    protected abstract boolean listening();

    /** SO_PEERPIDFD: the peer's process when it connected (or the pair's creator), or null (ENODATA). */
    public GuestProcess peerProcess() {
        return null;
    }

    /** SO_PEERCRED: the credentials of the peer when it connected (or of the pair's creator), or null. */
    protected Ucred peerCredentials() {
        return null;
    }

    /** Takes the pending error (SO_ERROR, sock_error): 0 for none. */
    public abstract int takeError();

    /** Makes {@code e} the pending error (sk_err), as recvmmsg keeps one that cut a batch short. */
    public abstract void keepError(Errno e);

    /** Whether the family has options of its own (Linux's ops->setsockopt): levels other than SOL_SOCKET. */
    public boolean hasProtocolOptions() {
        return false;
    }

    // ---- SOL_SOCKET state ----

    public final int sendBuffer() {
        return sndbuf;
    }

    public final int receiveBuffer() {
        return rcvbuf;
    }

    public final boolean passCredentials() {
        return (flags & PASSCRED) != 0;
    }

    /** SO_PASSPIDFD: an SCM_PIDFD of the sender with each message. */
    public final boolean passPidfd() {
        return (flags & PASSPIDFD) != 0;
    }

    /** sk_peek_offset: where a receive with {@code msgFlags} starts, negative for the front. */
    protected final int peekOffset(int msgFlags) {
        return (msgFlags & MSG_PEEK) != 0 ? peekOff : 0;
    }

    /** sk_peek_offset_bwd: {@code n} bytes were taken from the front; an offset in use moves back, not below 0. */
    protected final void peekBackward(int n) {
        int off = peekOff;
        if (off >= 0) {
            peekOff = Math.max(off - n, 0);
        }
    }

    /** sk_peek_offset_fwd: {@code n} bytes were peeked; an offset in use moves past them. */
    protected final void peekForward(int n) {
        peekBackward(-n);
    }

    /** The receive timeout (MSG_DONTWAIT is none at all: 0), in nanoseconds; {@link #FOREVER} for none. */
    public final long receiveTimeout(boolean dontwait) {
        return dontwait ? 0 : toNanos(rcvtimeo);
    }

    public final long sendTimeout(boolean dontwait) {
        return dontwait ? 0 : toNanos(sndtimeo);
    }

    public final int receiveLowWater() {
        return rcvlowat;
    }

    private static long toNanos(long jiffies) {
        return jiffies == FOREVER ? FOREVER : jiffies * (1_000_000_000L / HZ);
    }

    /** What accept gives the new socket of a listener (unix_sock_inherit_flags): SO_PASSCRED, SO_PASSPIDFD and SO_PASSSEC. */
    protected final void inheritFlags(SocketFile listener) {
        flags |= listener.flags & (PASSCRED | PASSPIDFD | PASSSEC);
    }

    private synchronized void setFlag(int flag, boolean on) {
        flags = on ? flags | flag : flags & ~flag;
    }

    /** setsockopt's value: {@code length()} bytes at a guest address, read only as far as an option needs. */
    public interface OptionValue {
        int length();

        /** The first {@code n} bytes (EFAULT when they cannot be read). */
        byte[] read(int n) throws ErrnoException;
    }

    /** setsockopt(2), as sock_setsockopt and the family's own. */
    public final void setOption(GuestThread t, int level, int name, OptionValue value) throws ErrnoException {
        if (level != SOL_SOCKET) {
            setProtocolOption(level, name, value);
            return;
        }
        if (name == SO_BINDTODEVICE) {
            bindToDevice(t, value);
            return;
        }
        if (value.length() < 4) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int val = le(value.read(4)).getInt(0);
        boolean on = val != 0;
        boolean privileged = t.process().credentials().capable(GuestProcess.CAP_NET_ADMIN);
        switch (name) {
            case SO_DEBUG -> {
                if (on && !privileged) {
                    throw new ErrnoException(Errno.EACCES);
                }
                setFlag(DEBUG, on);
            }
            case SO_REUSEADDR -> setFlag(REUSEADDR, on);
            case SO_REUSEPORT -> {
                if (on && !reusesPorts()) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                setFlag(REUSEPORT, on);
            }
            case SO_TYPE, SO_PROTOCOL, SO_DOMAIN, SO_ERROR, SO_SNDLOWAT, SO_PEERCRED, SO_ACCEPTCONN ->
                throw new ErrnoException(Errno.ENOPROTOOPT);
            case SO_DONTROUTE -> setFlag(DONTROUTE, on);
            case SO_BROADCAST -> setFlag(BROADCAST, on);
            case SO_SNDBUF -> {
                sndbuf = Math.max(Math.min(cap(val, WMEM_MAX), Integer.MAX_VALUE / 2) * 2, SOCK_MIN_SNDBUF);
                lock(SNDBUF_LOCK);
            }
            case SO_SNDBUFFORCE -> {
                requirePrivilege(privileged);
                sndbuf = Math.max(Math.min(val < 0 ? 0 : val, Integer.MAX_VALUE / 2) * 2, SOCK_MIN_SNDBUF);
                lock(SNDBUF_LOCK);
            }
            case SO_RCVBUF -> {
                rcvbuf = Math.max(Math.min(cap(val, RMEM_MAX), Integer.MAX_VALUE / 2) * 2, SOCK_MIN_RCVBUF);
                lock(RCVBUF_LOCK);
            }
            case SO_RCVBUFFORCE -> {
                requirePrivilege(privileged);
                rcvbuf = Math.max(Math.min(val < 0 ? 0 : val, Integer.MAX_VALUE / 2) * 2, SOCK_MIN_RCVBUF);
                lock(RCVBUF_LOCK);
            }
            case SO_KEEPALIVE -> setFlag(KEEPALIVE, on);
            case SO_OOBINLINE -> setFlag(OOBINLINE, on);
            case SO_NO_CHECK -> setFlag(NO_CHECK, on);
            case SO_PRIORITY -> {
                if ((val < 0 || val > 6) && !privileged) {
                    throw new ErrnoException(Errno.EPERM);
                }
                priority = val;
            }
            case SO_LINGER -> {
                if (value.length() < Linger.SIZE) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                Linger l = Linger.readFrom(le(value.read(Linger.SIZE)), 0);
                // The seconds (an unsigned long of the int) become jiffies, capped at MAX_SCHEDULE_TIMEOUT.
                long seconds = l.linger();
                long jiffies = Long.compareUnsigned(seconds, FOREVER / HZ) >= 0 ? FOREVER : seconds * HZ;
                lingering = l.onoff() != 0;
                if (lingering) {
                    lingerJiffies = jiffies;
                }
            }
            case SO_BSDCOMPAT -> { }
            case SO_PASSCRED -> {
                if (!takesCredentials()) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                setFlag(PASSCRED, on);
            }
            case SO_PASSSEC -> setFlag(PASSSEC, on);
            case SO_PASSPIDFD -> {
                if (family != AF_UNIX) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                setFlag(PASSPIDFD, on);
            }
            case SO_TIMESTAMP_OLD, SO_TIMESTAMPNS_OLD, SO_TIMESTAMP_NEW, SO_TIMESTAMPNS_NEW -> {
                if (!timestamps(name)) {
                    throw new ErrnoException(Errno.ENOPROTOOPT);
                }
                setTimestamp(name, on);
            }
            case SO_TIMESTAMPING_OLD, SO_TIMESTAMPING_NEW -> setTimestamping(name, value, val);
            case SO_WIFI_STATUS -> setFlag(WIFI_STATUS, on);
            case SO_NOFCS -> setFlag(NOFCS, on);
            case SO_SELECT_ERR_QUEUE -> setFlag(SELECT_ERR_QUEUE, on);
            case SO_RCVMARK -> setFlag(RCVMARK, on);
            case SO_CNX_ADVICE -> { }
            case SO_INCOMING_CPU -> incomingCpu = val;
            case SO_BUSY_POLL -> {
                if (val > busyPollUsecs && !privileged) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if (val < 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                busyPollUsecs = val;
            }
            case SO_PREFER_BUSY_POLL -> {
                if (on && !privileged) {
                    throw new ErrnoException(Errno.EPERM);
                }
                preferBusyPoll = on;
            }
            case SO_BUSY_POLL_BUDGET -> {
                if (val > busyPollBudget && !privileged) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if (val < 0 || val > 0xffff) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                busyPollBudget = val;
            }
            case SO_MAX_PACING_RATE -> maxPacingRate = value.length() >= 8 ? le(value.read(8)).getLong(0)
                    : val == -1 ? -1 : val & 0xffffffffL;
            case SO_TXREHASH -> {
                if (!inet()) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                if (val < -1 || val > 1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                // SOCK_TXREHASH_DEFAULT (255, as the u8 of -1) takes net.core.txrehash: enabled.
                txrehash = val == 0 ? 0 : 1;
            }
            case SO_ZEROCOPY -> {
                // Zerocopy sends report their completion on the error queue, which jlx does not keep.
                if (inet()) {
                    throw new ErrnoException(Errno.ENOPROTOOPT);
                }
                throw new ErrnoException(Errno.EOPNOTSUPP);
            }
            case SO_TXTIME -> {
                if (value.length() != 8) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                ByteBuffer b = le(value.read(8));
                int clock = b.getInt(0);
                int txFlags = b.getInt(4);
                if ((txFlags & ~3) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (clock != dev.jlx.abi.Clocks.CLOCK_MONOTONIC && !privileged) {
                    throw new ErrnoException(Errno.EPERM);
                }
                txtime = b.getLong(0);
            }
            case SO_BINDTOIFINDEX -> {
                if (boundDevice != 0 && !t.process().credentials().capable(GuestProcess.CAP_NET_RAW)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if (val < 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                boundDevice = val;
            }
            case SO_BUF_LOCK -> {
                if ((val & ~(SNDBUF_LOCK | RCVBUF_LOCK)) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                userLocks = val;
            }
            // No memory cgroup charges sockets here: sock_reserve_memory has nothing to reserve from.
            case SO_RESERVE_MEM -> throw new ErrnoException(val < 0 ? Errno.EINVAL : Errno.EOPNOTSUPP);
            case SO_PEEK_OFF -> {
                // Any value, negative ones too, is kept as it is (unix_set_peek_off, sk_set_peek_off).
                if (!peeksAtOffset()) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                peekOff = val;
            }
            case SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF -> attachFilter(t, name, value);
            case SO_DETACH_FILTER -> {
                if (flag(FILTER_LOCKED) != 0) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if (filter == null) {
                    throw new ErrnoException(Errno.ENOENT);
                }
                filter = null;
            }
            case SO_LOCK_FILTER -> {
                if (flag(FILTER_LOCKED) != 0 && !on) {
                    throw new ErrnoException(Errno.EPERM);
                }
                setFlag(FILTER_LOCKED, on);
            }
            case SO_ATTACH_BPF, SO_ATTACH_REUSEPORT_EBPF -> {
                // An eBPF program's descriptor: jlx makes none (bpf(2) is ENOSYS), so any file is not one.
                if (value.length() != 4) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (flag(FILTER_LOCKED) != 0) {
                    throw new ErrnoException(Errno.EPERM);
                }
                t.process().fds().get(val);
                throw new ErrnoException(Errno.EINVAL);
            }
            case SO_DETACH_REUSEPORT_BPF -> throw new ErrnoException(flag(REUSEPORT) != 0 ? Errno.ENOENT : Errno.EINVAL);
            case SO_RXQ_OVFL -> setFlag(RXQ_OVFL, on);
            case SO_RCVLOWAT -> rcvlowat = val < 0 ? Integer.MAX_VALUE : val == 0 ? 1 : val;
            case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW -> rcvtimeo = timeout(value);
            case SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> sndtimeo = timeout(value);
            case SO_MARK -> {
                requirePrivilege(privileged);
                mark = val;
            }
            default -> throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        socketOptionSet(name, value);
    }

    /**
     * A SOL_SOCKET option was set here (its checks passed): a socket whose family lives on the host
     * passes it on (the value as the guest gave it).
     */
    protected void socketOptionSet(int name, OptionValue value) throws ErrnoException {
    }

    /**
     * A SOL_SOCKET option's value as the family knows it better than these fields (a host socket's
     * buffer sizes, the flags its listener handed down), cut to {@code length}; null for the fields'.
     */
    protected byte[] socketOption(int name, int length) throws ErrnoException {
        return null;
    }

    /**
     * SO_BINDTODEVICE (sock_setbindtodevice): up to IFNAMSIZ - 1 bytes of an interface's name (ENODEV
     * for none of that name); an empty one unbinds. Changing a binding needs CAP_NET_RAW (EPERM).
     */
    private void bindToDevice(GuestThread t, OptionValue value) throws ErrnoException {
        if (value.length() < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] name = value.read(Math.min(value.length(), 15));
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        int index = 0;
        if (end > 0) {
            Interfaces.Link l = Interfaces.byName(t.process().kernel().interfaces().get(),
                    new String(name, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1));
            if (l == null) {
                throw new ErrnoException(Errno.ENODEV);
            }
            index = l.index();
        }
        if (boundDevice != 0 && !t.process().credentials().capable(GuestProcess.CAP_NET_RAW)) {
            throw new ErrnoException(Errno.EPERM);
        }
        boundDevice = index;
    }

    private synchronized void lock(int bit) {
        userLocks |= bit;
    }

    private boolean inet() {
        return family == AF_INET || family == AF_INET6;
    }

    /** sock_set_timestamp: which stamp a receive gets (the last option set on wins); off clears both. */
    private synchronized void setTimestamp(int name, boolean on) {
        if (!on) {
            flags &= ~(RCVTSTAMP | RCVTSTAMPNS);
            return;
        }
        boolean isNew = name == SO_TIMESTAMP_NEW || name == SO_TIMESTAMPNS_NEW;
        boolean ns = name == SO_TIMESTAMPNS_OLD || name == SO_TIMESTAMPNS_NEW;
        flags = (flags & ~(TSTAMP_NEW | RCVTSTAMPNS)) | RCVTSTAMP | (isNew ? TSTAMP_NEW : 0) | (ns ? RCVTSTAMPNS : 0);
    }

    /**
     * sock_set_timestamping: the flags (a whole {@code struct so_timestamping} when optlen is its
     * size), unknown bits and OPT_ID_TCP without OPT_ID refused; a PHC to bind to is one jlx has not.
     */
    private void setTimestamping(int name, OptionValue value, int val) throws ErrnoException {
        int phc = value.length() == 8 ? le(value.read(8)).getInt(4) : 0;
        if ((val & ~SOF_TIMESTAMPING_MASK) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((val & SOF_TIMESTAMPING_OPT_ID_TCP) != 0 && (val & SOF_TIMESTAMPING_OPT_ID) == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((val & SOF_TIMESTAMPING_BIND_PHC) != 0) {
            // sock_timestamping_bind_phc: no device is bound, so there is no PHC vclock of index phc.
            throw new ErrnoException(Errno.EINVAL);
        }
        synchronized (this) {
            flags = name == SO_TIMESTAMPING_NEW ? flags | TSTAMP_NEW : flags & ~TSTAMP_NEW;
            tsflags = val;
        }
    }

    /**
     * SO_ATTACH_FILTER (sk_attach_filter) and SO_ATTACH_REUSEPORT_CBPF: a {@code struct sock_fprog}
     * (exactly its size), EPERM once locked, the program checked as bpf_check_classic does.
     */
    private void attachFilter(GuestThread t, int name, OptionValue value) throws ErrnoException {
        if (value.length() != 16) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteBuffer fprog = le(value.read(16));
        int len = Short.toUnsignedInt(fprog.getShort(0));
        long insns = fprog.getLong(8);
        if (flag(FILTER_LOCKED) != 0) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (insns == 0 || len == 0 || len > ClassicBpf.MAXINSNS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] program = t.process().space().memory().read(insns, len * ClassicBpf.INSN_SIZE);
        ClassicBpf.check(program);
        if (name == SO_ATTACH_REUSEPORT_CBPF) {
            // sk_reuseport_attach_filter: only a socket of a reuseport group takes one; jlx steers none.
            if (flag(REUSEPORT) != 0) {
                t.process().kernel().warnOnce("reuseport-cbpf", "SO_ATTACH_REUSEPORT_CBPF: jlx steers no reuseport"
                        + " group (EOPNOTSUPP)");
                throw new ErrnoException(Errno.EOPNOTSUPP);
            }
            throw new ErrnoException(Errno.EINVAL);
        }
        filter = program;
    }

    /**
     * What getsockopt's optlen becomes when {@link #option} gave {@code copied} bytes: the same but
     * for SO_GET_FILTER (counted in instructions) and a family's own exceptions.
     */
    public int optionLength(int level, int name, int copied) {
        if (level == SOL_SOCKET && name == SO_GET_FILTER) {
            byte[] program = filter;
            return program == null ? 0 : program.length / ClassicBpf.INSN_SIZE;
        }
        return copied;
    }

    /** The stamp a receive of this socket's own making gets (__sock_recv_timestamp): none unless asked for. */
    protected final void stamp(Incoming m) {
        int type = timestampType();
        if (type == 0) {
            return;
        }
        java.time.Instant now = java.time.Instant.now();
        boolean ns = type == SO_TIMESTAMPNS_OLD || type == SO_TIMESTAMPNS_NEW;
        m.messages.add(new Incoming.Control(SOL_SOCKET, type, le(new byte[16]).putLong(0, now.getEpochSecond())
                .putLong(8, ns ? now.getNano() : now.getNano() / 1000).array()));
    }

    /**
     * Runs the attached filter over a packet about to be queued on this socket (sk_filter): the
     * bytes to keep (the packet cut to them when fewer), -1 to drop it; the whole length without one.
     */
    protected final int filtered(byte[] packet) {
        byte[] program = filter;
        if (program == null) {
            return packet.length;
        }
        long keep = ClassicBpf.run(program, packet);
        return keep == 0 ? -1 : (int) Math.min(keep, packet.length);
    }

    /** The receive timestamp's control message type (SO_TIMESTAMP_OLD and its kin), 0 for none. */
    public final int timestampType() {
        int f = flags;
        if ((f & RCVTSTAMP) == 0) {
            return 0;
        }
        boolean ns = (f & RCVTSTAMPNS) != 0;
        return (f & TSTAMP_NEW) != 0 ? ns ? SO_TIMESTAMPNS_NEW : SO_TIMESTAMP_NEW
                : ns ? SO_TIMESTAMPNS_OLD : SO_TIMESTAMP_OLD;
    }

    /** The buffer options take their value as a u32 capped at the sysctl's maximum. */
    private static int cap(int val, int max) {
        return Integer.compareUnsigned(val, max) > 0 ? max : val;
    }

    /** SO_*FORCE and SO_MARK need CAP_NET_ADMIN. */
    private static void requirePrivilege(boolean privileged) throws ErrnoException {
        if (!privileged) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    /**
     * sock_set_timeout: a {@code struct timeval} (16 bytes, old and new alike on x86-64); EDOM for
     * microseconds out of range, none at all for a negative time, jiffies rounded up otherwise.
     */
    private static long timeout(OptionValue value) throws ErrnoException {
        if (value.length() < 16) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteBuffer b = le(value.read(16));
        long sec = b.getLong(0);
        long usec = b.getLong(8);
        if (usec < 0 || usec >= 1_000_000) {
            throw new ErrnoException(Errno.EDOM);
        }
        if (sec < 0) {
            return 0;
        }
        if ((sec == 0 && usec == 0) || sec >= FOREVER / HZ - 1) {
            return FOREVER;
        }
        return sec * HZ + (usec + 1_000_000 / HZ - 1) / (1_000_000 / HZ);
    }

    /**
     * getsockopt(2) for an option buffer of {@code length} bytes (not negative): the bytes to copy out,
     * whose count is what optlen becomes, as sock_getsockopt and the family's own.
     */
    public final byte[] option(int level, int name, int length) throws ErrnoException {
        if (level != SOL_SOCKET) {
            return protocolOption(level, name, length);
        }
        byte[] own = socketOption(name, length);
        if (own != null) {
            return own;
        }
        long v;
        switch (name) {
            case SO_DEBUG -> v = flag(DEBUG);
            case SO_DONTROUTE -> v = flag(DONTROUTE);
            case SO_BROADCAST -> v = flag(BROADCAST);
            case SO_SNDBUF -> v = sndbuf;
            case SO_RCVBUF -> v = rcvbuf;
            case SO_REUSEADDR -> v = flag(REUSEADDR);
            case SO_REUSEPORT -> v = flag(REUSEPORT);
            case SO_KEEPALIVE -> v = flag(KEEPALIVE);
            case SO_TYPE -> v = type;
            case SO_PROTOCOL -> v = protocol;
            case SO_DOMAIN -> v = family;
            case SO_ERROR -> v = takeError();
            case SO_OOBINLINE -> v = flag(OOBINLINE);
            case SO_NO_CHECK -> v = flag(NO_CHECK);
            case SO_PRIORITY -> v = priority;
            case SO_LINGER -> {
                ByteBuffer b = ByteBuffer.allocate(Linger.SIZE).order(ByteOrder.LITTLE_ENDIAN);
                new Linger(lingering ? 1 : 0, (int) (lingerJiffies / HZ)).writeTo(b, 0);
                return cut(b.array(), length);
            }
            case SO_BSDCOMPAT, SO_PASSSEC -> v = name == SO_PASSSEC ? flag(PASSSEC) : 0;
            case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW, SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> {
                long jiffies = name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW ? rcvtimeo : sndtimeo;
                ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                if (jiffies != FOREVER) {
                    b.putLong(0, jiffies / HZ).putLong(8, jiffies % HZ * 1_000_000 / HZ);
                }
                return cut(b.array(), length);
            }
            case SO_RCVLOWAT -> v = rcvlowat;
            case SO_SNDLOWAT -> v = 1;
            case SO_PASSCRED -> v = flag(PASSCRED);
            case SO_PEERCRED -> {
                Ucred c = peerCredentials();
                ByteBuffer b = ByteBuffer.allocate(Ucred.SIZE).order(ByteOrder.LITTLE_ENDIAN);
                (c != null ? c : new Ucred(0, -1, -1)).writeTo(b, 0);
                return cut(b.array(), length);
            }
            case SO_PEERNAME -> {
                byte[] peer;
                try {
                    peer = peerAddress();
                } catch (ErrnoException e) {
                    throw new ErrnoException(Errno.ENOTCONN);
                }
                if (peer.length < length) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return cut(peer, length);
            }
            case SO_ACCEPTCONN -> v = listening() ? 1 : 0;
            case SO_MARK -> v = mark;
            case SO_RXQ_OVFL -> v = flag(RXQ_OVFL);
            case SO_BINDTODEVICE -> {
                // sock_getbindtodevice: unbound, nothing (optlen 0); else the name and its NUL.
                if (boundDevice == 0) {
                    return new byte[0];
                }
                if (length < 16) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                GuestThread t = Kernel.caller();
                Interfaces.Link l = t == null ? null
                        : Interfaces.byIndex(t.process().kernel().interfaces().get(), boundDevice);
                if (l == null) {
                    throw new ErrnoException(Errno.ENODEV);
                }
                byte[] n = l.name().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                return java.util.Arrays.copyOf(n, n.length + 1);
            }
            case SO_INCOMING_CPU -> v = incomingCpu;
            case SO_GET_FILTER -> {
                // sk_get_filter: optlen counts instructions; 0 only asks how many.
                byte[] program = filter;
                if (program == null || length == 0) {
                    return new byte[0];
                }
                if (length < program.length / ClassicBpf.INSN_SIZE) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return program.clone();
            }
            case SO_TIMESTAMP_OLD -> v = (flags & (RCVTSTAMP | TSTAMP_NEW | RCVTSTAMPNS)) == RCVTSTAMP ? 1 : 0;
            case SO_TIMESTAMPNS_OLD -> v = (flags & (RCVTSTAMPNS | TSTAMP_NEW)) == RCVTSTAMPNS ? 1 : 0;
            case SO_TIMESTAMP_NEW -> v = (flags & (RCVTSTAMP | TSTAMP_NEW)) == (RCVTSTAMP | TSTAMP_NEW) ? 1 : 0;
            case SO_TIMESTAMPNS_NEW -> v = (flags & (RCVTSTAMPNS | TSTAMP_NEW)) == (RCVTSTAMPNS | TSTAMP_NEW) ? 1 : 0;
            case SO_TIMESTAMPING_OLD, SO_TIMESTAMPING_NEW -> {
                // struct so_timestamping: the flags and the PHC bound to (none).
                return cut(le(new byte[8]).putInt(0, tsflags).array(), length);
            }
            case SO_WIFI_STATUS -> v = flag(WIFI_STATUS);
            case SO_NOFCS -> v = flag(NOFCS);
            case SO_SELECT_ERR_QUEUE -> v = flag(SELECT_ERR_QUEUE);
            case SO_RCVMARK -> v = flag(RCVMARK);
            case SO_LOCK_FILTER -> v = flag(FILTER_LOCKED);
            case SO_ZEROCOPY -> v = 0;
            case SO_BPF_EXTENSIONS -> v = SKF_AD_MAX;
            case SO_BUSY_POLL -> v = busyPollUsecs;
            case SO_PREFER_BUSY_POLL -> v = preferBusyPoll ? 1 : 0;
            case SO_MAX_PACING_RATE -> {
                if (length >= 8) {
                    return le(new byte[8]).putLong(0, maxPacingRate).array();
                }
                v = Long.compareUnsigned(maxPacingRate, 0xffffffffL) > 0 ? -1 : (int) maxPacingRate;
            }
            case SO_INCOMING_NAPI_ID -> v = 0;
            case SO_TXTIME -> {
                return cut(le(new byte[8]).putLong(0, txtime).array(), length);
            }
            case SO_BINDTOIFINDEX -> v = boundDevice;
            case SO_BUF_LOCK -> v = userLocks;
            case SO_RESERVE_MEM -> v = 0;
            case SO_TXREHASH -> {
                if (!inet()) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                v = txrehash;
            }
            case SO_PEEK_OFF -> {
                if (!peeksAtOffset()) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                v = peekOff;
            }
            case SO_PASSPIDFD -> {
                if (family != AF_UNIX) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                v = flag(PASSPIDFD);
            }
            case SO_MEMINFO -> {
                // sk_get_meminfo: an AF_UNIX message is charged to its sender, by its bytes here (Linux: truesize).
                ByteBuffer b = le(new byte[36]);
                b.putInt(4, rcvbuf).putInt(8, outputQueued()).putInt(12, sndbuf);
                return cut(b.array(), length);
            }
            case SO_NETNS_COOKIE -> {
                if (length != 8) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                // The guest's one network namespace: the first cookie handed out.
                return le(new byte[8]).putLong(0, 1).array();
            }
            case SO_PEERGROUPS -> {
                if (peerCredentials() == null) {
                    throw new ErrnoException(Errno.ENODATA);
                }
                throw new ErrnoException(Errno.ENOPROTOOPT);
            }
            case SO_COOKIE -> {
                // Its u64 is not cut to a shorter buffer, as the ints are.
                if (length < 8) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                synchronized (this) {
                    if (cookie == 0) {
                        cookie = COOKIES.incrementAndGet();
                    }
                }
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, cookie);
                return cut(b.array(), length);
            }
            default -> throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) v);
        return cut(b.array(), length);
    }

    private int flag(int bit) {
        return (flags & bit) != 0 ? 1 : 0;
    }

    /** An option's value cut to the caller's buffer, as sock_getsockopt's "if (len > lv) len = lv". */
    private static byte[] cut(byte[] value, int length) {
        return length >= value.length ? value : java.util.Arrays.copyOf(value, length);
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---- the open file ----

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        Incoming in = new Incoming(List.of(dst), nonblocking() ? MSG_DONTWAIT : 0, false, false);
        return (int) receive(Kernel.caller(), in);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        return (int) send(Kernel.caller(), new Outgoing(List.of(src), null, null, null,
                nonblocking() ? MSG_DONTWAIT : 0, false));
    }

    public final boolean nonblocking() {
        return (statusFlags() & OpenFlags.O_NONBLOCK) != 0;
    }

    @Override
    public HostStat stat() {
        return new HostStat(SOCKFS_DEV, inode, FileMode.S_IFSOCK | 0777, 1, uid, gid, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public HostStatfs statfs() {
        return new HostStatfs(SOCKFS_MAGIC, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, dev.jlx.abi.struct.Statfs.ST_VALID);
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        return inputQueued();
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public boolean isPipe() {
        return false;
    }

    @Override
    public final int poll(int events) {
        return readyEvents() & events;
    }

    /** The protocol's name (sk_prot->name), which sockfs's system.sockprotoname attribute gives. */
    public final String protocolName() {
        return switch (family) {
            case AF_UNIX -> type == SOCK_STREAM ? "UNIX-STREAM" : "UNIX";
            case AF_NETLINK -> "NETLINK";
            case AF_INET, AF_INET6 -> {
                if (protocol == dev.jlx.abi.Inet.IPPROTO_UDPLITE && type == SOCK_DGRAM) {
                    yield family == AF_INET6 ? "UDPLITEv6" : "UDP-Lite";
                }
                yield (type == SOCK_STREAM ? "TCP" : type == SOCK_RAW ? "RAW"
                        : protocol == dev.jlx.abi.Inet.IPPROTO_ICMP || protocol == dev.jlx.abi.Inet.IPPROTO_ICMPV6 ? "PING"
                        : "UDP") + (family == AF_INET6 ? "v6" : "");
            }
            default -> "";
        };
    }

    /** "socket:[inode]", the name /proc/PID/fd shows. */
    public final String name() {
        return "socket:[" + inode + "]";
    }

    // ---- waiting ----

    /**
     * Waits on {@code condition} (its lock held) for at most {@code left} nanoseconds; the time left.
     * A signal is EINTR, which SA_RESTART restarts only for a wait without a timeout
     * (sock_intr_errno: ERESTARTSYS then, EINTR otherwise).
     */
    protected static long await(Condition condition, long left) throws ErrnoException {
        try {
            if (left == FOREVER) {
                condition.await();
                return FOREVER;
            }
            return Math.max(0, condition.awaitNanos(left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(left);
        }
    }

    /**
     * What a wait a signal ended gives (sock_intr_errno): EINTR, which SA_RESTART restarts only for a
     * wait without a timeout ({@code left} {@link #FOREVER}); with one, EINTR for good (signal(7)).
     */
    protected static ErrnoException interrupted(long left) {
        return left == FOREVER ? new ErrnoException(Errno.EINTR) : ErrnoException.interruptedForGood();
    }

    /** A signal already pending ends a wait before it starts, as signal_pending does. */
    protected static void checkSignal(long left) throws ErrnoException {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(left);
        }
    }

    /** Sends SIGPIPE to the calling thread, as the families do on EPIPE without MSG_NOSIGNAL (send_sig). */
    protected static void sigpipe(GuestThread t, int flags) {
        if ((flags & MSG_NOSIGNAL) == 0 && t != null) {
            GuestProcess p = t.process();
            p.signalThread(t, Siginfo.kill(Signals.SIGPIPE, Signals.SI_USER, p.pid(), p.credentials().uid()));
        }
    }
}
