package dev.jlx.abi.struct;

/**
 * {@code struct mmsghdr} ({@code linux/socket.h}), 64 bytes: a {@link Msghdr} and the length
 * sendmmsg or recvmmsg moved for it (an unsigned int, then padding).
 */
public final class Mmsghdr {
    private Mmsghdr() {}

    public static final int SIZE = 64;
    public static final int MSG_HDR = 0;
    public static final int MSG_LEN = 56;
}
