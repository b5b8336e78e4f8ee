package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct ucred} ({@code linux/socket.h}), 12 bytes: SCM_CREDENTIALS' and SO_PEERCRED's pid, uid, gid. */
public record Ucred(int pid, int uid, int gid) {
    public static final int SIZE = 12;
    public static final int PID = 0;
    public static final int UID = 4;
    public static final int GID = 8;

    public static Ucred readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Ucred(buf.getInt(offset + PID), buf.getInt(offset + UID), buf.getInt(offset + GID));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + PID, pid).putInt(offset + UID, uid).putInt(offset + GID, gid);
    }
}
