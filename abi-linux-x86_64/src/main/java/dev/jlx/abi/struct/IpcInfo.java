package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * The limit and usage structs of the *_INFO commands: {@code struct shminfo64} (72 bytes: five
 * unsigned longs, four reserved), {@code struct shm_info} (48: an int, then five unsigned longs),
 * {@code struct seminfo} (40: ten ints) and {@code struct msginfo} (32: seven ints and an unsigned
 * short), from {@code asm-generic/shmbuf.h}, {@code linux/shm.h}, {@code linux/sem.h} and
 * {@code linux/msg.h}.
 */
public final class IpcInfo {
    private IpcInfo() {}

    public static final int SHMINFO64_SIZE = 72;
    public static final int SHM_INFO_SIZE = 48;
    public static final int SEMINFO_SIZE = 40;
    public static final int MSGINFO_SIZE = 32;

    /** shminfo64: shmmax, shmmin, shmmni, shmseg, shmall. */
    public static void writeShminfo(ByteBuffer buf, long shmmax, long shmmin, long shmmni, long shmseg, long shmall) {
        Layout.littleEndian(buf);
        long[] v = {shmmax, shmmin, shmmni, shmseg, shmall, 0, 0, 0, 0};
        for (int i = 0; i < v.length; i++) {
            buf.putLong(i * 8, v[i]);
        }
    }

    /** shm_info: used_ids, then shm_tot, shm_rss, shm_swp (pages), swap_attempts, swap_successes. */
    public static void writeShmInfo(ByteBuffer buf, int usedIds, long tot, long rss, long swp) {
        Layout.littleEndian(buf);
        buf.putLong(0, 0).putInt(0, usedIds).putLong(8, tot).putLong(16, rss).putLong(24, swp).putLong(32, 0)
                .putLong(40, 0);
    }

    /** seminfo: semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem. */
    public static void writeSeminfo(ByteBuffer buf, int... fields) {
        Layout.littleEndian(buf);
        for (int i = 0; i < 10; i++) {
            buf.putInt(i * 4, fields[i]);
        }
    }

    /** msginfo: msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql, msgseg (unsigned short). */
    public static void writeMsginfo(ByteBuffer buf, int msgpool, int msgmap, int msgmax, int msgmnb, int msgmni,
            int msgssz, int msgtql, int msgseg) {
        Layout.littleEndian(buf);
        buf.putInt(0, msgpool).putInt(4, msgmap).putInt(8, msgmax).putInt(12, msgmnb).putInt(16, msgmni)
                .putInt(20, msgssz).putInt(24, msgtql).putInt(28, 0).putShort(28, (short) msgseg);
    }
}
