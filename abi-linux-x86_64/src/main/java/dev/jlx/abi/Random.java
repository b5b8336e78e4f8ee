package dev.jlx.abi;

/** getrandom(2) flags, from {@code linux/random.h}. */
public final class Random {
    private Random() {}

    public static final int GRND_NONBLOCK = 0x1;
    public static final int GRND_RANDOM = 0x2;
    public static final int GRND_INSECURE = 0x4;
}
