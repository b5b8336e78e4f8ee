package dev.jlx.abi;

import java.util.Map;

/**
 * Terminal and file ioctl(2) requests, from {@code asm-generic/ioctls.h} (x86's {@code asm/ioctls.h}
 * uses it unchanged). Most predate the {@code _IOC} encoding and are plain {@code 0x54xx} numbers
 * ('T' is 0x54); the newer ones carry direction and argument size in the upper bits, so some are
 * negative as a Java int: the same 32 bits the kernel compares.
 */
public final class Ioctl {
    private Ioctl() {}

    public static final int TCGETS = 0x5401;
    public static final int TCSETS = 0x5402;
    public static final int TCSETSW = 0x5403;
    public static final int TCSETSF = 0x5404;
    public static final int TCGETA = 0x5405;
    public static final int TCSETA = 0x5406;
    public static final int TCSETAW = 0x5407;
    public static final int TCSETAF = 0x5408;
    public static final int TCSBRK = 0x5409;
    public static final int TCXONC = 0x540A;
    public static final int TCFLSH = 0x540B;
    public static final int TIOCEXCL = 0x540C;
    public static final int TIOCNXCL = 0x540D;
    public static final int TIOCSCTTY = 0x540E;
    public static final int TIOCGPGRP = 0x540F;
    public static final int TIOCSPGRP = 0x5410;
    public static final int TIOCOUTQ = 0x5411;
    public static final int TIOCSTI = 0x5412;
    public static final int TIOCGWINSZ = 0x5413;
    public static final int TIOCSWINSZ = 0x5414;
    public static final int TIOCMGET = 0x5415;
    public static final int TIOCMBIS = 0x5416;
    public static final int TIOCMBIC = 0x5417;
    public static final int TIOCMSET = 0x5418;
    public static final int TIOCGSOFTCAR = 0x5419;
    public static final int TIOCSSOFTCAR = 0x541A;
    public static final int FIONREAD = 0x541B;
    public static final int TIOCLINUX = 0x541C;
    public static final int TIOCCONS = 0x541D;
    public static final int TIOCGSERIAL = 0x541E;
    public static final int TIOCSSERIAL = 0x541F;
    public static final int TIOCPKT = 0x5420;
    public static final int FIONBIO = 0x5421;
    public static final int TIOCNOTTY = 0x5422;
    public static final int TIOCSETD = 0x5423;
    public static final int TIOCGETD = 0x5424;
    public static final int TCSBRKP = 0x5425;
    public static final int TIOCSBRK = 0x5427;
    public static final int TIOCCBRK = 0x5428;
    public static final int TIOCGSID = 0x5429;
    // termios2 (44 bytes, with c_ispeed/c_ospeed) requests, encoded _IOR/_IOW('T', nr, size).
    public static final int TCGETS2 = 0x802C542A;
    public static final int TCSETS2 = 0x402C542B;
    public static final int TCSETSW2 = 0x402C542C;
    public static final int TCSETSF2 = 0x402C542D;
    public static final int TIOCGRS485 = 0x542E;
    public static final int TIOCSRS485 = 0x542F;
    // The pty requests carry their argument size: _IOR/_IOW('T', nr, int).
    public static final int TIOCGPTN = 0x80045430;
    public static final int TIOCSPTLCK = 0x40045431;
    public static final int TIOCGDEV = 0x80045432;
    public static final int TCGETX = 0x5432;
    public static final int TCSETX = 0x5433;
    public static final int TCSETXF = 0x5434;
    public static final int TCSETXW = 0x5435;
    public static final int TIOCSIG = 0x40045436;
    public static final int TIOCVHANGUP = 0x5437;
    public static final int TIOCGPKT = 0x80045438;
    public static final int TIOCGPTLCK = 0x80045439;
    public static final int TIOCGEXCL = 0x80045440;
    public static final int TIOCGPTPEER = 0x5441;
    public static final int FIONCLEX = 0x5450;
    public static final int FIOCLEX = 0x5451;
    public static final int FIOASYNC = 0x5452;
    public static final int TIOCSERCONFIG = 0x5453;
    public static final int TIOCSERGWILD = 0x5454;
    public static final int TIOCSERSWILD = 0x5455;
    public static final int TIOCGLCKTRMIOS = 0x5456;
    public static final int TIOCSLCKTRMIOS = 0x5457;
    public static final int TIOCSERGSTRUCT = 0x5458;
    public static final int TIOCSERGETLSR = 0x5459;
    public static final int TIOCSERGETMULTI = 0x545A;
    public static final int TIOCSERSETMULTI = 0x545B;
    public static final int TIOCMIWAIT = 0x545C;
    public static final int TIOCGICOUNT = 0x545D;
    public static final int FIOQSIZE = 0x5460;

    // Socket and interface requests (linux/sockios.h): type 0x89, no size encoded.
    public static final int FIOSETOWN = 0x8901;
    public static final int SIOCSPGRP = 0x8902;
    public static final int FIOGETOWN = 0x8903;
    public static final int SIOCGPGRP = 0x8904;
    /** Whether the next byte to read is the urgent mark (an int). */
    public static final int SIOCATMARK = 0x8905;
    public static final int SIOCGIFNAME = 0x8910;
    public static final int SIOCGIFCONF = 0x8912;
    public static final int SIOCGIFFLAGS = 0x8913;
    public static final int SIOCSIFFLAGS = 0x8914;
    public static final int SIOCGIFADDR = 0x8915;
    public static final int SIOCSIFADDR = 0x8916;
    public static final int SIOCGIFDSTADDR = 0x8917;
    public static final int SIOCSIFDSTADDR = 0x8918;
    public static final int SIOCGIFBRDADDR = 0x8919;
    public static final int SIOCSIFBRDADDR = 0x891A;
    public static final int SIOCGIFNETMASK = 0x891B;
    public static final int SIOCSIFNETMASK = 0x891C;
    public static final int SIOCGIFMETRIC = 0x891D;
    public static final int SIOCSIFMETRIC = 0x891E;
    public static final int SIOCGIFMTU = 0x8921;
    public static final int SIOCSIFMTU = 0x8922;
    public static final int SIOCSIFNAME = 0x8923;
    public static final int SIOCSIFHWADDR = 0x8924;
    public static final int SIOCGIFHWADDR = 0x8927;
    public static final int SIOCADDMULTI = 0x8931;
    public static final int SIOCDELMULTI = 0x8932;
    public static final int SIOCGIFINDEX = 0x8933;
    public static final int SIOCDIFADDR = 0x8936;
    public static final int SIOCSIFHWBROADCAST = 0x8937;
    public static final int SIOCGIFTXQLEN = 0x8942;
    public static final int SIOCSIFTXQLEN = 0x8943;
    public static final int SIOCGIFMAP = 0x8970;
    public static final int SIOCSIFMAP = 0x8971;
    public static final int SIOCDEVPRIVATE = 0x89F0;

    /** An alias of FIONREAD; {@link #name} gives "FIONREAD". */
    public static final int TIOCINQ = FIONREAD;

    // Status bytes that packet mode (TIOCPKT) puts in front of the data a read returns.
    public static final int TIOCPKT_DATA = 0;
    public static final int TIOCPKT_FLUSHREAD = 1;
    public static final int TIOCPKT_FLUSHWRITE = 2;
    public static final int TIOCPKT_STOP = 4;
    public static final int TIOCPKT_START = 8;
    public static final int TIOCPKT_NOSTOP = 16;
    public static final int TIOCPKT_DOSTOP = 32;
    public static final int TIOCPKT_IOCTL = 64;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(TCGETS, "TCGETS"),
            Map.entry(TCSETS, "TCSETS"),
            Map.entry(TCSETSW, "TCSETSW"),
            Map.entry(TCSETSF, "TCSETSF"),
            Map.entry(TCGETA, "TCGETA"),
            Map.entry(TCSETA, "TCSETA"),
            Map.entry(TCSETAW, "TCSETAW"),
            Map.entry(TCSETAF, "TCSETAF"),
            Map.entry(TCSBRK, "TCSBRK"),
            Map.entry(TCXONC, "TCXONC"),
            Map.entry(TCFLSH, "TCFLSH"),
            Map.entry(TIOCEXCL, "TIOCEXCL"),
            Map.entry(TIOCNXCL, "TIOCNXCL"),
            Map.entry(TIOCSCTTY, "TIOCSCTTY"),
            Map.entry(TIOCGPGRP, "TIOCGPGRP"),
            Map.entry(TIOCSPGRP, "TIOCSPGRP"),
            Map.entry(TIOCOUTQ, "TIOCOUTQ"),
            Map.entry(TIOCSTI, "TIOCSTI"),
            Map.entry(TIOCGWINSZ, "TIOCGWINSZ"),
            Map.entry(TIOCSWINSZ, "TIOCSWINSZ"),
            Map.entry(TIOCMGET, "TIOCMGET"),
            Map.entry(TIOCMBIS, "TIOCMBIS"),
            Map.entry(TIOCMBIC, "TIOCMBIC"),
            Map.entry(TIOCMSET, "TIOCMSET"),
            Map.entry(TIOCGSOFTCAR, "TIOCGSOFTCAR"),
            Map.entry(TIOCSSOFTCAR, "TIOCSSOFTCAR"),
            Map.entry(FIONREAD, "FIONREAD"),
            Map.entry(TIOCLINUX, "TIOCLINUX"),
            Map.entry(TIOCCONS, "TIOCCONS"),
            Map.entry(TIOCGSERIAL, "TIOCGSERIAL"),
            Map.entry(TIOCSSERIAL, "TIOCSSERIAL"),
            Map.entry(TIOCPKT, "TIOCPKT"),
            Map.entry(FIONBIO, "FIONBIO"),
            Map.entry(TIOCNOTTY, "TIOCNOTTY"),
            Map.entry(TIOCSETD, "TIOCSETD"),
            Map.entry(TIOCGETD, "TIOCGETD"),
            Map.entry(TCSBRKP, "TCSBRKP"),
            Map.entry(TIOCSBRK, "TIOCSBRK"),
            Map.entry(TIOCCBRK, "TIOCCBRK"),
            Map.entry(TIOCGSID, "TIOCGSID"),
            Map.entry(TCGETS2, "TCGETS2"),
            Map.entry(TCSETS2, "TCSETS2"),
            Map.entry(TCSETSW2, "TCSETSW2"),
            Map.entry(TCSETSF2, "TCSETSF2"),
            Map.entry(TIOCGRS485, "TIOCGRS485"),
            Map.entry(TIOCSRS485, "TIOCSRS485"),
            Map.entry(TIOCGPTN, "TIOCGPTN"),
            Map.entry(TIOCSPTLCK, "TIOCSPTLCK"),
            Map.entry(TIOCGDEV, "TIOCGDEV"),
            Map.entry(TCGETX, "TCGETX"),
            Map.entry(TCSETX, "TCSETX"),
            Map.entry(TCSETXF, "TCSETXF"),
            Map.entry(TCSETXW, "TCSETXW"),
            Map.entry(TIOCSIG, "TIOCSIG"),
            Map.entry(TIOCVHANGUP, "TIOCVHANGUP"),
            Map.entry(TIOCGPKT, "TIOCGPKT"),
            Map.entry(TIOCGPTLCK, "TIOCGPTLCK"),
            Map.entry(TIOCGEXCL, "TIOCGEXCL"),
            Map.entry(TIOCGPTPEER, "TIOCGPTPEER"),
            Map.entry(FIONCLEX, "FIONCLEX"),
            Map.entry(FIOCLEX, "FIOCLEX"),
            Map.entry(FIOASYNC, "FIOASYNC"),
            // userfaultfd's (linux/userfaultfd.h), named for --trace.
            Map.entry(0xc018aa3f, "UFFDIO_API"),
            Map.entry(0xc020aa00, "UFFDIO_REGISTER"),
            Map.entry(0x8010aa01, "UFFDIO_UNREGISTER"),
            Map.entry(0x8010aa02, "UFFDIO_WAKE"),
            Map.entry(0xc028aa03, "UFFDIO_COPY"),
            Map.entry(0xc020aa04, "UFFDIO_ZEROPAGE"),
            Map.entry(0xaa00, "USERFAULTFD_IOC_NEW"),
            Map.entry(TIOCSERCONFIG, "TIOCSERCONFIG"),
            Map.entry(TIOCSERGWILD, "TIOCSERGWILD"),
            Map.entry(TIOCSERSWILD, "TIOCSERSWILD"),
            Map.entry(TIOCGLCKTRMIOS, "TIOCGLCKTRMIOS"),
            Map.entry(TIOCSLCKTRMIOS, "TIOCSLCKTRMIOS"),
            Map.entry(TIOCSERGSTRUCT, "TIOCSERGSTRUCT"),
            Map.entry(TIOCSERGETLSR, "TIOCSERGETLSR"),
            Map.entry(TIOCSERGETMULTI, "TIOCSERGETMULTI"),
            Map.entry(TIOCSERSETMULTI, "TIOCSERSETMULTI"),
            Map.entry(TIOCMIWAIT, "TIOCMIWAIT"),
            Map.entry(TIOCGICOUNT, "TIOCGICOUNT"),
            Map.entry(FIOSETOWN, "FIOSETOWN"),
            Map.entry(SIOCSPGRP, "SIOCSPGRP"),
            Map.entry(FIOGETOWN, "FIOGETOWN"),
            Map.entry(SIOCGPGRP, "SIOCGPGRP"),
            Map.entry(SIOCATMARK, "SIOCATMARK"),
            Map.entry(SIOCGIFNAME, "SIOCGIFNAME"),
            Map.entry(SIOCGIFCONF, "SIOCGIFCONF"),
            Map.entry(SIOCGIFFLAGS, "SIOCGIFFLAGS"),
            Map.entry(SIOCSIFFLAGS, "SIOCSIFFLAGS"),
            Map.entry(SIOCGIFADDR, "SIOCGIFADDR"),
            Map.entry(SIOCSIFADDR, "SIOCSIFADDR"),
            Map.entry(SIOCGIFDSTADDR, "SIOCGIFDSTADDR"),
            Map.entry(SIOCSIFDSTADDR, "SIOCSIFDSTADDR"),
            Map.entry(SIOCGIFBRDADDR, "SIOCGIFBRDADDR"),
            Map.entry(SIOCSIFBRDADDR, "SIOCSIFBRDADDR"),
            Map.entry(SIOCGIFNETMASK, "SIOCGIFNETMASK"),
            Map.entry(SIOCSIFNETMASK, "SIOCSIFNETMASK"),
            Map.entry(SIOCGIFMETRIC, "SIOCGIFMETRIC"),
            Map.entry(SIOCSIFMETRIC, "SIOCSIFMETRIC"),
            Map.entry(SIOCGIFMTU, "SIOCGIFMTU"),
            Map.entry(SIOCSIFMTU, "SIOCSIFMTU"),
            Map.entry(SIOCSIFNAME, "SIOCSIFNAME"),
            Map.entry(SIOCSIFHWADDR, "SIOCSIFHWADDR"),
            Map.entry(SIOCGIFHWADDR, "SIOCGIFHWADDR"),
            Map.entry(SIOCADDMULTI, "SIOCADDMULTI"),
            Map.entry(SIOCDELMULTI, "SIOCDELMULTI"),
            Map.entry(SIOCGIFINDEX, "SIOCGIFINDEX"),
            Map.entry(SIOCDIFADDR, "SIOCDIFADDR"),
            Map.entry(SIOCSIFHWBROADCAST, "SIOCSIFHWBROADCAST"),
            Map.entry(SIOCGIFTXQLEN, "SIOCGIFTXQLEN"),
            Map.entry(SIOCSIFTXQLEN, "SIOCSIFTXQLEN"),
            Map.entry(SIOCGIFMAP, "SIOCGIFMAP"),
            Map.entry(SIOCSIFMAP, "SIOCSIFMAP"),
            Map.entry(FIOQSIZE, "FIOQSIZE"));

    /**
     * The name of a request for tracing, {@code "TCGETS"}; null for a request this class does not know,
     * which a tracer prints as a number.
     */
    public static String name(int request) {
        return NAMES.get(request);
    }
}
