package dev.jlx.core;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/** The operating system jlx runs on, as far as jlx's own files and defaults depend on it. */
public record HostOs(String os, String arch, Function<String, String> env, String home) {
    /** This JVM's host. */
    public static HostOs running() {
        return new HostOs(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), System::getenv,
                System.getProperty("user.home"));
    }

    public boolean linux() {
        return os.toLowerCase(Locale.ROOT).startsWith("linux");
    }

    public boolean mac() {
        return os.toLowerCase(Locale.ROOT).startsWith("mac");
    }

    public boolean windows() {
        return os.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** An environment variable, null when unset or empty. */
    public String getenv(String name) {
        String v = env.apply(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * jlx's per-user data folder by the host's convention: {@code %LOCALAPPDATA%\jlx} on Windows,
     * {@code ~/Library/Application Support/jlx} on macOS, else {@code $XDG_DATA_HOME/jlx}
     * ({@code ~/.local/share/jlx}).
     */
    public Path dataDir() {
        Path base;
        if (windows()) {
            String local = getenv("LOCALAPPDATA");
            base = local != null ? Path.of(local) : Path.of(home, "AppData", "Local");
        } else if (mac()) {
            base = Path.of(home, "Library", "Application Support");
        } else {
            String data = getenv("XDG_DATA_HOME");
            base = data != null ? Path.of(data) : Path.of(home, ".local", "share");
        }
        return base.resolve("jlx");
    }
}
