package dev.jlx.abi;

/** Flags of getrandom(2), from {@code linux/random.h}. */
public final class Random {
    private Random() {}

    public static final int GRND_NONBLOCK = 0x0001;
    public static final int GRND_RANDOM = 0x0002;
    public static final int GRND_INSECURE = 0x0004;
}
