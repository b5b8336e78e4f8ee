package dev.jlx.host.windows;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import dev.jlx.core.host.PortableHostMemory;
import java.util.Optional;

/**
 * The Windows backend: on Windows over ntdll ({@link Win32NtLayer}) and kernel32's console
 * ({@link Win32ConsoleLayer}) with Windows' virtual memory; on any other host over
 * {@link LocalDiskNtLayer}, an NTFS-like fake on the local disk rooted at the host's "/", with the JDK's
 * memory in 64 KiB granules and no console (the standard streams are files and pipes), so that the
 * backend's logic (WSL metadata, name mapping, POSIX delete and rename, case rules, the allocation
 * unit) runs every guest of the test suite.
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
        // Elsewhere guest pages come in Windows' 64 KiB allocation granules too, from the JDK's memory.
        return onWindows() ? new WindowsBackend(new Win32NtLayer(), new Win32ConsoleLayer(), new WindowsHostMemory())
                : new WindowsBackend(new LocalDiskNtLayer(java.nio.file.Path.of("/")), new PortableHostMemory(64 * 1024));
    }
}
