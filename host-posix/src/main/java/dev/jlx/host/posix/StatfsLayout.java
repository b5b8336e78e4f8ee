package dev.jlx.host.posix;

import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.host.HostStatfs;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jnr.ffi.Pointer;

/** The host's struct statfs, read into Linux's terms. */
enum StatfsLayout {
    /** Linux x86-64: the guest's own layout. */
    LINUX(120) {
        @Override
        HostStatfs read(Pointer b) {
            return new HostStatfs(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32),
                    b.getLong(40), b.getLong(48), b.getLong(56), b.getLong(64), b.getLong(72), b.getLong(80));
        }
    },
    /**
     * macOS's 64-bit-inode struct statfs ({@code <sys/mount.h>}): 32-bit block size first, 64-bit
     * counts, then the fsid, owner, type number (not a magic), MNT_* flags and the type's name.
     */
    DARWIN(2168) {
        @Override
        HostStatfs read(Pointer b) {
            long bsize = Integer.toUnsignedLong(b.getInt(0));
            long fsid = Integer.toUnsignedLong(b.getInt(48)) | (long) b.getInt(52) << 32;
            byte[] name = new byte[16];
            b.get(72, name, 0, name.length);
            String type = PosixBackend.string(name, StandardCharsets.US_ASCII);
            return new HostStatfs(DARWIN_MAGIC.getOrDefault(type, UNKNOWN_MAGIC), bsize, b.getLong(8), b.getLong(16),
                    b.getLong(24), b.getLong(32), b.getLong(40), fsid, DARWIN_NAME_MAX, bsize,
                    linuxMountFlags(Integer.toUnsignedLong(b.getInt(64))));
        }
    };

    /**
     * Linux's magic for each macOS file-system type name that Linux also mounts; APFS has no
     * in-tree Linux driver and gets the magic of the out-of-tree one (its superblock's "APSB").
     */
    static final Map<String, Long> DARWIN_MAGIC = Map.of(
            "apfs", 0x42535041L,
            "hfs", 0x4244L,
            "msdos", 0x4d44L,
            "exfat", 0x2011BAB0L,
            "nfs", 0x6969L,
            "smbfs", 0xFE534D42L,
            "autofs", 0x0187L,
            "devfs", Statfs.TMPFS_MAGIC);
    /** Any other type name: no Linux file system claims 0. */
    static final long UNKNOWN_MAGIC = 0;
    /** macOS's NAME_MAX for every file system it reports. */
    static final long DARWIN_NAME_MAX = 255;

    /** macOS MNT_* bits and the Linux ST_* bits they mean; ST_VALID says the flags are filled. */
    private static final long[][] MOUNT_FLAGS = {
            {0x1, Statfs.ST_RDONLY}, {0x8, Statfs.ST_NOSUID}, {0x10, Statfs.ST_NODEV}, {0x4, Statfs.ST_NOEXEC},
            {0x2, Statfs.ST_SYNCHRONOUS}, {0x10000000, Statfs.ST_NOATIME}};

    private final int size;

    StatfsLayout(int size) {
        this.size = size;
    }

    int size() {
        return size;
    }

    abstract HostStatfs read(Pointer buf);

    static long linuxMountFlags(long darwinFlags) {
        long flags = Statfs.ST_VALID;
        for (long[] pair : MOUNT_FLAGS) {
            if ((darwinFlags & pair[0]) != 0) {
                flags |= pair[1];
            }
        }
        return flags;
    }
}
