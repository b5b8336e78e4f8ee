package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** x86-64 {@code struct sysinfo} ({@code linux/sysinfo.h}), 112 bytes. */
public record Sysinfo(long uptime, long[] loads, long totalram, long freeram, long sharedram, long bufferram,
        long totalswap, long freeswap, int procs, long totalhigh, long freehigh, int memUnit) {
    public static final int SIZE = 112;
    public static final int UPTIME = 0;
    public static final int LOADS = 8;
    public static final int TOTALRAM = 32;
    public static final int FREERAM = 40;
    public static final int SHAREDRAM = 48;
    public static final int BUFFERRAM = 56;
    public static final int TOTALSWAP = 64;
    public static final int FREESWAP = 72;
    public static final int PROCS = 80;
    /** Two bytes of explicit padding after the u16 procs; four more of alignment follow. */
    public static final int PAD = 82;
    public static final int TOTALHIGH = 88;
    public static final int FREEHIGH = 96;
    public static final int MEM_UNIT = 104;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + UPTIME, uptime);
        for (int i = 0; i < 3; i++) {
            buf.putLong(offset + LOADS + 8 * i, loads[i]);
        }
        buf.putLong(offset + TOTALRAM, totalram).putLong(offset + FREERAM, freeram)
                .putLong(offset + SHAREDRAM, sharedram).putLong(offset + BUFFERRAM, bufferram)
                .putLong(offset + TOTALSWAP, totalswap).putLong(offset + FREESWAP, freeswap)
                .putShort(offset + PROCS, (short) procs).putShort(offset + PAD, (short) 0).putInt(offset + PAD + 2, 0)
                .putLong(offset + TOTALHIGH, totalhigh).putLong(offset + FREEHIGH, freehigh)
                .putInt(offset + MEM_UNIT, memUnit).putInt(offset + MEM_UNIT + 4, 0);
    }
}
