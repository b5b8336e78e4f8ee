package dev.jlx.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A file name or path as Linux carries it: bytes, any but NUL, with no encoding (as the JDK's
 * {@code UnixPath} keeps its {@code byte[]}). Guest paths travel as these from the guest's C string
 * through the VFS and the file systems to the host backend, which alone turns them into its host's
 * form; nothing on the way decodes them, so a name that is not UTF-8 keeps every byte.
 * {@link #toString()} is for messages and logs only. Immutable.
 */
public final class ByteString implements Comparable<ByteString> {
    public static final ByteString EMPTY = new ByteString(new byte[0]);
    public static final ByteString ROOT = new ByteString(new byte[] {'/'});
    public static final ByteString DOT = new ByteString(new byte[] {'.'});
    public static final ByteString DOT_DOT = new ByteString(new byte[] {'.', '.'});

    private final byte[] bytes;
    private int hash;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static ByteString of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new ByteString(bytes.clone());
    }

    /** {@code length} bytes of {@code bytes} from {@code offset}, copied. */
    public static ByteString of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new ByteString(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** The UTF-8 bytes of {@code text}: for names jlx itself writes (mount points, /proc entries). */
    public static ByteString of(String text) {
        return text.isEmpty() ? EMPTY : new ByteString(text.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes followed by a NUL: a C string for a host call. */
    public byte[] toCString() {
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** Copies the bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    public boolean startsWith(ByteString prefix) {
        return bytes.length >= prefix.bytes.length
                && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    public boolean startsWith(byte b) {
        return bytes.length > 0 && bytes[0] == b;
    }

    public boolean endsWith(byte b) {
        return bytes.length > 0 && bytes[bytes.length - 1] == b;
    }

    public int indexOf(byte b) {
        return indexOf(b, 0);
    }

    public int indexOf(byte b, int from) {
        for (int i = Math.max(0, from); i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    public int lastIndexOf(byte b) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    public ByteString substring(int from) {
        return substring(from, bytes.length);
    }

    public ByteString substring(int from, int to) {
        return from == 0 && to == bytes.length ? this : of(bytes, from, to - from);
    }

    public ByteString concat(ByteString other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        byte[] all = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
        System.arraycopy(other.bytes, 0, all, bytes.length, other.bytes.length);
        return new ByteString(all);
    }

    /** This directory path with {@code name} below it: one '/' between them, none doubled. */
    public ByteString child(ByteString name) {
        return endsWith((byte) '/') ? concat(name) : concat(ROOT).concat(name);
    }

    /** The non-empty components between slashes ("a//b/" has "a" and "b"). */
    public List<ByteString> components() {
        List<ByteString> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '/') {
                if (i > start) {
                    out.add(of(bytes, start, i - start));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** "/" followed by the components joined with '/': an absolute normalized path ("/" for none). */
    public static ByteString absolute(List<ByteString> components) {
        if (components.isEmpty()) {
            return ROOT;
        }
        int n = 0;
        for (ByteString c : components) {
            n += 1 + c.bytes.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (ByteString c : components) {
            all[at++] = '/';
            c.copyTo(all, at);
            at += c.bytes.length;
        }
        return new ByteString(all);
    }

    /**
     * The bytes decoded as UTF-8, invalid ones as U+FFFD: for text that jlx interprets (a name to
     * look up among names that jlx made as Strings), never for a name that goes on.
     */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Each byte as the char of the same value (ISO-8859-1): for a text file that jlx builds around
     * names (/proc/PID/maps, mountinfo) and encodes back with ISO-8859-1, which gives the name's
     * bytes unchanged and counts columns in bytes, as the kernel's seq_file does.
     */
    public String latin1() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * For messages and logs: the UTF-8 text, each byte that is not part of valid UTF-8 shown as
     * {@code \xNN} (and a backslash as {@code \\}), so that no byte is lost or misread.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int n = utf8Length(i);
            if (n == 0) {
                out.append(String.format("\\x%02x", bytes[i] & 0xff));
                i++;
            } else {
                String s = new String(bytes, i, n, StandardCharsets.UTF_8);
                out.append(s.equals("\\") ? "\\\\" : s);
                i += n;
            }
        }
        return out.toString();
    }

    /** The length of the well-formed UTF-8 sequence at {@code i}, or 0 when there is none. */
    private int utf8Length(int i) {
        int b = bytes[i] & 0xff;
        int n;
        int min;
        if (b < 0x80) {
            return 1;
        } else if (b >= 0xc2 && b <= 0xdf) {
            n = 2;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 3;
            min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > bytes.length) {
            return 0;
        }
        int cp = b & (0x7f >> n);
        for (int k = 1; k < n; k++) {
            int c = bytes[i + k] & 0xff;
            if ((c & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (c & 0x3f);
        }
        return cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0 : n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** Byte order, unsigned, as strcmp. */
    @Override
    public int compareTo(ByteString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
