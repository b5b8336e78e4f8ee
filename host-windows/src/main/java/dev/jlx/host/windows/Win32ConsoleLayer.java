package dev.jlx.host.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The console layer on Windows: kernel32's console calls through FFM, each bound with the thread's
 * GetLastError captured right after the call (the JVM's own work between two downcalls may change it).
 * Layouts and values are those of Microsoft's console documentation (the "Console Functions" pages,
 * consoleapi.h, consoleapi2.h, processenv.h, fileapi.h), given where each is used.
 *
 * <p>Not run yet: written against the documentation on a Linux machine, where kernel32 does not exist.
 */
final class Win32ConsoleLayer implements ConsoleLayer {
    /** CreateFileW's dwDesiredAccess (winnt.h): GENERIC_READ | GENERIC_WRITE, which console handles need. */
    private static final int GENERIC_READ_WRITE = 0x80000000 | 0x40000000;
    /** dwShareMode: FILE_SHARE_READ | FILE_SHARE_WRITE. */
    private static final int FILE_SHARE_READ_WRITE = 0x1 | 0x2;
    /** dwCreationDisposition OPEN_EXISTING, the one the console devices take. */
    private static final int OPEN_EXISTING = 3;
    /** INVALID_HANDLE_VALUE: (HANDLE)(LONG_PTR)-1. */
    private static final long INVALID_HANDLE_VALUE = -1;
    /** sizeof(CONSOLE_SCREEN_BUFFER_INFO): COORD, COORD, WORD, SMALL_RECT, COORD, all of SHORTs (2-byte aligned). */
    static final int SCREEN_BUFFER_INFO_SIZE = 22;
    /** ReadConsoleW and WriteConsoleW move at most this many UTF-16 units a call (the docs warn of large buffers). */
    private static final int MAX_UNITS = 8192;

    private static final Linker LINKER = Linker.nativeLinker();
    /** GetLastError's capture: an option only Windows' linker knows (made with the layer, not the class). */
    private final Linker.Option lastError;
    private final long lastErrorOffset;
    private final MethodHandle getStdHandle;
    private final MethodHandle createFileW;
    private final MethodHandle getConsoleMode;
    private final MethodHandle setConsoleMode;
    private final MethodHandle getConsoleScreenBufferInfo;
    private final MethodHandle flushConsoleInputBuffer;
    private final MethodHandle readConsoleW;
    private final MethodHandle writeConsoleW;

    Win32ConsoleLayer() {
        SymbolLookup kernel32 = SymbolLookup.libraryLookup("kernel32", Arena.global());
        lastError = Linker.Option.captureCallState("GetLastError");
        lastErrorOffset = Linker.Option.captureStateLayout().byteOffset(MemoryLayout.PathElement.groupElement(
                "GetLastError"));
        // HANDLE GetStdHandle(DWORD nStdHandle);
        getStdHandle = fn(kernel32, "GetStdHandle", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        // HANDLE CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
        //     LPSECURITY_ATTRIBUTES, DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes, HANDLE hTemplateFile);
        createFileW = fn(kernel32, "CreateFileW", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, ADDRESS));
        // BOOL GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode);
        getConsoleMode = fn(kernel32, "GetConsoleMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        // BOOL SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);
        setConsoleMode = fn(kernel32, "SetConsoleMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        // BOOL GetConsoleScreenBufferInfo(HANDLE hConsoleOutput, PCONSOLE_SCREEN_BUFFER_INFO lpConsoleScreenBufferInfo);
        getConsoleScreenBufferInfo = fn(kernel32, "GetConsoleScreenBufferInfo", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS));
        // BOOL FlushConsoleInputBuffer(HANDLE hConsoleInput);
        flushConsoleInputBuffer = fn(kernel32, "FlushConsoleInputBuffer", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // BOOL ReadConsoleW(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
        //     LPDWORD lpNumberOfCharsRead, PCONSOLE_READCONSOLE_CONTROL pInputControl);
        readConsoleW = fn(kernel32, "ReadConsoleW", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
                ADDRESS));
        // BOOL WriteConsoleW(HANDLE hConsoleOutput, const VOID *lpBuffer, DWORD nNumberOfCharsToWrite,
        //     LPDWORD lpNumberOfCharsWritten, LPVOID lpReserved);
        writeConsoleW = fn(kernel32, "WriteConsoleW", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, ADDRESS));
    }

    private MethodHandle fn(SymbolLookup lib, String name, FunctionDescriptor type) {
        return LINKER.downcallHandle(lib.findOrThrow(name), type, lastError);
    }

    /** The call state the downcalls capture GetLastError into. */
    private static MemorySegment state(Arena arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    private ConsoleException failure(MemorySegment state) {
        return new ConsoleException(state.get(JAVA_INT, lastErrorOffset));
    }

    private static MemorySegment handle(long h) {
        return MemorySegment.ofAddress(h);
    }

    /** A BOOL result: nothing when TRUE, GetLastError's code when FALSE. */
    private void check(int ok, MemorySegment state) throws ConsoleException {
        if (ok == 0) {
            throw failure(state);
        }
    }

    @Override
    public long stdHandle(int which) throws ConsoleException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            long h = ((MemorySegment) getStdHandle.invokeExact(state, which)).address();
            if (h == INVALID_HANDLE_VALUE) {
                throw failure(state);
            }
            if (h == 0) {
                // No standard handle at all (a process started without one, as a GUI program's).
                throw new ConsoleException(ERROR_INVALID_HANDLE);
            }
            return h;
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public long openConsole(boolean input) throws ConsoleException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            byte[] name = (input ? "CONIN$\0" : "CONOUT$\0").getBytes(StandardCharsets.UTF_16LE);
            MemorySegment wide = arena.allocate(name.length, 2);
            MemorySegment.copy(name, 0, wide, JAVA_BYTE, 0, name.length);
            long h = ((MemorySegment) createFileW.invokeExact(state, wide, GENERIC_READ_WRITE, FILE_SHARE_READ_WRITE,
                    MemorySegment.NULL, OPEN_EXISTING, 0, MemorySegment.NULL)).address();
            if (h == INVALID_HANDLE_VALUE) {
                throw failure(state);
            }
            return h;
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int mode(long h) throws ConsoleException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment mode = arena.allocate(JAVA_INT);
            check((int) getConsoleMode.invokeExact(state, handle(h), mode), state);
            return mode.get(JAVA_INT, 0);
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void setMode(long h, int mode) throws ConsoleException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            check((int) setConsoleMode.invokeExact(state, handle(h), mode), state);
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void flushInput(long h) throws ConsoleException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            check((int) flushConsoleInputBuffer.invokeExact(state, handle(h)), state);
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public ScreenBuffer screenBuffer(long h) throws ConsoleException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment info = arena.allocate(SCREEN_BUFFER_INFO_SIZE, 2);
            check((int) getConsoleScreenBufferInfo.invokeExact(state, handle(h), info), state);
            return screenBuffer(info);
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * CONSOLE_SCREEN_BUFFER_INFO ("CONSOLE_SCREEN_BUFFER_INFO structure", COORD and SMALL_RECT pages): COORD
     * dwSize {SHORT X, Y} at 0, COORD dwCursorPosition at 4, WORD wAttributes at 8, SMALL_RECT srWindow
     * {SHORT Left, Top, Right, Bottom} at 10, COORD dwMaximumWindowSize at 18.
     */
    static ScreenBuffer screenBuffer(MemorySegment info) {
        return new ScreenBuffer(info.get(JAVA_SHORT, 0), info.get(JAVA_SHORT, 2), info.get(JAVA_SHORT, 10),
                info.get(JAVA_SHORT, 12), info.get(JAVA_SHORT, 14), info.get(JAVA_SHORT, 16));
    }

    @Override
    public int read(long h, char[] dst) throws ConsoleException {
        int units = Math.min(dst.length, MAX_UNITS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment buf = arena.allocate(2L * units, 2);
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) readConsoleW.invokeExact(state, handle(h), buf, units, count, MemorySegment.NULL), state);
            int n = count.get(JAVA_INT, 0);
            if (n == 0) {
                // Ctrl-C or Ctrl-Break ended the read: TRUE with nothing, ERROR_OPERATION_ABORTED as the last error.
                throw new ConsoleException(ERROR_OPERATION_ABORTED);
            }
            MemorySegment.copy(buf, JAVA_CHAR, 0, dst, 0, n);
            return n;
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int write(long h, char[] src, int offset, int length) throws ConsoleException {
        int units = Math.min(length, MAX_UNITS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment buf = arena.allocate(Math.max(2L * units, 2), 2);
            MemorySegment.copy(src, offset, buf, JAVA_CHAR, 0, units);
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) writeConsoleW.invokeExact(state, handle(h), buf, units, count, MemorySegment.NULL), state);
            return count.get(JAVA_INT, 0);
        } catch (ConsoleException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
