package dev.jlx.tools.rootfs;

/** An archive entry jlx will not unpack: it is skipped with a warning, and the rest goes on. */
final class Refused extends Exception {
    Refused(String reason) {
        // A verdict on the archive's content, not a fault in jlx: no stack trace.
        super(reason, null, false, false);
    }
}
