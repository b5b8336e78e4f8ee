package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct ipc64_perm} ({@code asm-generic/ipcbuf.h}), 48 bytes: key, owner, creator, mode
 * (a 32-bit {@code __kernel_mode_t} on x86-64) and sequence number, then reserved words.
 */
public record IpcPerm(int key, int uid, int gid, int cuid, int cgid, int mode, int seq) {
    public static final int SIZE = 48;
    public static final int KEY = 0;
    public static final int UID = 4;
    public static final int GID = 8;
    public static final int CUID = 12;
    public static final int CGID = 16;
    public static final int MODE = 20;
    public static final int SEQ = 24;

    public static IpcPerm readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new IpcPerm(buf.getInt(offset + KEY), buf.getInt(offset + UID), buf.getInt(offset + GID),
                buf.getInt(offset + CUID), buf.getInt(offset + CGID), buf.getInt(offset + MODE),
                Short.toUnsignedInt(buf.getShort(offset + SEQ)));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
        buf.putInt(offset + KEY, key).putInt(offset + UID, uid).putInt(offset + GID, gid).putInt(offset + CUID, cuid)
                .putInt(offset + CGID, cgid).putInt(offset + MODE, mode).putShort(offset + SEQ, (short) seq);
    }
}
