package dev.jlx.host.windows;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import java.util.Optional;

/**
 * The Windows backend. On Windows it needs ntdll through FFM (Win32NtLayer), which is not written
 * yet, so there it says so. On any other host it runs over {@link LocalDiskNtLayer}, an NTFS-like
 * fake on the local disk rooted at the host's "/", so that the backend's logic (WSL metadata, name
 * mapping, POSIX delete and rename, case rules) runs every guest of the test suite.
 */
public final class WindowsBackendProvider implements HostBackendProvider {
    @Override
    public String name() {
        return "windows";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        if (onWindows()) {
            return Optional.of("the NT layer through ntdll (Win32NtLayer) is not written yet");
        }
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
        return new WindowsBackend(new LocalDiskNtLayer(java.nio.file.Path.of("/")));
    }
}
