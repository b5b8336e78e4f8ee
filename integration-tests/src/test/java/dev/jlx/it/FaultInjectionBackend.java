package dev.jlx.it;

import dev.jlx.core.ByteString;
import dev.jlx.core.host.HostFiles;
import java.lang.reflect.Method;

/**
 * A host backend for tests of jlx's own failures: the backend under test, except that opening a file
 * named {@link #FAULT} throws an unexpected exception, as a bug inside jlx would.
 */
public final class FaultInjectionBackend extends WrappingBackend {
    static final String NAME = "fault-injection";
    static final String FAULT = "jlx-fault-injection";
    static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> false);

    public FaultInjectionBackend() {
        super(NAME, ENABLED);
    }

    @Override
    Object call(HostFiles real, Method method, Object[] args) throws Throwable {
        // Vfs.open tries the one-resolution openIfPlain before open.
        if ((method.getName().equals("open") || method.getName().equals("openIfPlain"))
                && ((ByteString) args[0]).utf8().endsWith("/" + FAULT)) {
            throw new IllegalStateException("fault injected by a test");
        }
        return invoke(real, method, args);
    }
}
