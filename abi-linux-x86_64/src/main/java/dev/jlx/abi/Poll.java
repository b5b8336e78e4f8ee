package dev.jlx.abi;

/** Event bits of poll(2), from {@code asm-generic/poll.h}. */
public final class Poll {
    private Poll() {}

    public static final int POLLIN = 0x0001;
    public static final int POLLPRI = 0x0002;
    public static final int POLLOUT = 0x0004;
    public static final int POLLERR = 0x0008;
    public static final int POLLHUP = 0x0010;
    public static final int POLLNVAL = 0x0020;
    public static final int POLLRDNORM = 0x0040;
    public static final int POLLRDBAND = 0x0080;
    public static final int POLLWRNORM = 0x0100;
    public static final int POLLWRBAND = 0x0200;
    public static final int POLLMSG = 0x0400;
    /** The peer shut down writing (or closed): a socket's, from {@code asm-generic/poll.h}. */
    public static final int POLLRDHUP = 0x2000;
}
