package dev.jlx.abi;

/** Flags of renameat2(2), from {@code linux/fs.h}. */
public final class Rename {
    private Rename() {}

    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;
}
