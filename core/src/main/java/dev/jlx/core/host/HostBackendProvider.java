package dev.jlx.core.host;

import java.util.Optional;

/**
 * Finds a host backend through {@link java.util.ServiceLoader}. A provider that cannot serve this
 * host says why (in the style of Netty's {@code Epoll.unavailabilityCause()}).
 */
public interface HostBackendProvider {
    /** Short name used on the command line, e.g. {@code posix} or {@code windows}. */
    String name();

    /** Empty when this backend works on the running host, else the reason it does not. */
    Optional<String> unavailabilityCause();

    /**
     * Whether this backend is the running host's own, rather than a stand-in (the Windows backend on
     * a fake NT layer elsewhere): only such a backend is chosen when none is named.
     */
    default boolean servesThisHostNatively() {
        return true;
    }

    /** Creates the backend. Only called when {@link #unavailabilityCause()} is empty. */
    HostBackend create();
}
