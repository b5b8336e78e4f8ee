package dev.jlx.host.windows;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import java.util.Optional;

/**
 * The Windows backend: on Windows over ntdll ({@link Win32NtLayer}); on any other host over
 * {@link LocalDiskNtLayer}, an NTFS-like fake on the local disk rooted at the host's "/", so that the
 * backend's logic (WSL metadata, name mapping, POSIX delete and rename, case rules) runs every guest
 * of the test suite.
 */
public final class WindowsBackendProvider implements HostBackendProvider {
    @Override
    public String name() {
        return "windows";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return Optional.empty();
    }

    /** Elsewhere it stands in for Windows, so it runs only when named ({@code --backend windows}). */
    @Override
    public boolean servesThisHostNatively() {
        return onWindows();
    }

    private static boolean onWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    @Override
    public HostBackend create() {
        return new WindowsBackend(onWindows() ? new Win32NtLayer() : new LocalDiskNtLayer(java.nio.file.Path.of("/")));
    }
}
