package dev.jlx.core.syscall;

import static dev.jlx.abi.Ioctl.*;
import static dev.jlx.abi.Netlink.IFCONF_SIZE;
import static dev.jlx.abi.Netlink.IFNAMSIZ;
import static dev.jlx.abi.Netlink.IFREQ_SIZE;
import static dev.jlx.abi.Socket.AF_INET;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.net.Interfaces;
import dev.jlx.core.net.Interfaces.Address;
import dev.jlx.core.net.Interfaces.Link;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The interface ioctls every socket takes (Linux's dev_ioctl and dev_ifconf, and for AF_INET sockets
 * devinet_ioctl), answered from one snapshot of {@link Interfaces}: SIOCGIFCONF, SIOCGIFNAME,
 * SIOCGIFINDEX, SIOCGIFFLAGS, SIOCGIFMTU, SIOCGIFMETRIC, SIOCGIFMAP, SIOCGIFTXQLEN, SIOCGIFHWADDR on
 * any socket; SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR and SIOCGIFDSTADDR on AF_INET ones (other
 * families have none: ENOTTY). The setters are EPERM: jlx grants no CAP_NET_ADMIN.
 */
final class InterfaceIoctls {
    /** struct ifreq's union, after the name. */
    private static final int IFR_DATA = IFNAMSIZ;

    private InterfaceIoctls() {}

    /** Whether {@code request} is one of these for a socket of {@code family}. */
    static boolean handles(int family, int request) {
        return switch (request) {
            case SIOCGIFCONF, SIOCGIFNAME, SIOCGIFINDEX, SIOCGIFFLAGS, SIOCGIFMTU, SIOCGIFMETRIC, SIOCGIFMAP,
                    SIOCGIFTXQLEN, SIOCGIFHWADDR, SIOCSIFFLAGS, SIOCSIFMETRIC, SIOCSIFMTU, SIOCSIFMAP, SIOCSIFTXQLEN,
                    SIOCSIFHWADDR, SIOCSIFHWBROADCAST, SIOCSIFNAME, SIOCADDMULTI, SIOCDELMULTI -> true;
            case SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR, SIOCSIFADDR, SIOCSIFNETMASK,
                    SIOCSIFBRDADDR, SIOCSIFDSTADDR -> family == AF_INET;
            default -> request >= SIOCDEVPRIVATE && request <= SIOCDEVPRIVATE + 15;
        };
    }

    static long ioctl(GuestThread t, int request, long arg) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        List<Link> links = t.process().kernel().interfaces().get();
        if (request == SIOCGIFCONF) {
            return ifconf(mem, links, arg);
        }
        ByteBuffer ifr = mem.readStruct(arg, IFREQ_SIZE);
        // The name is cut to IFNAMSIZ - 1 bytes, as dev_ioctl does before anything else.
        ifr.put(IFNAMSIZ - 1, (byte) 0);
        switch (request) {
            case SIOCGIFNAME -> {
                Link l = Interfaces.byIndex(links, ifr.getInt(IFR_DATA));
                if (l == null) {
                    throw new ErrnoException(Errno.ENODEV);
                }
                byte[] name = l.name().getBytes(StandardCharsets.ISO_8859_1);
                ifr.put(0, name).put(name.length, (byte) 0);
            }
            case SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR -> inetAddress(ifr, links, request);
            case SIOCSIFADDR, SIOCSIFNETMASK, SIOCSIFBRDADDR, SIOCSIFDSTADDR, SIOCSIFFLAGS, SIOCSIFMETRIC, SIOCSIFMTU,
                    SIOCSIFMAP, SIOCSIFTXQLEN, SIOCSIFHWADDR, SIOCSIFHWBROADCAST, SIOCSIFNAME, SIOCADDMULTI,
                    SIOCDELMULTI -> throw new ErrnoException(Errno.EPERM);
            default -> {
                Link l = Interfaces.byName(links, device(ifr));
                if (l == null) {
                    throw new ErrnoException(Errno.ENODEV);
                }
                switch (request) {
                    // ifr_flags is a short: IFF_LOWER_UP and the other high flags are cut off.
                    case SIOCGIFFLAGS -> ifr.putShort(IFR_DATA, (short) l.flags());
                    case SIOCGIFINDEX -> ifr.putInt(IFR_DATA, l.index());
                    case SIOCGIFMTU -> ifr.putInt(IFR_DATA, l.mtu());
                    case SIOCGIFMETRIC -> ifr.putInt(IFR_DATA, 0);
                    case SIOCGIFTXQLEN -> ifr.putInt(IFR_DATA, l.txqlen());
                    // struct ifmap: mem_start, mem_end, base_addr, irq, dma, port: none for these devices.
                    case SIOCGIFMAP -> ifr.putLong(IFR_DATA, 0).putLong(IFR_DATA + 8, 0).putShort(IFR_DATA + 16, (short) 0)
                            .put(IFR_DATA + 18, (byte) 0).put(IFR_DATA + 19, (byte) 0).put(IFR_DATA + 20, (byte) 0);
                    case SIOCGIFHWADDR -> {
                        ifr.putShort(IFR_DATA, (short) l.type());
                        byte[] data = new byte[14];
                        System.arraycopy(l.hardware(), 0, data, 0, Math.min(14, l.hardware().length));
                        ifr.put(IFR_DATA + 2, data);
                    }
                    // A private request of the device: none of these devices has any.
                    default -> throw new ErrnoException(Errno.EOPNOTSUPP);
                }
            }
        }
        mem.writeStruct(arg, ifr);
        return 0;
    }

    /** The name an ifreq asks for, up to its NUL and without an alias after ':' (dev_ioctl looks the device up so). */
    private static String device(ByteBuffer ifr) {
        String name = name(ifr);
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    private static String name(ByteBuffer ifr) {
        int end = 0;
        while (end < IFNAMSIZ && ifr.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end];
        ifr.get(0, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * devinet_ioctl's getters: the device by the name before any ':' (ENODEV), then its address whose
     * label is the whole name, the one the caller gave first when it gave an AF_INET one
     * (EADDRNOTAVAIL when none); the answer a sockaddr_in with nothing else.
     */
    private static void inetAddress(ByteBuffer ifr, List<Link> links, int request) throws ErrnoException {
        Link l = Interfaces.byName(links, device(ifr));
        if (l == null) {
            throw new ErrnoException(Errno.ENODEV);
        }
        boolean tryMatch = (ifr.getShort(IFR_DATA) & 0xffff) == AF_INET;
        byte[] given = new byte[4];
        ifr.get(IFR_DATA + 4, given);
        Address found = null;
        // Only the device's own name labels its addresses here: jlx knows no aliases (eth0:1).
        if (name(ifr).equals(l.name())) {
            for (Address a : l.addresses()) {
                if (!a.inet6()) {
                    found = a;
                    break;
                }
            }
            if (tryMatch) {
                for (Address a : l.addresses()) {
                    if (!a.inet6() && Arrays.equals(a.address(), given)) {
                        found = a;
                        break;
                    }
                }
            }
        }
        if (found == null) {
            throw new ErrnoException(Errno.EADDRNOTAVAIL);
        }
        byte[] value = switch (request) {
            case SIOCGIFNETMASK -> found.netmask();
            case SIOCGIFBRDADDR -> found.broadcast() != null ? found.broadcast() : new byte[4];
            default -> found.address();
        };
        ifr.put(IFR_DATA, new byte[16]);
        ifr.putShort(IFR_DATA, (short) AF_INET).put(IFR_DATA + 4, value);
    }

    /**
     * dev_ifconf with inet_gifconf: one ifreq (name, sockaddr_in) per IPv4 address while whole ones
     * fit; without a buffer, the length all would take. ifc_len becomes the bytes written.
     */
    private static long ifconf(GuestMemory mem, List<Link> links, long arg) throws ErrnoException {
        ByteBuffer conf = mem.readStruct(arg, IFCONF_SIZE);
        int len = conf.getInt(0);
        long buf = conf.getLong(8);
        int total = 0;
        for (Link l : links) {
            for (Address a : l.addresses()) {
                if (a.inet6()) {
                    continue;
                }
                if (buf == 0) {
                    total += IFREQ_SIZE;
                    continue;
                }
                if (len - total < IFREQ_SIZE) {
                    break;
                }
                ByteBuffer r = ByteBuffer.allocate(IFREQ_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                r.put(0, l.name().getBytes(StandardCharsets.ISO_8859_1));
                r.putShort(IFR_DATA, (short) AF_INET).put(IFR_DATA + 4, a.address());
                mem.writeStruct(buf + total, r);
                total += IFREQ_SIZE;
            }
        }
        mem.writeInt(arg, total);
        return 0;
    }
}
