package dev.jlx.core.host;

/**
 * The host-neutral service interface through which core reaches the host OS. Backends know nothing
 * of syscalls or struct layouts; they speak Linux units and throw errors already translated to
 * Linux errno values.
 */
public interface HostBackend {
    String name();

    HostFiles files();

    HostConsole console();

    HostIdentity identity();

    /** The host memory behind guest pages; a backend without its own gets {@link PortableHostMemory}'s. */
    default HostMemory memory() {
        return PortableHostMemory.PAGES;
    }

    /**
     * Gives jlx's own process the host's default action for signal {@code sig} (Linux's number),
     * also where the JVM keeps its own handler (SIGQUIT, which Java cannot take back), so that jlx
     * can die of the signal that killed its guest; false where the host has no such signal.
     */
    default boolean defaultSignalAction(int sig) {
        return false;
    }

    /** The host's IPv4 and IPv6 network; a backend without one answers every socket with EAFNOSUPPORT. */
    default HostNetwork network() {
        return HostNetwork.NONE;
    }
}
