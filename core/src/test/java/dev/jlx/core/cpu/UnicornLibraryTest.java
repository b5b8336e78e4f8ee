package dev.jlx.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.HostOs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where jlx looks for Unicorn on each host, and what it says when there is none. */
class UnicornLibraryTest {
    private static HostOs host(String os, String arch, Map<String, String> env, String home) {
        return new HostOs(os, arch, env::get, home);
    }

    @Test
    void linuxLooksInTheXdgDataFolderThenTheLoadersPath() {
        assertEquals(List.of("/home/u/.local/share/jlx/unicorn/libunicorn.so.2", "libunicorn.so.2"),
                UnicornLibrary.candidates(host("Linux", "amd64", Map.of(), "/home/u")));
        assertEquals(List.of("/data/jlx/unicorn/libunicorn.so.2", "libunicorn.so.2"),
                UnicornLibrary.candidates(host("Linux", "amd64", Map.of("XDG_DATA_HOME", "/data"), "/home/u")));
    }

    @Test
    void macOsLooksInApplicationSupportThenHomebrew() {
        assertEquals(List.of("/Users/u/Library/Application Support/jlx/unicorn/libunicorn.2.dylib",
                "/brew/lib/libunicorn.2.dylib", "/opt/homebrew/lib/libunicorn.2.dylib",
                "/usr/local/lib/libunicorn.2.dylib", "libunicorn.2.dylib"),
                UnicornLibrary.candidates(host("Mac OS X", "aarch64", Map.of("HOMEBREW_PREFIX", "/brew"), "/Users/u")));
    }

    @Test
    void windowsLooksInLocalAppDataThenThePath() {
        List<String> c = UnicornLibrary.candidates(host("Windows 11", "amd64",
                Map.of("LOCALAPPDATA", "/c/Users/u/AppData/Local"), "/c/Users/u"));
        assertEquals(List.of("/c/Users/u/AppData/Local/jlx/unicorn/unicorn.dll", "unicorn.dll"), c);
    }

    @Test
    void appleSiliconNeedsUnicorn214() {
        assertEquals("2.1.4", UnicornLibrary.versionString(UnicornLibrary.minVersion(host("Mac OS X", "aarch64",
                Map.of(), "/"))));
        assertEquals("2.1.1", UnicornLibrary.versionString(UnicornLibrary.minVersion(host("Mac OS X", "x86_64",
                Map.of(), "/"))));
        assertEquals("2.1.1", UnicornLibrary.versionString(UnicornLibrary.minVersion(host("Linux", "amd64",
                Map.of(), "/"))));
    }

    @Test
    void theAdviceNamesTheHostsWayToGetIt() {
        assertTrue(UnicornLibrary.howToGet(host("Mac OS X", "aarch64", Map.of(), "/Users/u"))
                .contains("brew install unicorn"));
        assertTrue(UnicornLibrary.howToGet(host("Windows 10", "amd64", Map.of("LOCALAPPDATA", "/l"), "/"))
                .contains("unicorn.dll"));
        assertTrue(UnicornLibrary.howToGet(host("Linux", "amd64", Map.of(), "/root")).contains(".ci/setup"));
    }
}
