package dev.jlx.it;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostMemory;
import dev.jlx.core.host.HostNetwork;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * A host backend for tests: the backend under test ({@link Jlx#BACKEND}), with its files' calls going
 * through {@link #call}, which may change them. It is available only on a thread that asked for it
 * ({@link #enabled}), so no machine picks it by default.
 */
abstract class WrappingBackend implements HostBackendProvider {
    private final String name;
    private final ThreadLocal<Boolean> enabled;

    WrappingBackend(String name, ThreadLocal<Boolean> enabled) {
        this.name = name;
        this.enabled = enabled;
    }

    /** One call of the backend's {@link HostFiles}: {@link #invoke} passes it on to the real one. */
    abstract Object call(HostFiles real, Method method, Object[] args) throws Throwable;

    /** {@code method} on {@code target}, throwing what it throws. */
    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return enabled.get() ? Optional.empty() : Optional.of("a test backend, for the threads that ask for it");
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
                    boolean wasEnabled = enabled.get();
                    enabled.set(false);
                    try {
                        real = HostBackends.get(Jlx.BACKEND);
                    } finally {
                        enabled.set(wasEnabled);
                    }
                }
                return real;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HostFiles files() {
                if (files == null) {
                    HostFiles realFiles = real().files();
                    files = (HostFiles) Proxy.newProxyInstance(HostFiles.class.getClassLoader(),
                            new Class<?>[] {HostFiles.class}, (proxy, method, args) -> call(realFiles, method, args));
                }
                return files;
            }

            @Override
            public HostConsole console() {
                return real().console();
            }

            @Override
            public HostIdentity identity() {
                return real().identity();
            }

            @Override
            public HostMemory memory() {
                return real().memory();
            }

            @Override
            public HostNetwork network() {
                return real().network();
            }
        };
    }
}
