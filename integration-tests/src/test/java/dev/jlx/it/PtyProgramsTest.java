package dev.jlx.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs that make their own terminals, with jlx's ptys in the JVM, against native runs:
 * util-linux's script (posix_openpt, a session and controlling terminal for its child, signalfd,
 * the pty's settings as stty shows them), python's pty module (os.openpty, pty.fork, pty.spawn) and a
 * tmux server with its clients, all inside one run (forkpty, AF_UNIX sockets passing descriptors,
 * window sizes).
 * The pty's number depends on what else holds one natively, so it is masked.
 */
class PtyProgramsTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    private static Result masked(Result r) {
        String out = new String(r.stdout(), StandardCharsets.ISO_8859_1).replaceAll("/dev/pts/[0-9]+", "/dev/pts/N");
        return new Result(out.getBytes(StandardCharsets.ISO_8859_1), r.stderr(), r.status());
    }

    private void assertSameAsNative(List<String> argv) throws Exception {
        Result expected = masked(Native.run(argv, Runner.ENV, dir, new byte[0]));
        Result actual = masked(Jlx.run(argv, Runner.ENV, dir, new byte[0]));
        Result.assertSameAs(expected, actual, String.join(" ", argv));
    }

    @Test
    void scriptRunsTtyAndSttyOnAPty() throws Exception {
        assertSameAsNative(List.of("/usr/bin/script", "-q", "-c", "tty; stty -a; stty size", "/dev/null"));
    }

    @Test
    void scriptPassesTheChildsExitStatus() throws Exception {
        assertSameAsNative(List.of("/usr/bin/script", "-q", "-e", "-c", "echo out; exit 7", "/dev/null"));
    }

    /** A tmux server and its clients inside jlx: a session, a split window running two commands. */
    @Test
    void tmuxSplitWindow() throws Exception {
        assertSameAsNative(List.of("/bin/sh", "-c", """
                S=sock
                tmux -S $S -f /dev/null new-session -d -x 80 -y 24 "echo left pane; tty; stty size; tmux -S $S wait-for -S left; sleep 60"
                tmux -S $S wait-for left
                tmux -S $S split-window -h "echo right pane; stty size; tmux -S $S wait-for -S right; sleep 60"
                tmux -S $S wait-for right
                tmux -S $S capture-pane -p -t 0.0 | grep .
                tmux -S $S capture-pane -p -t 0.1 | grep .
                tmux -S $S list-panes -F '#{pane_index} #{pane_width}x#{pane_height}'
                tmux -S $S kill-server
                echo status $?
                """));
    }

    @Test
    void pythonPtyModule() throws Exception {
        assertSameAsNative(List.of(PYTHON, "-c", """
                import os, pty, sys, termios
                code = ("import os, termios; print(os.ttyname(0), os.isatty(1), os.getsid(0) == os.getpid(),"
                        " os.tcgetpgrp(0) == os.getpgrp()); a = termios.tcgetattr(0); print(oct(a[0]), oct(a[1]), oct(a[3]))")
                print('spawn status', pty.spawn([sys.executable, '-c', code]))
                m, s = os.openpty()
                print('openpty', os.isatty(m), os.ttyname(s))
                os.write(m, b'hello\\x7f\\x7fp!\\n')
                print(os.read(s, 100), os.read(m, 100))
                attrs = termios.tcgetattr(s)
                attrs[3] &= ~(termios.ICANON | termios.ECHO)
                termios.tcsetattr(s, termios.TCSANOW, attrs)
                os.write(m, b'raw')
                print(os.read(s, 100))
                pid, fd = pty.fork()
                if pid == 0:
                    print('child', os.ttyname(1), os.getsid(0) == os.getpid(), flush=True)
                    os._exit(3)
                out = b''
                while True:
                    try:
                        chunk = os.read(fd, 100)
                    except OSError:
                        break
                    if not chunk:
                        break
                    out += chunk
                print(out, os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
                """));
    }
}
