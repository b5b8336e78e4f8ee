package dev.jlx.host.posix;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import java.util.Optional;

/**
 * The {@code portable} profile: the POSIX backend limited to the calls macOS also has (no statx,
 * openat2, O_PATH, /proc, fallocate or renameat2; see {@link LinuxOnly}), so that a Linux host
 * runs guests the way a macOS host would. On macOS it is the {@code posix} profile itself.
 */
public final class PortableBackendProvider implements HostBackendProvider {
    @Override
    public String name() {
        return "portable";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return PosixBackendProvider.cause();
    }

    @Override
    public HostBackend create() {
        return new PosixBackend(false);
    }
}
