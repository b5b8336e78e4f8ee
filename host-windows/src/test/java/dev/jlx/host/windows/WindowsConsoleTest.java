package dev.jlx.host.windows;

import static dev.jlx.host.windows.ConsoleLayer.DISABLE_NEWLINE_AUTO_RETURN;
import static dev.jlx.host.windows.ConsoleLayer.ENABLE_ECHO_INPUT;
import static dev.jlx.host.windows.ConsoleLayer.ENABLE_LINE_INPUT;
import static dev.jlx.host.windows.ConsoleLayer.ENABLE_PROCESSED_INPUT;
import static dev.jlx.host.windows.ConsoleLayer.ENABLE_VIRTUAL_TERMINAL_INPUT;
import static dev.jlx.host.windows.ConsoleLayer.ENABLE_VIRTUAL_TERMINAL_PROCESSING;
import static dev.jlx.host.windows.FakeConsoleLayer.NEW_INPUT_MODE;
import static dev.jlx.host.windows.FakeConsoleLayer.NEW_OUTPUT_MODE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.PortableHostMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console as jlx's terminal, over an in-memory console: modes, termios, window size, text both ways, signals. */
@Timeout(30)
class WindowsConsoleTest {
    private static final int UID = 1000;

    private static MemorySegment bytes(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MemorySegment bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return MemorySegment.ofArray(a);
    }

    /** One read(2) of up to 256 bytes, as UTF-8 text. */
    private static String read(HostFile f) throws ErrnoException {
        MemorySegment buf = Arena.ofAuto().allocate(256);
        int n = f.read(buf);
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Test
    void takingTheConsoleSetsVirtualTerminalModesAndExitGivesThemBack() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        WindowsConsole console = new WindowsConsole(layer, UID);
        HostFile out = console.standardStream(1);
        assertTrue(out.isTerminal());
        assertEquals(NEW_INPUT_MODE | ENABLE_VIRTUAL_TERMINAL_INPUT, layer.inputMode());
        assertEquals(NEW_OUTPUT_MODE | ENABLE_VIRTUAL_TERMINAL_PROCESSING | DISABLE_NEWLINE_AUTO_RETURN,
                layer.outputMode());
        // Standard input writes through CONOUT$, the same screen buffer: its mode was kept once more.
        assertTrue(console.standardStream(0).isTerminal());
        assertTrue(console.standardStream(2).isTerminal());
        console.restore();
        assertEquals(NEW_INPUT_MODE, layer.inputMode());
        assertEquals(NEW_OUTPUT_MODE, layer.outputMode());
    }

    @Test
    void aConsoleWithoutVirtualTerminalModesKeepsItsOwnAndStillGetsCrNl() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.legacy();
        WindowsConsole console = new WindowsConsole(layer, UID);
        HostFile out = console.standardStream(1);
        assertEquals(NEW_INPUT_MODE, layer.inputMode());
        assertEquals(NEW_OUTPUT_MODE, layer.outputMode());
        out.write(bytes("a\nb\n"));
        assertEquals("a\r\nb\r\n", layer.shown());
    }

    @Test
    void withoutAConsoleTheStreamsAreNoTerminalsAndDevTtyIsEnxio() throws Exception {
        WindowsConsole console = new WindowsConsole(FakeConsoleLayer.detached(), UID);
        for (int fd = 0; fd < 3; fd++) {
            assertNull(console.standardStream(fd));
        }
        assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class, console::openTerminal).errno());
        HostFile pipe = StandardStream.of(1);
        assertFalse(pipe.isTerminal());
        assertEquals(Errno.ENOTTY, assertThrows(ErrnoException.class, () -> console.windowSize(pipe)).errno());
        assertEquals(Errno.ENOTTY, assertThrows(ErrnoException.class, () -> console.attributes(pipe)).errno());
    }

    @Test
    void aRedirectedStandardStreamIsNotTheConsoleButTheOthersAre() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(false, true, false);
        WindowsConsole console = new WindowsConsole(layer, UID);
        assertNull(console.standardStream(0));
        assertNull(console.standardStream(2));
        HostFile out = console.standardStream(1);
        // Its input mode is read through CONIN$, whatever standard input is.
        assertEquals(WindowsConsole.ICANON, console.attributes(out).lflag() & WindowsConsole.ICANON);
        layer.type("typed\r\n");
        assertEquals("typed\n", read(out), "a terminal's descriptor reads its input whichever stream it is");
    }

    @Test
    void termiosIsTheInputModeOverLinuxDefaults() throws Exception {
        HostConsole.Termios t = WindowsConsole.termios(NEW_INPUT_MODE | ENABLE_VIRTUAL_TERMINAL_INPUT,
                WindowsConsole.LINUX_DEFAULTS);
        // tty_std_termios with IUTF8: `stty -g` would show 4500:5:4bf:8a3b.
        assertEquals(0x4500, t.iflag());
        assertEquals(0x5, t.oflag());
        assertEquals(0x4bf, t.cflag());
        assertEquals(0x8a3b, t.lflag());
        assertEquals(0, t.line());
        assertArrayEquals(new byte[] {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0, 0, 0},
                t.cc());
        int raw = WindowsConsole.termios(0, WindowsConsole.LINUX_DEFAULTS).lflag();
        assertEquals(0, raw & (WindowsConsole.ICANON | WindowsConsole.ECHO | WindowsConsole.ISIG));
        assertEquals(WindowsConsole.ECHOE | WindowsConsole.ECHOK | WindowsConsole.ECHOCTL | WindowsConsole.ECHOKE
                | WindowsConsole.IEXTEN, raw, "as `stty -echo -icanon -isig` leaves them");
        assertEquals(WindowsConsole.ISIG, WindowsConsole.termios(ENABLE_PROCESSED_INPUT, WindowsConsole.LINUX_DEFAULTS)
                .lflag() & (WindowsConsole.ICANON | WindowsConsole.ECHO | WindowsConsole.ISIG));
        assertEquals(WindowsConsole.ICANON | WindowsConsole.ECHO, WindowsConsole.termios(ENABLE_LINE_INPUT
                | ENABLE_ECHO_INPUT, WindowsConsole.LINUX_DEFAULTS).lflag() & (WindowsConsole.ICANON | WindowsConsole.ECHO
                | WindowsConsole.ISIG));
        // The copy handed out is the caller's.
        t.cc()[0] = 0;
        assertEquals(3, WindowsConsole.termios(0, WindowsConsole.LINUX_DEFAULTS).cc()[0]);
    }

    /**
     * TCSETS: ICANON, ECHO and ISIG become the input modes, the rest the discipline (raw output stops
     * ONLCR); ECHO without ICANON is kept but the console cannot echo it; TCSAFLUSH drops unread input;
     * the saved state comes back whole.
     */
    @Test
    void settingsGoToTheInputModeAndTheDisciplineAndComeBack() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        WindowsConsole console = new WindowsConsole(layer, UID);
        HostFile in = console.standardStream(0);
        HostFile out = console.standardStream(1);
        HostConsole.Termios before = console.attributes(in);
        HostConsole.Saved saved = console.save(in);
        int otherModes = layer.inputMode() & ~(ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT);
        // cfmakeraw with ECHO left on.
        HostConsole.Termios raw = new HostConsole.Termios(0, 0, 060 | 0200, WindowsConsole.ECHO, (byte) 0,
                before.cc());
        layer.type("typed before");
        console.setAttributes(in, raw, 2);
        assertEquals(otherModes, layer.inputMode(), "no line input, echo or processed input; the rest as it was");
        assertEquals(raw.lflag(), console.attributes(in).lflag(), "ECHO reads back");
        assertEquals(raw.oflag(), console.attributes(in).oflag());
        layer.type("x");
        assertEquals("x", read(in), "TCSAFLUSH dropped what was typed before");
        out.write(bytes("a\n"));
        assertEquals("a\n", layer.shown(), "no ONLCR without OPOST");
        HostConsole.Termios cooked = new HostConsole.Termios(before.iflag(), before.oflag(), before.cflag(),
                WindowsConsole.ICANON | WindowsConsole.ECHO | WindowsConsole.ISIG, (byte) 0, before.cc());
        console.setAttributes(in, cooked, 0);
        assertEquals(otherModes | ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT, layer.inputMode());
        console.setAttributes(in, raw, 0);
        saved.restore();
        assertEquals(NEW_INPUT_MODE | ENABLE_VIRTUAL_TERMINAL_INPUT, layer.inputMode());
        HostConsole.Termios after = console.attributes(in);
        assertEquals(before.lflag(), after.lflag());
        assertEquals(before.oflag(), after.oflag());
        assertEquals(0, console.outputQueued(out));
        assertThrows(ErrnoException.class, () -> console.setWindowSize(in, new HostConsole.WindowSize(1, 1, 0, 0)));
    }

    /** A change of the console window's size is told to the listeners, which the poll finds. */
    @Test
    void aResizeOfTheWindowIsTold() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        WindowsConsole console = new WindowsConsole(layer, UID);
        console.standardStream(0);
        CompletableFuture<Void> told = new CompletableFuture<>();
        try (AutoCloseable watch = console.watchWindowSize(() -> told.complete(null))) {
            Thread.sleep(400);
            layer.setScreen(new ConsoleLayer.ScreenBuffer(100, 9001, 0, 0, 99, 39));
            told.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWindowSizeIsTheVisibleWindowOfTheScreenBuffer() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        WindowsConsole console = new WindowsConsole(layer, UID);
        HostFile in = console.standardStream(0);
        layer.setScreen(new ConsoleLayer.ScreenBuffer(120, 9001, 0, 8970, 119, 9000));
        assertEquals(new HostConsole.WindowSize(31, 120, 0, 0), console.windowSize(in));
        assertEquals(new HostConsole.WindowSize(31, 120, 0, 0), console.windowSize(console.standardStream(2)));
    }

    @Test
    void outputIsUtf8MadeUtf16WithSequencesSplitBetweenWritesAndNlMadeCrNl() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        HostFile out = new WindowsConsole(layer, UID).standardStream(1);
        assertEquals(7, out.write(bytes("héllo\n")));
        // U+1F600 is F0 9F 98 80: the first two bytes in one write, the rest in the next.
        assertEquals(2, out.write(bytes(0xf0, 0x9f)));
        assertEquals("héllo\r\n", layer.shown(), "half a character waits");
        assertEquals(3, out.write(bytes(0x98, 0x80, '!')));
        // A byte that is no UTF-8 shows as U+FFFD, as a terminal emulator shows it.
        assertEquals(3, out.write(bytes(0xff, 'x', '\n')));
        assertEquals("héllo\r\n\uD83D\uDE00!\uFFFDx\r\n", layer.shown());
    }

    @Test
    void inputIsUtf16MadeUtf8OneLineARead() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        HostFile in = new WindowsConsole(layer, UID).standardStream(0);
        layer.type("héllo \uD83D\uDE00\r\nsecond\r\n");
        assertEquals("héllo 😀\n", read(in));
        assertEquals("second\n", read(in));
        assertEquals(1, layer.reads(), "both lines came in one ReadConsoleW");
    }

    @Test
    void aSurrogatePairSplitBetweenReadsIsJoinedAndALoneHalfIsReplaced() {
        ConsoleInput input = new ConsoleInput(FakeConsoleLayer.detached(), 0, () -> WindowsConsole.LINUX_DEFAULTS);
        assertEquals(List.of("a"), text(input.cook("a\uD83D".toCharArray(), 2, 0, WindowsConsole.LINUX_DEFAULTS)));
        assertEquals(List.of("😀b"), text(input.cook("\uDE00b".toCharArray(), 2, 0, WindowsConsole.LINUX_DEFAULTS)));
        assertEquals(List.of("\uFFFD\uFFFDc"), text(input.cook("\uDE00\uD83Dc".toCharArray(), 3, 0,
                WindowsConsole.LINUX_DEFAULTS)));
        // Without line input, Enter's CR is NL (ICRNL) and ^D is a byte like any other.
        assertEquals(List.of("x\n\u0004"), text(input.cook("x\r\u0004".toCharArray(), 3, 0, WindowsConsole.LINUX_DEFAULTS)));
    }

    private static List<String> text(List<byte[]> pieces) {
        return pieces.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void controlDEndsAReadWhereItStandsAndAloneIsEndOfFile() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        HostFile in = new WindowsConsole(layer, UID).standardStream(0);
        layer.type("\u0004\r\n");
        assertEquals("", read(in), "^D on a line of its own: end of file");
        layer.type("abc\u0004\r\n");
        assertEquals("abc", read(in));
        layer.type("abc\u0004def\r\n");
        assertEquals("abc", read(in));
        assertEquals("def\n", read(in));
    }

    @Test
    void aSignalEndsAWaitingReadWithEintrAndNoByteIsLost() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        HostFile in = new WindowsConsole(layer, UID).standardStream(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                read(in);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread.sleep(200);
        assertTrue(reader.isAlive(), "the read waits for input");
        reader.interrupt();
        reader.join(5000);
        assertEquals(Errno.EINTR, ((ErrnoException) failure.get()).errno());
        layer.type("after\r\n");
        assertEquals("after\n", read(in), "what the host read meanwhile waits for the next read");
    }

    @Test
    void aReadThatCtrlCEndedIsNoEndOfFile() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        HostFile in = new WindowsConsole(layer, UID).standardStream(0);
        CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
            try {
                return read(in);
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        });
        layer.abortRead();
        while (layer.reads() < 1) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertFalse(got.isDone(), "a guest that ignores SIGINT reads on");
        layer.type("x\r\n");
        assertEquals("x\n", got.get(5, TimeUnit.SECONDS));
    }

    @Test
    void pollWaitsForTypedInputAndIsAlwaysWritable() throws Exception {
        FakeConsoleLayer layer = FakeConsoleLayer.attached(true, true, true);
        HostFile in = new WindowsConsole(layer, UID).standardStream(0);
        assertEquals(0, in.poll(HostFile.POLLIN, 0));
        assertEquals(HostFile.POLLOUT, in.poll(HostFile.POLLIN | HostFile.POLLOUT, 1000));
        layer.type("ab\r\n");
        assertEquals(HostFile.POLLIN, in.poll(HostFile.POLLIN, 5000));
        assertEquals(3, in.bytesReadable());
        assertEquals("ab\n", read(in));
    }

    @Test
    void aStandardStreamLooksLikePts0AndDevTtyLikeDevTty() throws Exception {
        WindowsConsole console = new WindowsConsole(FakeConsoleLayer.attached(true, true, true), UID);
        HostStat pts = console.standardStream(1).stat();
        assertEquals(FileMode.S_IFCHR | 0620, pts.mode());
        assertEquals(136 << 8, pts.rdev());
        assertEquals(UID, pts.uid());
        assertEquals(5, pts.gid());
        HostFile tty = console.openTerminal();
        assertTrue(tty.isTerminal());
        HostStat devTty = tty.stat();
        assertEquals(FileMode.S_IFCHR | 0666, devTty.mode());
        assertEquals(5 << 8, devTty.rdev());
        assertEquals(0, devTty.uid());
        assertEquals(Errno.ESPIPE, assertThrows(ErrnoException.class, () -> tty.seek(0, 0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> tty.sync(false)).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> tty.truncate(0)).errno());
        assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> tty.allocate(0, 0, 1)).errno());
    }

    @Test
    void theBackendGivesTheConsoleAsStandardStreamsAndDevTty() throws Exception {
        WindowsBackend backend = new WindowsBackend(new LocalDiskNtLayer(Path.of("/")),
                FakeConsoleLayer.attached(true, true, true), PortableHostMemory.PAGES);
        HostFile out = backend.files().standardStream(1);
        assertTrue(out.isTerminal());
        assertEquals(new HostConsole.WindowSize(30, 120, 0, 0), backend.console().windowSize(out));
        HostFile tty = backend.files().open(ByteString.of("/dev/tty"), OpenFlags.O_RDWR, 0);
        assertNotNull(backend.console().attributes(tty));
        WindowsBackend none = new WindowsBackend(new LocalDiskNtLayer(Path.of("/")), PortableHostMemory.PAGES);
        assertFalse(none.files().standardStream(1).isTerminal());
        assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class,
                () -> none.files().open(ByteString.of("/dev/tty"), OpenFlags.O_RDWR, 0)).errno());
    }
}
