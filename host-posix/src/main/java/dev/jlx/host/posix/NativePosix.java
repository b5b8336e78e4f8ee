package dev.jlx.host.posix;

import jnr.ffi.LibraryLoader;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.util.DefaultPOSIXHandler;

/**
 * The JVM's one jnr-posix object and libc binding. Building them generates bytecode (~0.85 s cold),
 * so it happens once, on first use, through the holder idiom; files and backends only share them.
 */
final class NativePosix {
    private NativePosix() {}

    static POSIX posix() {
        return Holder.require().posix;
    }

    static LibC libc() {
        return Holder.require().libc;
    }

    /** Null when the native bindings loaded, else why they did not. Loads them on first call. */
    static String unavailabilityCause() {
        return Holder.CAUSE;
    }

    private record Loaded(POSIX posix, LibC libc) {}

    private static final class Holder {
        private static final Loaded LOADED;
        private static final String CAUSE;

        static {
            // jnr-ffi 2.2.17's x86 assembly stubs corrupt the 6th of six primitive arguments
            // (ENGINE.md); the switch is read when the first library is bound, so set it first.
            if (System.getProperty("jnr.ffi.x86asm.enabled") == null) {
                System.setProperty("jnr.ffi.x86asm.enabled", "false");
            }
            Loaded loaded = null;
            String cause;
            try {
                POSIX posix = POSIXFactory.getNativePOSIX(new QuietHandler());
                if (posix == null || !posix.isNative()) {
                    cause = "jnr-posix has no native POSIX binding for this platform";
                } else {
                    LibraryLoader<LibC> loader = LibraryLoader.create(LibC.class);
                    if (jnr.ffi.Platform.getNativePlatform().getOS() == jnr.ffi.Platform.OS.DARWIN
                            && jnr.ffi.Platform.getNativePlatform().getCPU() == jnr.ffi.Platform.CPU.X86_64) {
                        // Intel macOS keeps the 32-bit-inode struct statfs under the plain names.
                        loader.map("statfs", "statfs$INODE64").map("fstatfs", "fstatfs$INODE64");
                    }
                    loaded = new Loaded(posix, loader.load("c"));
                    cause = null;
                }
            } catch (LinkageError | RuntimeException e) {
                cause = "jnr-posix could not load native POSIX functions: " + e;
            }
            LOADED = loaded;
            CAUSE = cause;
        }

        static Loaded require() {
            if (LOADED == null) {
                throw new IllegalStateException(CAUSE);
            }
            return LOADED;
        }
    }

    /** jnr-posix reports failures through errno only: nothing here may throw or print. */
    private static final class QuietHandler extends DefaultPOSIXHandler {
        @Override
        public void error(jnr.constants.platform.Errno error, String extraData) {
            // The caller reads errno().
        }

        @Override
        public void error(jnr.constants.platform.Errno error, String methodName, String extraData) {
            // The caller reads errno().
        }

        @Override
        public void unimplementedError(String methodName) {
            // The caller sees -1 and reads errno().
        }

        @Override
        public void warn(WARNING_ID id, String message, Object... data) {
            // jlx logs what matters itself.
        }

        @Override
        public boolean isVerbose() {
            return false;
        }
    }
}
