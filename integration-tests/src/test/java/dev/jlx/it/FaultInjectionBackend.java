package dev.jlx.it;

import dev.jlx.core.ByteString;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * A host backend for tests of jlx's own failures: the backend under test ({@link Jlx#BACKEND}), except
 * that opening a file named {@link #FAULT} throws an unexpected exception, as a bug inside jlx would. It
 * is available only on a thread that asked for it ({@link #ENABLED}), so no machine picks it by default.
 */
public final class FaultInjectionBackend implements HostBackendProvider {
    static final String NAME = "fault-injection";
    static final String FAULT = "jlx-fault-injection";
    static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> false);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return ENABLED.get() ? Optional.empty() : Optional.of("a test backend, for the threads that ask for it");
    }

    @Override
    public HostBackend create() {
        return new HostBackend() {
            private volatile HostBackend real;
            private volatile HostFiles files;

            /** The real backend, looked up at first use (not while HostBackends is creating this one). */
            private HostBackend real() {
                if (real == null) {
                    // Unavailable meanwhile, so that the default backend is never this one.
                    boolean enabled = ENABLED.get();
                    ENABLED.set(false);
                    try {
                        real = HostBackends.get(Jlx.BACKEND);
                    } finally {
                        ENABLED.set(enabled);
                    }
                }
                return real;
            }

            @Override
            public String name() {
                return NAME;
            }

            @Override
            public HostFiles files() {
                if (files == null) {
                    files = faulty(real().files());
                }
                return files;
            }

            private HostFiles faulty(HostFiles real) {
                return (HostFiles) Proxy.newProxyInstance(HostFiles.class.getClassLoader(),
                        new Class<?>[] {HostFiles.class}, (proxy, method, args) -> {
                            // Vfs.open tries the one-resolution openIfPlain before open.
                            if ((method.getName().equals("open") || method.getName().equals("openIfPlain"))
                                    && ((ByteString) args[0]).utf8().endsWith("/" + FAULT)) {
                                throw new IllegalStateException("fault injected by a test");
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public HostConsole console() {
                return real().console();
            }

            @Override
            public HostIdentity identity() {
                return real().identity();
            }
        };
    }
}
