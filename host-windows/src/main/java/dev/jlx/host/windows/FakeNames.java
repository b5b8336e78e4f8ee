package dev.jlx.host.windows;

/**
 * How the fake NT layers store an NTFS name (UTF-16) as a name their java.nio file system can hold:
 * Linux names made by Java must be valid UTF-8, so lone surrogates cannot be written there, and jimfs
 * refuses a trailing space. Each such unit becomes U+E000 and a private-use unit, and U+E000 itself
 * is doubled, so every NTFS name has exactly one stored form and back. Names without those units
 * (all that programs usually make) are stored as they are.
 */
final class FakeNames {
    private static final char ESCAPE = '\uE000';
    /** Lone surrogates D800..DFFF are stored as ESCAPE and E100..E8FF. */
    private static final char SURROGATES = '\uE100';
    /** A trailing space is stored as ESCAPE and this. */
    private static final char TRAILING_SPACE = '\uE020';

    private FakeNames() {}

    static String store(String nt) {
        StringBuilder out = null;
        for (int i = 0; i < nt.length(); i++) {
            char c = nt.charAt(i);
            String replacement = null;
            if (c == ESCAPE) {
                replacement = "" + ESCAPE + ESCAPE;
            } else if (Character.isSurrogate(c) && !pairedAt(nt, i)) {
                replacement = "" + ESCAPE + (char) (SURROGATES + (c - 0xD800));
            } else if (Character.isHighSurrogate(c)) {
                if (out != null) {
                    out.append(c).append(nt.charAt(i + 1));
                }
                i++;
                continue;
            } else if (c == ' ' && i == nt.length() - 1) {
                replacement = "" + ESCAPE + TRAILING_SPACE;
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(nt.length() + 8).append(nt, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return out == null ? nt : out.toString();
    }

    static String load(String stored) {
        if (stored.indexOf(ESCAPE) < 0) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c == ESCAPE && i + 1 < stored.length()) {
                char n = stored.charAt(++i);
                if (n == ESCAPE) {
                    out.append(ESCAPE);
                } else if (n == TRAILING_SPACE) {
                    out.append(' ');
                } else if (n >= SURROGATES && n < SURROGATES + 0x800) {
                    out.append((char) (0xD800 + (n - SURROGATES)));
                } else {
                    out.append(c).append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether the surrogate at {@code i} is half of a valid pair. */
    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
