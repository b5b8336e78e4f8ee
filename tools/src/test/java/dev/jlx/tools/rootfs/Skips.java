package dev.jlx.tools.rootfs;

import java.util.ArrayList;
import java.util.List;

/** A listener that keeps the warnings, as "entry: reason". */
final class Skips implements Rootfs.Listener {
    final List<String> warnings = new ArrayList<>();

    @Override
    public void unpacked(String source, int entries) {}

    @Override
    public void skipped(String source, String entry, String reason) {
        warnings.add(entry + ": " + reason);
    }
}
