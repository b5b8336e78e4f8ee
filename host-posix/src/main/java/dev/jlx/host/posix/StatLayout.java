package dev.jlx.host.posix;

import dev.jlx.core.host.HostStat;
import jnr.ffi.Pointer;

/**
 * The host's {@code struct stat}, read into Linux's terms ({@link HostStat}: Linux dev_t encoding,
 * Linux mode bits through {@link HostConstants#linuxMode}). Used where statx is not (the
 * {@code portable} profile, macOS); read from a {@link Pointer} so each layout can be tested
 * anywhere with bytes laid out as its header says.
 */
enum StatLayout {
    /**
     * Linux x86-64 ({@code <bits/struct_stat.h>}, the kernel's {@code struct stat}): dev 0, ino 8,
     * nlink 16 (u64), mode 24, uid 28, gid 32, rdev 40, size 48, blksize 56, blocks 64, then
     * atime 72, mtime 88, ctime 104 as (sec, nsec); 144 bytes.
     */
    LINUX_X86_64(144) {
        @Override
        HostStat read(Pointer b, HostConstants c) {
            return new HostStat(b.getLong(0), b.getLong(8), c.linuxMode(b.getInt(24)), b.getLong(16), b.getInt(28),
                    b.getInt(32), b.getLong(40), b.getLong(48), b.getLong(56), b.getLong(64), b.getLong(72),
                    b.getLong(80), b.getLong(88), b.getLong(96), b.getLong(104), b.getLong(112));
        }
    },
    /**
     * Linux's generic layout (arm64, riscv64: {@code asm-generic/stat.h}): dev 0, ino 8, mode 16,
     * nlink 20 (u32), uid 24, gid 28, rdev 32, size 48, blksize 56 (int), blocks 64, then atime 72,
     * mtime 88, ctime 104; 128 bytes.
     */
    LINUX_GENERIC(128) {
        @Override
        HostStat read(Pointer b, HostConstants c) {
            return new HostStat(b.getLong(0), b.getLong(8), c.linuxMode(b.getInt(16)),
                    Integer.toUnsignedLong(b.getInt(20)), b.getInt(24), b.getInt(28), b.getLong(32), b.getLong(48),
                    Integer.toUnsignedLong(b.getInt(56)), b.getLong(64), b.getLong(72), b.getLong(80), b.getLong(88),
                    b.getLong(96), b.getLong(104), b.getLong(112));
        }
    },
    /**
     * macOS's 64-bit-inode struct stat ({@code __DARWIN_STRUCT_STAT64} in {@code <sys/stat.h>}, the
     * only one on arm64, {@code stat$INODE64} on Intel): dev 0 (i32), mode 4 (u16), nlink 6 (u16),
     * ino 8, uid 16, gid 20, rdev 24 (i32), then atime 32, mtime 48, ctime 64, birth time 80 as
     * (sec, nsec), size 96, blocks 104, blksize 112 (i32), flags 116, gen 120; 144 bytes.
     */
    DARWIN(144) {
        @Override
        HostStat read(Pointer b, HostConstants c) {
            return new HostStat(linuxDevOfDarwin(b.getInt(0)), b.getLong(8), c.linuxMode(b.getShort(4) & 0xffff),
                    b.getShort(6) & 0xffff, b.getInt(16), b.getInt(20), linuxDevOfDarwin(b.getInt(24)),
                    b.getLong(96), Integer.toUnsignedLong(b.getInt(112)), b.getLong(104), b.getLong(32), b.getLong(40),
                    b.getLong(48), b.getLong(56), b.getLong(64), b.getLong(72), b.getLong(80), b.getLong(88));
        }
    };

    private final int size;

    StatLayout(int size) {
        this.size = size;
    }

    int size() {
        return size;
    }

    abstract HostStat read(Pointer buf, HostConstants constants);

    /** The layout of the running host's struct stat, or null where jlx knows none (then jnr-posix reads it). */
    static StatLayout ofRunningHost() {
        jnr.ffi.Platform p = jnr.ffi.Platform.getNativePlatform();
        return switch (p.getOS()) {
            case DARWIN -> DARWIN;
            case LINUX -> switch (p.getCPU()) {
                case X86_64 -> LINUX_X86_64;
                case AARCH64 -> LINUX_GENERIC;
                default -> null;
            };
            default -> null;
        };
    }

    /** glibc's makedev: Linux's dev_t of a major and minor number. */
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return (ma & 0xfffff000L) << 32 | (ma & 0xfff) << 8 | (mi & 0xffffff00L) << 12 | (mi & 0xff);
    }

    /** A macOS dev_t ({@code <sys/types.h>}: major in bits 24-31, minor in bits 0-23) as Linux's. */
    static long linuxDevOfDarwin(int dev) {
        return makedev(dev >>> 24, dev & 0xffffff);
    }
}
