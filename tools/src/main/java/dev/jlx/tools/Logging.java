package dev.jlx.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * jlx's own diagnostics go to its log file, never into the guest's stderr, unless {@code
 * --verbose} asks for them there too. The file is {@code $XDG_STATE_HOME/jlx/jlx.log}
 * (default {@code ~/.local/state/jlx/jlx.log}), opened on the first record only.
 */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.setLevel(Level.INFO);
        root.addHandler(new LazyFileHandler());
        if (verbose) {
            StreamHandler err = new StreamHandler(System.err, new OneLine()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
            err.setLevel(Level.INFO);
            root.addHandler(err);
        }
    }

    static Path logFile() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("jlx").resolve("jlx.log");
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            String text = "jlx: " + r.getLevel().getName().toLowerCase() + ": " + formatMessage(r) + "\n";
            if (r.getThrown() != null) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                text += w;
            }
            return text;
        }
    }

    /** Opens the log file when something is logged, so a quiet run touches no file. */
    private static final class LazyFileHandler extends Handler {
        private FileHandler file;
        private boolean failed;

        LazyFileHandler() {
            setLevel(Level.INFO);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (!isLoggable(record) || failed) {
                return;
            }
            if (file == null) {
                try {
                    Path f = logFile();
                    Files.createDirectories(f.getParent());
                    file = new FileHandler(f.toString(), 10 << 20, 1, true);
                    file.setFormatter(new OneLine());
                } catch (IOException e) {
                    failed = true;
                    return;
                }
            }
            file.publish(record);
            file.flush();
        }

        @Override
        public synchronized void flush() {
            if (file != null) {
                file.flush();
            }
        }

        @Override
        public synchronized void close() {
            if (file != null) {
                file.close();
            }
        }
    }
}
