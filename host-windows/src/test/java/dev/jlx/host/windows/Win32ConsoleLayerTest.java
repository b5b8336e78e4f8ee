package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * kernel32's console layer: CONSOLE_SCREEN_BUFFER_INFO read as Microsoft's documentation lays it out
 * (anywhere), and the binding itself on Windows.
 */
class Win32ConsoleLayerTest {
    @Test
    void screenBufferInfoIsReadAtTheDocumentedOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(Win32ConsoleLayer.SCREEN_BUFFER_INFO_SIZE, 2);
            short[] fields = {
                120, 9001, // dwSize
                4, 8999, // dwCursorPosition
                7, // wAttributes
                0, 8970, 119, 8999, // srWindow: Left, Top, Right, Bottom
                120, 63}; // dwMaximumWindowSize
            MemorySegment.copy(fields, 0, info, ValueLayout.JAVA_SHORT, 0, fields.length);
            ConsoleLayer.ScreenBuffer b = Win32ConsoleLayer.screenBuffer(info);
            assertEquals(new ConsoleLayer.ScreenBuffer(120, 9001, 0, 8970, 119, 8999), b);
            assertEquals(120, b.windowColumns());
            assertEquals(30, b.windowRows());
        }
    }

    /**
     * Every symbol binds; a standard handle is a console or not (ERROR_INVALID_HANDLE); CONOUT$, where
     * the process has a console, has a window and takes back the mode it has.
     */
    @Test
    @EnabledOnOs(OS.WINDOWS)
    void bindsKernel32AndAnswersForTheStandardHandles() throws Exception {
        Win32ConsoleLayer layer = new Win32ConsoleLayer();
        for (int which : new int[] {ConsoleLayer.STD_INPUT_HANDLE, ConsoleLayer.STD_OUTPUT_HANDLE,
                ConsoleLayer.STD_ERROR_HANDLE}) {
            try {
                layer.mode(layer.stdHandle(which));
            } catch (ConsoleException notConsole) {
                assertEquals(ConsoleLayer.ERROR_INVALID_HANDLE, notConsole.error());
            }
        }
        long out;
        try {
            out = layer.openConsole(false);
        } catch (ConsoleException noConsole) {
            return;
        }
        ConsoleLayer.ScreenBuffer b = layer.screenBuffer(out);
        assertTrue(b.windowColumns() > 0 && b.windowRows() > 0, b.toString());
        int mode = layer.mode(out);
        layer.setMode(out, mode);
        assertEquals(mode, layer.mode(out));
    }
}
