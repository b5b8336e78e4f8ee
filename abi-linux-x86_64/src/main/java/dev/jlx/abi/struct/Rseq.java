package dev.jlx.abi.struct;

/**
 * {@code struct rseq} and {@code struct rseq_cs} ({@code linux/rseq.h}): a thread's registered
 * area (32 bytes, 32-aligned) and the critical-section descriptor its {@code rseq_cs} points at.
 */
public final class Rseq {
    public static final int SIZE = 32;
    public static final int CPU_ID_START = 0;
    public static final int CPU_ID = 4;
    public static final int RSEQ_CS = 8;
    public static final int FLAGS = 16;

    public static final int CS_SIZE = 32;
    public static final int CS_VERSION = 0;
    public static final int CS_FLAGS = 4;
    public static final int CS_START_IP = 8;
    public static final int CS_POST_COMMIT_OFFSET = 16;
    public static final int CS_ABORT_IP = 24;

    private Rseq() {}
}
