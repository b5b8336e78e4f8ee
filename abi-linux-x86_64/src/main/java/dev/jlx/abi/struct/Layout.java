package dev.jlx.abi.struct;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Checks shared by the struct codecs: guest structs are little-endian. */
final class Layout {
    private Layout() {}

    static ByteBuffer littleEndian(ByteBuffer buf) {
        if (buf.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("guest structs are little-endian");
        }
        return buf;
    }
}
