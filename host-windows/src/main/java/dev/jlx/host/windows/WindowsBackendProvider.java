package dev.jlx.host.windows;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import java.util.Optional;

/**
 * The Windows backend (java.nio plus kernel32 through jnr-ffi). It is not written yet, so it says so
 * instead of offering a backend that would fail at the first file.
 */
public final class WindowsBackendProvider implements HostBackendProvider {
    @Override
    public String name() {
        return "windows";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return Optional.of("the Windows backend is not implemented yet");
    }

    @Override
    public HostBackend create() {
        throw new IllegalStateException("the Windows backend is not implemented yet");
    }
}
