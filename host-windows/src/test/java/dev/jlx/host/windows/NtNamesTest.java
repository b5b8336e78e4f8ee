package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import org.junit.jupiter.api.Test;

/** Guest names to NTFS names and back: WSL's U+F000 table, surrogate escapes for bad bytes, EILSEQ. */
class NtNamesTest {
    @Test
    void charactersNtfsRefusesMoveToTheF000Block() throws Exception {
        String refused = "\\:*?\"<>|";
        for (int c = 1; c < 128; c++) {
            String nt = NtNames.toNt(ByteString.of(new byte[] {(byte) c}));
            boolean escaped = c < 32 || refused.indexOf(c) >= 0;
            assertEquals(escaped ? String.valueOf((char) (0xF000 + c)) : String.valueOf((char) c), nt, "char " + c);
        }
        assertEquals("a\uF03Ab", NtNames.toNt(ByteString.of("a:b")));
        assertEquals("\uF03C\uF03E\uF07C\uF022\uF02A\uF03F\uF05C", NtNames.toNt(ByteString.of("<>|\"*?\\")));
    }

    @Test
    void namesWindowsTreatsSpeciallyStayAsTheyAre() throws Exception {
        for (String name : new String[] {"CON", "nul", "COM1.txt", "trailing.", "trailing ", " leading", "..."}) {
            assertEquals(name, NtNames.toNt(ByteString.of(name)));
        }
    }

    @Test
    void bytesThatAreNotUtf8BecomeLoneSurrogatesAndBack() throws Exception {
        byte[] bad = {'x', (byte) 0x80, (byte) 0xff, (byte) 0xc3, '(', (byte) 0xed, (byte) 0xa0, (byte) 0x80,
                (byte) 0xc0, (byte) 0xaf, (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, (byte) 0xe2, (byte) 0x82};
        String nt = NtNames.toNt(ByteString.of(bad));
        assertEquals("x\uDC80\uDCFF\uDCC3(\uDCED\uDCA0\uDC80\uDCC0\uDCAF\uDCF4\uDC90\uDC80\uDC80\uDCE2\uDC82", nt);
        assertArrayEquals(bad, NtNames.toGuest(nt));
    }

    @Test
    void validUtf8IsKeptIncludingSupplementaryCharacters() throws Exception {
        for (String name : new String[] {"\u00e9", "e\u0301", "\u65e5\u672c", "\uD83D\uDE00", "\uFFFD", "\uF000", "\uF080"}) {
            assertEquals(name, NtNames.toNt(ByteString.of(name)));
            assertEquals(name, new String(NtNames.toGuest(name), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A guest name spelling U+F03A would read back as ':', so it is refused instead. */
    @Test
    void escapeCharactersSpelledByTheGuestAreEilseq() {
        for (int c : new int[] {0xF001, 0xF01F, 0xF03A, 0xF05C, 0xF07C}) {
            ByteString name = ByteString.of("a" + (char) c);
            assertEquals(Errno.EILSEQ, assertThrows(ErrnoException.class, () -> NtNames.toNt(name)).errno());
        }
    }

    @Test
    void everyByteNameRoundTrips() throws Exception {
        for (int c = 1; c < 256; c++) {
            if (c == '/') {
                continue;
            }
            byte[] name = {'n', (byte) c, 'm'};
            assertArrayEquals(name, NtNames.toGuest(NtNames.toNt(ByteString.of(name))), "byte " + c);
        }
    }

    @Test
    void namesLongerThanNameMaxAreRefused() {
        ByteString name = ByteString.of("x".repeat(256));
        assertEquals(Errno.ENAMETOOLONG, assertThrows(ErrnoException.class, () -> NtNames.toNt(name)).errno());
    }

    @Test
    void ntfsUpcasesUnitByUnit() {
        assertEquals("ABC\u00c9\u0130", NtNames.upcase("abc\u00e9\u0130"));
        assertEquals("STRASSE".length() - 1, NtNames.upcase("stra\u00dfe").length(), "no expansion of \u00df");
    }
}
