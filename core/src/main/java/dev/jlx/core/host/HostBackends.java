package dev.jlx.core.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds host backends with {@link ServiceLoader}. A backend is created once per JVM and shared by
 * every machine: creating one (native bindings) is expensive, using one is thread-safe.
 */
public final class HostBackends {
    private static final Map<String, HostBackend> CREATED = new ConcurrentHashMap<>();

    private HostBackends() {}

    /** The backend named {@code name}, or the first available one of this host's own when {@code name} is null. */
    public static HostBackend get(String name) {
        List<String> reasons = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (HostBackendProvider p : ServiceLoader.load(HostBackendProvider.class)) {
            names.add(p.name());
            if (name != null ? !name.equals(p.name()) : !p.servesThisHostNatively()) {
                continue;
            }
            var cause = p.unavailabilityCause();
            if (cause.isPresent()) {
                reasons.add(p.name() + ": " + cause.get());
                continue;
            }
            return CREATED.computeIfAbsent(p.name(), n -> p.create());
        }
        if (name != null && !names.contains(name)) {
            throw new IllegalStateException("no host backend named " + name + " (there are: "
                    + String.join(", ", names) + ")");
        }
        throw new IllegalStateException((name == null ? "no host backend available" : "host backend " + name
                + " not available") + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")"));
    }
}
