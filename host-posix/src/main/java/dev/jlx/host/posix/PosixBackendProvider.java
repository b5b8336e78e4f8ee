package dev.jlx.host.posix;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import java.util.Locale;
import java.util.Optional;

/** The POSIX backend (Linux, macOS, BSD), found through {@link java.util.ServiceLoader}. */
public final class PosixBackendProvider implements HostBackendProvider {
    @Override
    public String name() {
        return "posix";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return Optional.of("Windows is not a POSIX host");
        }
        return Optional.empty();
    }

    @Override
    public HostBackend create() {
        return new PosixBackend();
    }
}
