package dev.jlx.abi;

/** ioctl(2) requests jlx knows, from {@code asm-generic/ioctls.h}. */
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
    public static final int TCXONC = 0x540a;
    public static final int TCFLSH = 0x540b;
    public static final int TIOCEXCL = 0x540c;
    public static final int TIOCNXCL = 0x540d;
    public static final int TIOCSCTTY = 0x540e;
    public static final int TIOCGPGRP = 0x540f;
    public static final int TIOCSPGRP = 0x5410;
    public static final int TIOCOUTQ = 0x5411;
    public static final int TIOCSTI = 0x5412;
    public static final int TIOCGWINSZ = 0x5413;
    public static final int TIOCSWINSZ = 0x5414;
    public static final int TIOCMGET = 0x5415;
    public static final int TIOCMSET = 0x5418;
    public static final int FIONREAD = 0x541b;
    public static final int TIOCLINUX = 0x541c;
    public static final int TIOCCONS = 0x541d;
    public static final int FIONBIO = 0x5421;
    public static final int TIOCNOTTY = 0x5422;
    public static final int TIOCSETD = 0x5423;
    public static final int TIOCGETD = 0x5424;
    public static final int TCSBRKP = 0x5425;
    public static final int TIOCSBRK = 0x5427;
    public static final int TIOCCBRK = 0x5428;
    public static final int TIOCGSID = 0x5429;
    public static final int TIOCGPTN = 0x80045430;
    public static final int TIOCSPTLCK = 0x40045431;
    public static final int FIONCLEX = 0x5450;
    public static final int FIOCLEX = 0x5451;
    public static final int FIOASYNC = 0x5452;
    public static final int FIOQSIZE = 0x5460;

    /** The constant's name for {@code value} (first match), or null. Reflection: used by tracing only. */
    public static String name(int value) {
        return AbiNames.nameOf(Ioctl.class, "", value);
    }
}
