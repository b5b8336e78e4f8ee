package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct semid64_ds} (x86's {@code asm/sembuf.h} for x86-64), 104 bytes. */
public record SemidDs(IpcPerm perm, long otime, long ctime, long nsems) {
    public static final int SIZE = 104;
    public static final int OTIME = 48;
    public static final int CTIME = 64;
    public static final int NSEMS = 80;

    public static SemidDs readFrom(ByteBuffer buf, int offset) {
        return new SemidDs(IpcPerm.readFrom(buf, offset), buf.getLong(offset + OTIME), buf.getLong(offset + CTIME),
                buf.getLong(offset + NSEMS));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
        perm.writeTo(buf, offset);
        buf.putLong(offset + OTIME, otime).putLong(offset + CTIME, ctime).putLong(offset + NSEMS, nsems);
    }
}
