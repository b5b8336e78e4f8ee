package dev.jlx.abi.struct;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** {@code struct new_utsname} ({@code linux/utsname.h}): six NUL-padded 65-byte fields, 390 bytes. */
public record Utsname(String sysname, String nodename, String release, String version, String machine,
        String domainname) {
    public static final int FIELD = 65;
    public static final int SIZE = 6 * FIELD;
    public static final int SYSNAME = 0;
    public static final int NODENAME = 65;
    public static final int RELEASE = 130;
    public static final int VERSION = 195;
    public static final int MACHINE = 260;
    public static final int DOMAINNAME = 325;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        String[] fields = {sysname, nodename, release, version, machine, domainname};
        for (int i = 0; i < fields.length; i++) {
            byte[] b = fields[i].getBytes(StandardCharsets.UTF_8);
            int n = Math.min(b.length, FIELD - 1);
            for (int j = 0; j < FIELD; j++) {
                buf.put(offset + i * FIELD + j, j < n ? b[j] : 0);
            }
        }
    }
}
