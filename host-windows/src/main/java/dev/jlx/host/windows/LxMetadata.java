package dev.jlx.host.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * How WSL keeps Linux metadata on NTFS (DrvFs "metadata" mode), which jlx follows byte for byte so
 * that a tree is read the same by WSL, by Linux's SMB client (fs/smb/client/reparse.c) and by jlx:
 * EAs {@code $LXUID}, {@code $LXGID}, {@code $LXMOD} (4 bytes little-endian each; the mode with its
 * S_IFMT type bits) and {@code $LXDEV} (8 bytes: major then minor, each u32 little-endian), and a
 * reparse point on every file that is neither regular nor a directory.
 */
public final class LxMetadata {
    public static final String UID = "$LXUID";
    public static final String GID = "$LXGID";
    public static final String MODE = "$LXMOD";
    public static final String DEV = "$LXDEV";

    /** IO_REPARSE_TAG_LX_SYMLINK: data is a u32 version (2) and the target's bytes, no NUL. */
    public static final int TAG_LX_SYMLINK = 0xA000001D;
    /** IO_REPARSE_TAG_AF_UNIX: a socket; no data. */
    public static final int TAG_AF_UNIX = 0x80000023;
    /** IO_REPARSE_TAG_LX_FIFO; no data. */
    public static final int TAG_LX_FIFO = 0x80000024;
    /** IO_REPARSE_TAG_LX_CHR; no data (the device number is $LXDEV). */
    public static final int TAG_LX_CHR = 0x80000025;
    /** IO_REPARSE_TAG_LX_BLK; no data. */
    public static final int TAG_LX_BLK = 0x80000026;

    private static final int SYMLINK_VERSION = 2;

    private LxMetadata() {}

    /** A 4-byte EA value ($LXUID, $LXGID, $LXMOD). */
    public static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** The value of a 4-byte EA, or null when it is not 4 bytes long (then WSL ignores it too). */
    public static Integer u32(byte[] value) {
        return value == null || value.length != 4 ? null
                : ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** $LXDEV for a device number's major and minor. */
    public static byte[] dev(int major, int minor) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(major).putInt(minor).array();
    }

    /** {major, minor} from $LXDEV, or null when it is not 8 bytes long. */
    public static int[] dev(byte[] value) {
        if (value == null || value.length != 8) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new int[] {b.getInt(), b.getInt()};
    }

    /** The reparse data of an LX symlink to {@code target}. */
    public static byte[] symlinkData(byte[] target) {
        byte[] data = new byte[4 + target.length];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(SYMLINK_VERSION).put(target);
        return data;
    }

    /** The target bytes of an LX symlink's reparse data, or null when the data is not version 2's. */
    public static byte[] symlinkTarget(byte[] data) {
        if (data.length < 4 || ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt() != SYMLINK_VERSION) {
            return null;
        }
        return Arrays.copyOfRange(data, 4, data.length);
    }

    /** The Linux S_IFMT type bits a reparse tag stands for, or 0 for a tag that is none of WSL's. */
    public static int typeOfTag(int tag) {
        return switch (tag) {
            case TAG_LX_SYMLINK -> dev.jlx.abi.FileMode.S_IFLNK;
            case TAG_AF_UNIX -> dev.jlx.abi.FileMode.S_IFSOCK;
            case TAG_LX_FIFO -> dev.jlx.abi.FileMode.S_IFIFO;
            case TAG_LX_CHR -> dev.jlx.abi.FileMode.S_IFCHR;
            case TAG_LX_BLK -> dev.jlx.abi.FileMode.S_IFBLK;
            default -> 0;
        };
    }
}
