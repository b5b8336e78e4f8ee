package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct msqid64_ds} ({@code asm-generic/msgbuf.h}, which x86-64 uses), 120 bytes. */
public record MsqidDs(IpcPerm perm, long stime, long rtime, long ctime, long cbytes, long qnum, long qbytes, int lspid,
        int lrpid) {
    public static final int SIZE = 120;
    public static final int STIME = 48;
    public static final int RTIME = 56;
    public static final int CTIME = 64;
    public static final int CBYTES = 72;
    public static final int QNUM = 80;
    public static final int QBYTES = 88;
    public static final int LSPID = 96;
    public static final int LRPID = 100;

    public static MsqidDs readFrom(ByteBuffer buf, int offset) {
        return new MsqidDs(IpcPerm.readFrom(buf, offset), buf.getLong(offset + STIME), buf.getLong(offset + RTIME),
                buf.getLong(offset + CTIME), buf.getLong(offset + CBYTES), buf.getLong(offset + QNUM),
                buf.getLong(offset + QBYTES), buf.getInt(offset + LSPID), buf.getInt(offset + LRPID));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
        perm.writeTo(buf, offset);
        buf.putLong(offset + STIME, stime).putLong(offset + RTIME, rtime).putLong(offset + CTIME, ctime)
                .putLong(offset + CBYTES, cbytes).putLong(offset + QNUM, qnum).putLong(offset + QBYTES, qbytes)
                .putInt(offset + LSPID, lspid).putInt(offset + LRPID, lrpid);
    }
}
