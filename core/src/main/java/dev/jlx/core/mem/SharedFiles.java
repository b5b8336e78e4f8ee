package dev.jlx.core.mem;

import dev.jlx.core.host.HostMapping;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host files behind this JVM's MAP_SHARED mappings. A guest that shrinks such a file must not
 * leave mapped pages past the new end: the host raises SIGBUS for a touch of one, which inside the
 * engine ends the JVM. So before a truncation the pages it cuts off become private zero pages, as
 * the pages past the end are when a mapping is made (the guest reads zeros where Linux would raise
 * SIGBUS). A truncation by a host process outside jlx cannot be seen (README, Quirks).
 */
public final class SharedFiles {
    private record Key(long dev, long ino) {}

    /** One host mapping of a file, from {@code fileOffset} on. */
    private record Mapping(HostMapping mapping, long fileOffset) {
        MemorySegment host() {
            return mapping.segment();
        }
    }

    private static final Map<Key, List<Mapping>> MAPPINGS = new HashMap<>();

    private SharedFiles() {}

    /** Whether any file is mapped shared: truncations need no file identity otherwise. */
    public static synchronized boolean any() {
        return !MAPPINGS.isEmpty();
    }

    /** {@code mapping} maps file (dev, ino) from {@code fileOffset}. */
    public static synchronized void mapped(long dev, long ino, HostMapping mapping, long fileOffset) {
        MAPPINGS.computeIfAbsent(new Key(dev, ino), k -> new ArrayList<>()).add(new Mapping(mapping, fileOffset));
    }

    /**
     * The futex key of the byte at {@code hostAddress} when it lies in a host mapping of a file: the
     * file and the byte's offset in it (Linux keys a shared file page by its inode); else null.
     */
    static synchronized FutexKey futexKey(long hostAddress) {
        for (Map.Entry<Key, List<Mapping>> e : MAPPINGS.entrySet()) {
            for (Mapping m : e.getValue()) {
                long at = hostAddress - m.host().address();
                if (at >= 0 && at < m.host().byteSize()) {
                    return new FutexKey(e.getKey(), m.fileOffset() + at);
                }
            }
        }
        return null;
    }

    /** {@code mapping} goes back to the host. */
    public static synchronized void unmapped(HostMapping mapping) {
        MAPPINGS.values().forEach(l -> l.removeIf(m -> m.mapping() == mapping));
        MAPPINGS.values().removeIf(List::isEmpty);
    }

    /** File (dev, ino) is about to be cut to {@code size} bytes: its mapped pages past the new end go. */
    public static synchronized void truncating(long dev, long ino, long size) {
        long end = AddressSpace.pageUp(size);
        for (Mapping m : MAPPINGS.getOrDefault(new Key(dev, ino), List.of())) {
            long keep = Math.max(0, end - m.fileOffset());
            if (keep < m.host().byteSize()) {
                m.mapping().zeroFrom(keep);
            }
        }
    }
}
