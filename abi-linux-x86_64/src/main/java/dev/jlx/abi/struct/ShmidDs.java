package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct shmid64_ds} (x86's {@code asm/shmbuf.h} for x86-64), 112 bytes. */
public record ShmidDs(IpcPerm perm, long segsz, long atime, long dtime, long ctime, int cpid, int lpid, long nattch) {
    public static final int SIZE = 112;
    public static final int SEGSZ = 48;
    public static final int ATIME = 56;
    public static final int DTIME = 64;
    public static final int CTIME = 72;
    public static final int CPID = 80;
    public static final int LPID = 84;
    public static final int NATTCH = 88;

    public static ShmidDs readFrom(ByteBuffer buf, int offset) {
        return new ShmidDs(IpcPerm.readFrom(buf, offset), buf.getLong(offset + SEGSZ), buf.getLong(offset + ATIME),
                buf.getLong(offset + DTIME), buf.getLong(offset + CTIME), buf.getInt(offset + CPID),
                buf.getInt(offset + LPID), buf.getLong(offset + NATTCH));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
        perm.writeTo(buf, offset);
        buf.putLong(offset + SEGSZ, segsz).putLong(offset + ATIME, atime).putLong(offset + DTIME, dtime)
                .putLong(offset + CTIME, ctime).putInt(offset + CPID, cpid).putInt(offset + LPID, lpid)
                .putLong(offset + NATTCH, nattch);
    }
}
