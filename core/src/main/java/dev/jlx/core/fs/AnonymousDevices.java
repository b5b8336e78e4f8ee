package dev.jlx.core.fs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Device numbers for file systems without a backing device (tmpfs, devfs), as Linux's
 * get_anon_bdev hands them out: major 0, a fresh minor each.
 */
public final class AnonymousDevices {
    private static final AtomicLong NEXT = new AtomicLong(0x30);

    private AnonymousDevices() {}

    public static long next() {
        return NEXT.getAndIncrement();
    }
}
