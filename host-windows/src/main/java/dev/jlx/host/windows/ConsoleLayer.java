package dev.jlx.host.windows;

/**
 * The Windows console calls the backend needs (kernel32), as {@link NtLayer} is for files: each method
 * stands for one call, named in its comment; a failure throws {@link ConsoleException} with the Win32
 * error code. Implementations: {@link Win32ConsoleLayer} on Windows and {@link FakeConsoleLayer}, an
 * in-memory console (or none) for tests and for the backend on other hosts.
 *
 * <p>Text moves as UTF-16 (ReadConsoleW, WriteConsoleW), not as bytes through ReadFile and WriteFile:
 * a console read through the code page CP_UTF8 (ReadFile, ReadConsoleA) returns NUL bytes for every
 * character outside ASCII on the Windows 10 and 11 consoles (microsoft/terminal#4551, #19436), so the
 * backend converts between the guest's UTF-8 and UTF-16 itself and never depends on the console's code
 * pages.
 *
 * <p>Handles are opaque numbers, as the NT layer's.
 */
interface ConsoleLayer {
    /** GetStdHandle's nStdHandle: (DWORD)-10, -11, -12 (processenv.h; "GetStdHandle function" docs). */
    int STD_INPUT_HANDLE = -10;
    int STD_OUTPUT_HANDLE = -11;
    int STD_ERROR_HANDLE = -12;

    // Input modes of a console input buffer ("SetConsoleMode function" docs, consoleapi.h).
    int ENABLE_PROCESSED_INPUT = 0x0001;
    int ENABLE_LINE_INPUT = 0x0002;
    int ENABLE_ECHO_INPUT = 0x0004;
    int ENABLE_VIRTUAL_TERMINAL_INPUT = 0x0200;

    // Output modes of a console screen buffer (same page).
    int ENABLE_PROCESSED_OUTPUT = 0x0001;
    int ENABLE_WRAP_AT_EOL_OUTPUT = 0x0002;
    int ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004;
    int DISABLE_NEWLINE_AUTO_RETURN = 0x0008;

    // System error codes (winerror.h).
    int ERROR_INVALID_HANDLE = 6;
    int ERROR_INVALID_PARAMETER = 87;
    /** What ReadConsoleW leaves when Ctrl-C or Ctrl-Break ended a read that returned nothing. */
    int ERROR_OPERATION_ABORTED = 995;

    /** HANDLE GetStdHandle(DWORD nStdHandle); ERROR_INVALID_HANDLE when the process has none (NULL). */
    long stdHandle(int which) throws ConsoleException;

    /**
     * HANDLE CreateFileW(L"CONIN$" or L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ |
     * FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL): the console's input buffer or its active screen
     * buffer, whatever the standard handles are; fails when the process has no console.
     */
    long openConsole(boolean input) throws ConsoleException;

    /** BOOL GetConsoleMode(HANDLE, LPDWORD); fails (ERROR_INVALID_HANDLE) on a handle that is no console. */
    int mode(long handle) throws ConsoleException;

    /** BOOL SetConsoleMode(HANDLE, DWORD); ERROR_INVALID_PARAMETER for a mode this console does not know. */
    void setMode(long handle, int mode) throws ConsoleException;

    /** BOOL FlushConsoleInputBuffer(HANDLE hConsoleInput): every input record not read yet goes. */
    void flushInput(long handle) throws ConsoleException;

    /** BOOL GetConsoleScreenBufferInfo(HANDLE, PCONSOLE_SCREEN_BUFFER_INFO): the parts jlx uses. */
    ScreenBuffer screenBuffer(long handle) throws ConsoleException;

    /**
     * BOOL ReadConsoleW(HANDLE, LPVOID, DWORD nNumberOfCharsToRead, LPDWORD lpNumberOfCharsRead, NULL):
     * UTF-16 units into {@code dst}, waiting for a line in ENABLE_LINE_INPUT mode and for one unit
     * otherwise; a read that Ctrl-C or Ctrl-Break ended with nothing is ERROR_OPERATION_ABORTED.
     */
    int read(long handle, char[] dst) throws ConsoleException;

    /** BOOL WriteConsoleW(HANDLE, const VOID *, DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten, NULL). */
    int write(long handle, char[] src, int offset, int length) throws ConsoleException;

    /**
     * CONSOLE_SCREEN_BUFFER_INFO's buffer size (dwSize) and visible window (srWindow, inclusive
     * corners in buffer coordinates): the window is what a terminal's size is.
     */
    record ScreenBuffer(int columns, int rows, int left, int top, int right, int bottom) {
        int windowColumns() {
            return right - left + 1;
        }

        int windowRows() {
            return bottom - top + 1;
        }
    }
}
