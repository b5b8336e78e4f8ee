package dev.jlx.core.fs;

import dev.jlx.core.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The file handles name_to_handle_at gave out in this run: a handle carries a serial number that
 * names an entry here (the file system, the file's path then, its device and inode), since a host
 * file can be found again only by its path. open_by_handle_at finds the file by that path and
 * checks that it is still the same device and inode (ESTALE otherwise), so a handle opens only in
 * the run that made it, and not after its file was renamed.
 */
public final class FileHandles {
    /** What a handle names. */
    public record Entry(FileSystem fs, ByteString guestPath, long dev, long ino) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<Entry, Integer> serials = new HashMap<>();

    /** The serial of {@code e} (from 1), the same for the same file at the same path. */
    public synchronized int serial(Entry e) {
        return serials.computeIfAbsent(e, k -> {
            entries.add(k);
            return entries.size();
        });
    }

    /** The entry of {@code serial}, or null for one never given out. */
    public synchronized Entry entry(long serial) {
        return serial >= 1 && serial <= entries.size() ? entries.get((int) serial - 1) : null;
    }
}
