package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import java.io.ByteArrayOutputStream;

/**
 * Guest file names (bytes) to NTFS names (UTF-16) and back, losslessly, as WSL's DrvFs does:
 * <ul>
 * <li>Valid UTF-8 becomes the same characters.
 * <li>The characters NTFS refuses through the NT API, C0 controls 1-31 and {@code \ : * ? " < > |},
 * become U+F000 plus their code (U+F03A for ':'), as DrvFs and Cygwin store them; so such a name
 * written by jlx reads the same under WSL.
 * <li>A byte that is not part of valid UTF-8 (0x80-0xFF) becomes the lone surrogate U+DC00 plus the
 * byte (U+DC80..U+DCFF), which NTFS stores as it stores any UTF-16 unit and valid UTF-8 never
 * yields, as Python's "surrogateescape".
 * <li>A guest name that spells one of those U+F0xx characters itself would read back as the
 * character it stands for, so it is refused (EILSEQ) instead of being altered.
 * </ul>
 * Trailing dots and spaces and device names (CON, NUL, ...) stay as they are: the NT API takes
 * them on NTFS; only Win32 paths treat them specially.
 */
public final class NtNames {
    /** NAME_MAX of Linux; NTFS holds 255 UTF-16 units, which 255 bytes never exceed. */
    static final int NAME_MAX = 255;
    private static final int ESCAPE_BASE = 0xF000;
    private static final int SURROGATE_BASE = 0xDC00;

    private NtNames() {}

    /** Whether NTFS refuses ASCII character {@code c} in a name through the NT API ('/' and NUL aside). */
    static boolean refusedByNtfs(int c) {
        return (c >= 1 && c <= 31) || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<'
                || c == '>' || c == '|';
    }

    /** The NTFS name for guest name bytes {@code name} (one component). */
    public static String toNt(ByteString name) throws ErrnoException {
        if (name.length() > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        byte[] b = name.toByteArray();
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                out.append((char) (refusedByNtfs(c) ? ESCAPE_BASE + c : c));
                i++;
                continue;
            }
            int cp = decodeUtf8(b, i);
            if (cp < 0) {
                out.append((char) (SURROGATE_BASE + c));
                i++;
                continue;
            }
            if (cp >= ESCAPE_BASE && cp < ESCAPE_BASE + 0x80 && refusedByNtfs(cp - ESCAPE_BASE)) {
                throw new ErrnoException(Errno.EILSEQ);
            }
            out.appendCodePoint(cp);
            i += utf8Length(cp);
        }
        return out.toString();
    }

    /** The guest's bytes for NTFS name {@code name}: the inverse of {@link #toNt}. */
    public static byte[] toGuest(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= ESCAPE_BASE && c < ESCAPE_BASE + 0x80 && refusedByNtfs(c - ESCAPE_BASE)) {
                out.write(c - ESCAPE_BASE);
            } else if (c >= SURROGATE_BASE + 0x80 && c <= SURROGATE_BASE + 0xff) {
                out.write(c - SURROGATE_BASE);
            } else if (Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                writeUtf8(out, Character.toCodePoint(c, name.charAt(i + 1)));
                i++;
            } else {
                // Other lone surrogates (a Windows program's names) come out as generalized UTF-8.
                writeUtf8(out, c);
            }
        }
        return out.toByteArray();
    }

    /** NTFS's case folding for lookups: each UTF-16 unit upper-cased alone, as its $UpCase table maps it. */
    public static String upcase(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            out.append(Character.toUpperCase(name.charAt(i)));
        }
        return out.toString();
    }

    /** The code point of the strict UTF-8 sequence at {@code i}, or -1 when the bytes there are not one. */
    private static int decodeUtf8(byte[] b, int i) {
        int c = b[i] & 0xff;
        int n;
        int cp;
        int min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + n >= b.length) {
            return -1;
        }
        for (int k = 1; k <= n; k++) {
            int d = b[i + k] & 0xff;
            if ((d & 0xc0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (d & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return -1;
        }
        return cp;
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xc0 | (cp >> 6));
            out.write(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out.write(0xe0 | (cp >> 12));
            out.write(0x80 | ((cp >> 6) & 0x3f));
            out.write(0x80 | (cp & 0x3f));
        } else {
            out.write(0xf0 | (cp >> 18));
            out.write(0x80 | ((cp >> 12) & 0x3f));
            out.write(0x80 | ((cp >> 6) & 0x3f));
            out.write(0x80 | (cp & 0x3f));
        }
    }
}
