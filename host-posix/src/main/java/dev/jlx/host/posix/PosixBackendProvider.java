package dev.jlx.host.posix;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import java.util.Locale;
import java.util.Optional;

/**
 * The POSIX backend (Linux, macOS), found through {@link java.util.ServiceLoader}: the {@code posix}
 * profile, which on Linux also uses Linux-only calls (see {@link PortableBackendProvider}). Asking whether it
 * is available loads the native bindings once per JVM, which {@link #create()} then reuses.
 */
public final class PosixBackendProvider implements HostBackendProvider {
    @Override
    public String name() {
        return "posix";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return cause();
    }

    /** Why neither POSIX profile can run here, if so. */
    static Optional<String> cause() {
        String os = System.getProperty("os.name", "");
        if (os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return Optional.of("Windows is not a POSIX host");
        }
        String cause = NativePosix.unavailabilityCause();
        if (cause != null) {
            return Optional.of(cause);
        }
        if (HostConstants.headersOfRunningHost() == null) {
            return Optional.of("jlx has no table of " + os + "'s C constants (it knows Linux and macOS)");
        }
        return Optional.empty();
    }

    @Override
    public HostBackend create() {
        return new PosixBackend(true);
    }
}
